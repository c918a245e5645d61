import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { CreditLimitRequest } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import CreditRequestPage from './index.tsx';

const API = 'http://api.test';
const ID = '00000000-0000-4000-8000-0000000000a2';
const CUSTOMER = { id: '00000000-0000-4000-8000-0000000000c2', name: '周晓' };
const request: CreditLimitRequest = {
  id: ID,
  customer: CUSTOMER,
  requestedBy: { id: '00000000-0000-4000-8000-000000000003', name: '王美丽' },
  requestedLimitFen: 300_000,
  currentLimitFen: 0,
  reason: '老顾客，希望月底统一结算',
  suggestion: {
    suggestedLimitFen: 150_000,
    reasons: ['近 12 个月消费 ¥6,000.00', '按时还款 3 次'],
    factors: {
      spend12mFen: 600_000,
      baseFen: 150_000,
      tenureMonths: 14,
      tenurePercent: 100,
      settledItems: 3,
      paidOnTime: 3,
      paidLate: 0,
      maxDaysLate: 0,
      overdueNow: 0,
      punctualityPercent: 100,
      capFen: 5_000_000,
    },
  },
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  approvedLimitFen: null,
  limitAfterFen: null,
  lineLimitFen: 0,
  decisionNote: null,
  createdAt: '2026-05-01T02:00:00Z',
};
const earlier: CreditLimitRequest = {
  ...request,
  id: '00000000-0000-4000-8000-0000000000a9',
  status: 'rejected',
  decidedBy: { id: '00000000-0000-4000-8000-000000000002', name: '刘店长' },
  decidedAt: '2026-01-05T03:00:00Z',
  decisionNote: '消费记录太少',
  createdAt: '2026-01-05T02:00:00Z',
};
/** Her WeChat sign-up's request, closed by nobody when the two accounts were merged. */
const closedByMerge: CreditLimitRequest = {
  ...request,
  id: '00000000-0000-4000-8000-0000000000aa',
  status: 'rejected',
  decidedAt: '2026-03-02T02:00:00Z',
  decisionNote: '合并账户时关闭：该顾客已有一份待审批的额度申请，请在那份申请中一并考虑',
  createdAt: '2026-03-01T02:00:00Z',
};

let sent: FakeRequest[];
/** The request the server answers with: the pending one, or one that moved onto a survivor with a higher limit. */
let shown: CreditLimitRequest;
beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages([`manager/credit-request/index?id=${ID}`]);
  sent = [];
  shown = request;
  setFakeServer((req) => {
    if (req.url === `${API}/staff/me`) return { status: 200, body: { role: 'manager', stores: [] } };
    if (req.url === `${API}/staff/credit-requests/${ID}`) return { status: 200, body: shown };
    if (req.url.startsWith(`${API}/staff/credit-requests?customerId=`))
      return { status: 200, body: [request, closedByMerge, earlier] };
    if (req.method === 'POST') {
      sent.push(req);
      const body = req.data as { approvedLimitFen: number; note?: string; lowerExisting?: boolean };
      const limitAfterFen = body.lowerExisting
        ? body.approvedLimitFen
        : Math.max(body.approvedLimitFen, shown.lineLimitFen);
      return {
        status: 200,
        body: {
          ...shown,
          status: 'approved',
          approvedLimitFen: body.approvedLimitFen,
          limitAfterFen,
          lineLimitFen: limitAfterFen,
          decisionNote: body.note ?? null,
        },
      };
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

const input = (cls: string) => document.querySelector(`.${cls}`) as HTMLInputElement;

describe('额度申请 decision', () => {
  it('shows the suggestion, its reasoning and the earlier requests', async () => {
    render(<CreditRequestPage />);
    expect(await screen.findByText('¥1,500.00')).toBeInTheDocument();
    expect(screen.getByText('· 按时还款 3 次')).toBeInTheDocument();
    expect(screen.getByText('消费记录太少')).toBeInTheDocument();
    // A manager's refusal and a closure by a merge read differently.
    expect(screen.getByText(/2026.*已拒绝/)).toBeInTheDocument();
    expect(screen.getByText(/2026.*已关闭/)).toBeInTheDocument();
    expect(screen.getByText(/合并账户时关闭/)).toBeInTheDocument();
  });

  it('needs a note to approve a lower limit, then sends the lower limit with it', async () => {
    render(<CreditRequestPage />);
    await screen.findByText('建议依据');
    fireEvent.change(input('mg__limit'), { target: { value: '2000' } });
    fireEvent.click(screen.getByText('批准'));
    expect(await screen.findByText('请填写降额原因（至少 2 个字）')).toBeInTheDocument();
    expect(sent).toEqual([]);

    fireEvent.change(input('mg__note'), { target: { value: '先给两千，按时还款再调' } });
    fireEvent.click(screen.getByText('批准'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.url).toBe(`${API}/staff/credit-requests/${ID}/approve`);
    expect(sent[0]?.data).toEqual({ approvedLimitFen: 200_000, note: '先给两千，按时还款再调' });
    expect(await screen.findByText('批准额度 ¥2,000.00')).toBeInTheDocument();
  });

  it('keeps the higher limit a merged customer already has, unless the manager lowers it with a reason', async () => {
    // Filed for her WeChat sign-up (no limit then); the survivor she was merged into has ¥5,000.
    shown = { ...request, lineLimitFen: 500_000 };
    render(<CreditRequestPage />);
    expect(await screen.findByText('¥5,000.00')).toBeInTheDocument();
    expect(screen.getByText('提交时额度 ¥0.00')).toBeInTheDocument();
    expect(screen.getByText('该顾客现有额度 ¥5,000.00，高于批准额度：批准后保留现有额度')).toBeInTheDocument();

    fireEvent.click(screen.getByText('改为降至批准额度（需填写原因）'));
    fireEvent.click(screen.getByText('批准'));
    expect(await screen.findByText('请填写降额原因（至少 2 个字）')).toBeInTheDocument();
    expect(sent).toEqual([]);
    fireEvent.click(screen.getByText(/改为降至批准额度/));
    fireEvent.click(screen.getByText('批准'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.data).toEqual({ approvedLimitFen: 300_000 });
    expect(await screen.findByText('保留现有额度 ¥5,000.00')).toBeInTheDocument();
  });

  it('sends lowerExisting with the reason when the manager lowers the existing limit', async () => {
    shown = { ...request, lineLimitFen: 500_000 };
    render(<CreditRequestPage />);
    await screen.findByText('建议依据');
    fireEvent.click(screen.getByText('改为降至批准额度（需填写原因）'));
    fireEvent.change(input('mg__note'), { target: { value: '合并后按新申请调整' } });
    fireEvent.click(screen.getByText('批准'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.data).toEqual({ approvedLimitFen: 300_000, note: '合并后按新申请调整', lowerExisting: true });
    expect(await screen.findByText('批准额度 ¥3,000.00')).toBeInTheDocument();
    expect(screen.queryByText(/保留现有额度/)).toBeNull();
  });

  it('refuses more than was requested', async () => {
    render(<CreditRequestPage />);
    await screen.findByText('建议依据');
    fireEvent.change(input('mg__limit'), { target: { value: '5000' } });
    fireEvent.click(screen.getByText('批准'));
    expect(await screen.findByText('批准额度不能高于申请额度')).toBeInTheDocument();
    expect(sent).toEqual([]);
  });
});
