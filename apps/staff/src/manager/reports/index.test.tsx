import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession, todayInShanghai, userMessage } from '@lumi/mini';
import { fakeTaro, setFakeServer } from '@lumi/mini/testing';
import type { ManagerReport } from '@lumi/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { F2ChartProps } from '../chart/f2-chart.tsx';
import ReportsPage from './index.tsx';

// jsdom has no 2d canvas: the chart stands in as a list of what it was given (the e2e test checks the drawing).
vi.mock('../chart/f2-chart.tsx', () => ({
  F2Chart: (props: F2ChartProps) => (
    <div className="chart-stand-in" data-id={props.id} data-kind={props.kind}>
      {props.data.map((d) => `${d.key}=${d.value};`)}
    </div>
  ),
}));

const STORE = '00000000-0000-4000-8000-0000000000a1';
// The page opens on today (Shanghai); the fixture's days follow, so the test holds on any day.
const TODAY = todayInShanghai();
const YESTERDAY = new Date(Date.parse(`${TODAY}T12:00:00+08:00`) - 86_400_000).toISOString().slice(0, 10);
const zero = { salesFen: 0, refundsFen: 0, netFen: 0 };
// WeChat took 340.00 and refunded 50.00 at 1.74 in fees; Lumi knows of 300.00 of it (it missed a 40.00 order).
const MISSED_ONE = { receivedFen: 34_000, refundedFen: 5_000, feesFen: 174, netFen: 28_826, expectedNetFen: 24_826 };
function reportOf(period: 'day' | 'month', date = TODAY): ManagerReport {
  const days = period === 'day' ? [date] : [YESTERDAY, TODAY];
  return {
    period,
    from: days[0] as string,
    to: days[days.length - 1] as string,
    storeIds: [STORE],
    revenue: { salesFen: 155_200, refundsFen: 10_000, netFen: 145_200, bills: 3, refunds: 1 },
    byTender: [
      { method: 'stored_value', salesFen: 38_800, refundsFen: 0, netFen: 38_800 },
      { method: 'points', ...zero },
      { method: 'cash', salesFen: 116_400, refundsFen: 10_000, netFen: 106_400 },
      { method: 'card', ...zero },
      { method: 'wechat', ...zero },
      { method: 'credit', ...zero },
    ],
    byStore: [{ storeId: STORE, storeName: '静安店', salesFen: 155_200, refundsFen: 10_000, netFen: 145_200 }],
    byDay: days.map((date, i) => ({ date, netFen: i === days.length - 1 ? 145_200 : 50_050 })),
    topUps: { count: 2, principalFen: 400_000, bonusFen: 120_000, refundedFen: 0 },
    liabilities: {
      storedPrincipalFen: 361_200,
      storedBonusFen: 100_000,
      points: 300,
      packageSessions: 9,
      packageDeferredFen: 90_000,
      voucherDeferredFen: 12_000,
    },
    commissions: [{ staffId: '00000000-0000-4000-8000-0000000000b1', name: '王美容', amountFen: 3_880, lines: 1 }],
    reconciliation: {
      daysChecked: 1,
      daysWithBill: 1,
      days: [{ date: YESTERDAY, source: 'bill', billProblem: null, settlement: MISSED_ONE, settlementProblem: null }],
      mismatches: [
        {
          date: YESTERDAY,
          kind: 'amount',
          outTradeNo: 'LUMI-1',
          outRefundNo: null,
          localAmountFen: 10_000,
          wechatAmountFen: 9_999,
        },
        {
          date: YESTERDAY,
          kind: 'missing_in_lumi',
          outTradeNo: 'LUMI-2',
          outRefundNo: 'LUMI-2-R1',
          localAmountFen: null,
          wechatAmountFen: 2_000,
        },
      ],
    },
  };
}

const asked: string[] = [];
/** Bodies of POST /staff/payments/reconciliation; once run, today's report carries today's mismatch too. */
let reconciled: unknown[];
let reconcileRefusal: string | null;
const TODAYS_MISMATCH = {
  date: TODAY,
  kind: 'not_in_ledger' as const,
  outTradeNo: 'LUMI-TODAY',
  outRefundNo: null,
  localAmountFen: 8_800,
  wechatAmountFen: 8_800,
};
/** What the fake server answers for GET /staff/reports; a test may swap it. */
let reportFor: typeof reportOf;
beforeEach(() => {
  reportFor = reportOf;
  asked.length = 0;
  reconciled = [];
  reconcileRefusal = null;
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setFakeServer((req) => {
    if (req.url.endsWith('/staff/me')) return { status: 200, body: { role: 'manager', stores: [] } };
    if (req.url.endsWith('/staff/payments/reconciliation') && req.method === 'POST') {
      if (reconcileRefusal)
        return { status: 403, body: { error: { code: reconcileRefusal, message: 'not a manager' } } };
      reconciled.push(req.data);
      return {
        status: 200,
        body: {
          date: TODAY,
          generatedAt: '2026-12-07T06:00:00.000Z',
          ordersChecked: 4,
          refundsChecked: 1,
          source: 'queries',
          mismatches: [TODAYS_MISMATCH],
        },
      };
    }
    if (req.url.includes('/staff/reports')) {
      asked.push(req.url);
      const date = /date=(\d{4}-\d{2}-\d{2})/.exec(req.url)?.[1];
      const report = reportFor(req.url.includes('period=month') ? 'month' : 'day', date);
      if (reconciled.length > 0) {
        // Today's run had no bill yet: one more day checked, order by order.
        report.reconciliation.daysChecked += 1;
        report.reconciliation.days.push({
          date: TODAY,
          source: 'queries',
          billProblem: 'not_ready',
          settlement: null,
          settlementProblem: 'not_ready',
        });
        report.reconciliation.mismatches.push(TODAYS_MISMATCH);
      }
      return { status: 200, body: report };
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

describe('报表', () => {
  it("shows today's figures, each chart with its numbers", async () => {
    render(<ReportsPage />);
    expect(await screen.findByText(`营收 ${TODAY}`)).toBeInTheDocument();
    expect(screen.getByText('−¥100.00')).toBeInTheDocument();
    const charts = [...document.querySelectorAll('.chart-stand-in')].map((c) => [
      c.getAttribute('data-id'),
      c.getAttribute('data-kind'),
      c.textContent,
    ]);
    // Charts plot whole yuan; tenders that moved nothing are left out.
    expect(charts).toEqual([
      ['report-days', 'line', `${TODAY}=1452;`],
      ['report-tenders', 'pie', 'stored_value=388;cash=1064;'],
      ['report-stores', 'bar', `${STORE}=1452;`],
    ]);
    expect(screen.getByText('¥1,064.00（退 ¥100.00）')).toBeInTheDocument();
    expect(screen.getByText('¥1,200.00')).toBeInTheDocument(); // bonus given
    expect(screen.getByText('300 分')).toBeInTheDocument();
    expect(screen.getByText('预收 ¥900.00')).toBeInTheDocument();
    expect(screen.getByText('商城服务券未使用').closest('.mg__row')?.textContent).toContain('¥120.00');
    expect(screen.getByText('王美容')).toBeInTheDocument();
    expect(screen.getByText(`${YESTERDAY} 支付金额不一致`)).toBeInTheDocument();
    expect(screen.getByText('¥100.00 / ¥99.99')).toBeInTheDocument();
    // WeChat's bill holds a refund Lumi never recorded: its refund number, nothing on Lumi's side.
    expect(screen.getByText(`${YESTERDAY} 退款微信有、系统无`)).toBeInTheDocument();
    expect(screen.getByText('LUMI-2-R1')).toBeInTheDocument();
    expect(screen.getByText('— / ¥20.00')).toBeInTheDocument();
    expect(document.querySelector('.mg__reconcile-source')).toBeNull();
    expect(asked[0]).toContain('period=day');
  });

  it("shows the day's money by WeChat's fund-flow bill beside Lumi's, and the difference", async () => {
    render(<ReportsPage />);
    await screen.findByText(`营收 ${TODAY}`);
    const figure = (label: string) => screen.getByText(label).closest('.mg__row')?.textContent;
    expect(screen.getByText('微信资金账单（基本账户）')).toBeInTheDocument();
    expect(figure('微信收款')).toContain('¥340.00');
    expect(figure('手续费')).toContain('−¥1.74');
    expect(figure('实际入账')).toContain('¥288.26');
    expect(figure('系统应入账')).toContain('¥248.26');
    expect(document.querySelector('.mg__settlement-status')?.textContent).toBe(
      '相差 ¥40.00：微信实际入账多于系统记录，见下方差异',
    );
  });

  it('says so when a bill was refused for its SHA1, and that a clean day agrees', async () => {
    const original = reportOf;
    reportFor = (period, date) => {
      const report = original(period, date);
      report.reconciliation.days = [
        {
          date: YESTERDAY,
          source: 'queries',
          billProblem: 'integrity',
          settlement: null,
          settlementProblem: 'integrity',
        },
        {
          date: TODAY,
          source: 'bill',
          billProblem: null,
          settlement: { ...MISSED_ONE, expectedNetFen: MISSED_ONE.netFen },
          settlementProblem: null,
        },
      ];
      return report;
    };
    render(<ReportsPage />);
    await screen.findByText(`营收 ${TODAY}`);
    expect(screen.getByText(`${YESTERDAY} 微信交易账单与校验值（SHA1）不符，已拒用，改为逐笔查询`)).toBeInTheDocument();
    // A refused bill is not a bill that is late.
    expect(document.querySelector('.mg__reconcile-source')).toBeNull();
    expect(document.querySelector('.mg__settlement-status')?.textContent).toBe('资金一致');
  });

  it('switches to the month, a point per day with the day list', async () => {
    render(<ReportsPage />);
    await screen.findByText(`营收 ${TODAY}`);
    fireEvent.click(screen.getByText('本月'));
    expect(await screen.findByText(`营收 ${YESTERDAY} 至 ${TODAY}`)).toBeInTheDocument();
    expect(document.querySelector('[data-id="report-days"]')?.textContent).toBe(`${YESTERDAY}=501;${TODAY}=1452;`);
    expect(screen.getByText(`${Number(YESTERDAY.slice(8))}日`)).toBeInTheDocument();
    expect(screen.getByText('¥500.50')).toBeInTheDocument();
    expect(asked.at(-1)).toContain('period=month');
  });

  it("reconciles today so far on demand and shows today's mismatch; in Chinese when refused", async () => {
    render(<ReportsPage />);
    await screen.findByText(`营收 ${TODAY}`);
    expect(screen.queryByText(`${TODAY} 支付已收款未入账`)).toBeNull();
    fireEvent.click(screen.getByText('立即对账（今日截至现在）'));
    expect(await screen.findByText(`${TODAY} 支付已收款未入账`)).toBeInTheDocument();
    expect(reconciled).toEqual([{ date: TODAY }]);
    expect(document.querySelector('.mg__reconcile-source')?.textContent).toBe(
      '其中 1 天微信对账单未出，仅逐笔查询，查不到微信有而系统无的款项',
    );
    expect(fakeTaro.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '逐笔查询核对 4 笔支付、1 笔退款，差异 1 笔' }),
    );

    // Her role was changed meanwhile: the API refuses, the page says so in Chinese.
    reconcileRefusal = 'FORBIDDEN';
    fireEvent.click(screen.getByText('立即对账（今日截至现在）'));
    expect(await screen.findByText(userMessage('FORBIDDEN'))).toBeInTheDocument();
  });

  it('offers 立即对账 only on the day view', async () => {
    render(<ReportsPage />);
    await screen.findByText(`营收 ${TODAY}`);
    fireEvent.click(screen.getByText('本月'));
    await screen.findByText(`营收 ${YESTERDAY} 至 ${TODAY}`);
    expect(screen.queryByText('立即对账（今日截至现在）')).toBeNull();
  });

  it('reconciles a past day the manager picks', async () => {
    render(<ReportsPage />);
    await screen.findByText(`营收 ${TODAY}`);
    fireEvent.change(document.querySelector('.picker-value') as HTMLInputElement, { target: { value: YESTERDAY } });
    await waitFor(() => expect(asked.at(-1)).toContain(`date=${YESTERDAY}`));
    fireEvent.click(await screen.findByText(`立即对账（${YESTERDAY}）`));
    await waitFor(() => expect(reconciled).toEqual([{ date: YESTERDAY }]));
  });
});
