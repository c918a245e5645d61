import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { setFakeServer } from '@lumi/mini/testing';
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
const zero = { salesFen: 0, refundsFen: 0, netFen: 0 };
function reportOf(period: 'day' | 'month'): ManagerReport {
  const days = period === 'day' ? ['2026-12-07'] : ['2026-12-06', '2026-12-07'];
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
      mismatches: [
        {
          date: '2026-12-06',
          kind: 'amount',
          outTradeNo: 'LUMI-1',
          outRefundNo: null,
          localAmountFen: 10_000,
          wechatAmountFen: 9_999,
        },
      ],
    },
  };
}

const asked: string[] = [];
beforeEach(() => {
  asked.length = 0;
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setFakeServer((req) => {
    if (req.url.endsWith('/staff/me')) return { status: 200, body: { role: 'manager', stores: [] } };
    if (req.url.includes('/staff/reports')) {
      asked.push(req.url);
      return { status: 200, body: reportOf(req.url.includes('period=month') ? 'month' : 'day') };
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

describe('报表', () => {
  it("shows today's figures, each chart with its numbers", async () => {
    render(<ReportsPage />);
    expect(await screen.findByText('营收 2026-12-07')).toBeInTheDocument();
    expect(screen.getByText('−¥100.00')).toBeInTheDocument();
    const charts = [...document.querySelectorAll('.chart-stand-in')].map((c) => [
      c.getAttribute('data-id'),
      c.getAttribute('data-kind'),
      c.textContent,
    ]);
    // Charts plot whole yuan; tenders that moved nothing are left out.
    expect(charts).toEqual([
      ['report-days', 'line', '2026-12-07=1452;'],
      ['report-tenders', 'pie', 'stored_value=388;cash=1064;'],
      ['report-stores', 'bar', `${STORE}=1452;`],
    ]);
    expect(screen.getByText('¥1,064.00（退 ¥100.00）')).toBeInTheDocument();
    expect(screen.getByText('¥1,200.00')).toBeInTheDocument(); // bonus given
    expect(screen.getByText('300 分')).toBeInTheDocument();
    expect(screen.getByText('预收 ¥900.00')).toBeInTheDocument();
    expect(screen.getByText('商城服务券未使用').closest('.mg__row')?.textContent).toContain('¥120.00');
    expect(screen.getByText('王美容')).toBeInTheDocument();
    expect(screen.getByText('2026-12-06 金额不一致')).toBeInTheDocument();
    expect(screen.getByText('¥100.00 / ¥99.99')).toBeInTheDocument();
    expect(asked[0]).toContain('period=day');
  });

  it('switches to the month, a point per day with the day list', async () => {
    render(<ReportsPage />);
    await screen.findByText('营收 2026-12-07');
    fireEvent.click(screen.getByText('本月'));
    expect(await screen.findByText('营收 2026-12-06 至 2026-12-07')).toBeInTheDocument();
    expect(document.querySelector('[data-id="report-days"]')?.textContent).toBe('2026-12-06=501;2026-12-07=1452;');
    expect(screen.getByText('6日')).toBeInTheDocument();
    expect(screen.getByText('¥500.50')).toBeInTheDocument();
    expect(asked.at(-1)).toContain('period=month');
  });
});
