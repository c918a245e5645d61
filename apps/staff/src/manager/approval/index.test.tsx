import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { ApprovalRequest, StaffProfile } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import ApprovalPage from './index.tsx';

const API = 'http://api.test';
const ID = '00000000-0000-4000-8000-0000000000f1';
const STORE = '00000000-0000-4000-8000-000000000004';
const manager: StaffProfile = {
  id: '00000000-0000-4000-8000-000000000002',
  tenantId: '00000000-0000-4000-8000-000000000001',
  tenantName: '示例美容院',
  name: '刘店长',
  phone: '13800000002',
  role: 'manager',
  stores: [{ id: STORE, name: '国贸店' }],
};

const base = (kind: ApprovalRequest['kind'], status: ApprovalRequest['status']): ApprovalRequest => ({
  id: ID,
  kind,
  status,
  storeId: STORE,
  storeName: '国贸店',
  customer: { id: '00000000-0000-4000-8000-0000000000c1', name: '林小雅' },
  bill: null,
  amountFen: 0,
  thresholdFen: 0,
  reason: '介绍两位新顾客',
  refund: null,
  requestedBy: { id: '00000000-0000-4000-8000-000000000003', name: '王美丽' },
  createdAt: '2026-05-01T02:00:00Z',
  decidedBy: status === 'pending' ? null : { id: manager.id, name: '刘店长' },
  decidedAt: status === 'pending' ? null : '2026-05-01T02:05:00Z',
  decisionNote: status === 'rejected' ? '折扣过大' : null,
  refundId: null,
  discount: null,
  packageTransfer: null,
});

const discount = (status: ApprovalRequest['status']): ApprovalRequest => ({
  ...base('discount', status),
  amountFen: 30_000,
  thresholdFen: 15_520,
  discount: {
    lines: [
      { name: '深层补水护理', quantity: 2, listPriceFen: 38_800, unitPriceFen: 38_800 },
      { name: '修护精华', quantity: 1, listPriceFen: 20_000, unitPriceFen: 18_000 },
    ],
    subtotalFen: 95_600,
    tierDiscountFen: 0,
    manualDiscountFen: 30_000,
    discountBasisPoints: 3_138,
    limitBasisPoints: 2_000,
    draft: {
      storeId: STORE,
      customerId: '00000000-0000-4000-8000-0000000000c1',
      lines: [],
      manualDiscountFen: 30_000,
      manualDiscountReason: '介绍两位新顾客',
    },
    billId: null,
    usedAt: null,
    expiresAt: '2026-05-01T16:00:00.000Z',
  },
});

const transfer = (status: ApprovalRequest['status']): ApprovalRequest => ({
  ...base('package_transfer', status),
  amountFen: 6,
  packageTransfer: {
    card: { id: '00000000-0000-4000-8000-0000000000e1', name: '补水护理 10 次卡', expiresOn: '2026-12-31' },
    from: { id: '00000000-0000-4000-8000-0000000000c1', name: '林小雅' },
    to: { id: '00000000-0000-4000-8000-0000000000c2', name: '林小静' },
    sessions: 6,
    sessionsLeft: 8,
    toCardId: status === 'approved' ? '00000000-0000-4000-8000-0000000000e2' : null,
    transferId: status === 'approved' ? 42 : null,
  },
});

let current: ApprovalRequest;
let decided: FakeRequest[];

function serve(initial: ApprovalRequest, after: (status: ApprovalRequest['status']) => ApprovalRequest) {
  current = initial;
  decided = [];
  setFakeServer((req) => {
    if (req.url === `${API}/staff/me`) return { status: 200, body: manager };
    if (req.url === `${API}/staff/approval-requests/${ID}`) return { status: 200, body: current };
    if (req.method === 'POST' && req.url === `${API}/staff/approval-requests/${ID}/approve`) {
      decided.push(req);
      current = after('approved');
      return { status: 201, body: current };
    }
    if (req.method === 'POST' && req.url === `${API}/staff/approval-requests/${ID}/reject`) {
      decided.push(req);
      current = after('rejected');
      return { status: 200, body: current };
    }
    throw new Error(`unexpected ${req.method} ${req.url}`);
  });
}

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['manager/inbox/index', `manager/approval/index?id=${ID}`]);
});

describe('审批: a large discount', () => {
  it('shows the lines at list prices, the discount in ¥ and %, and approves it without a bill', async () => {
    serve(discount('pending'), discount);
    render(<ApprovalPage />);
    expect(await screen.findByText('大额折扣 · 待店长审批')).toBeInTheDocument();
    expect(screen.getByText('原价 ¥388.00')).toBeInTheDocument();
    expect(screen.getByText('原价 ¥200.00 · 改价 ¥180.00')).toBeInTheDocument();
    expect(document.querySelector('.mg__discount-subtotal')?.textContent).toBe('¥956.00');
    expect(document.querySelector('.mg__discount-asked')?.textContent).toBe('−¥300.00（31.4%）');
    expect(document.querySelector('.mg__discount-net')?.textContent).toBe('¥656.00');
    expect(screen.getByText('当日有效：须在 2026年5月1日 24:00 前开单')).toBeInTheDocument();
    expect(screen.getByText('美容师可直接给予的优惠上限为原价的 20%')).toBeInTheDocument();

    fireEvent.click(screen.getByText('批准折扣'));
    await waitFor(() => expect(decided).toHaveLength(1));
    expect(decided[0]?.headers['idempotency-key']).toBeTruthy();
    expect(await screen.findByText('大额折扣 · 店长已批准')).toBeInTheDocument();
    expect(screen.queryByText('批准折扣')).toBeNull();
  });

  it('refuses only with a note the beautician reads', async () => {
    serve(discount('pending'), discount);
    render(<ApprovalPage />);
    fireEvent.click(await screen.findByText('拒绝'));
    expect(decided).toHaveLength(0);
    fireEvent.input(document.querySelector('.mg__note input') ?? (document.querySelector('.mg__note') as Element), {
      target: { value: '折扣过大' },
    });
    fireEvent.click(screen.getByText('拒绝'));
    await waitFor(() => expect(decided).toHaveLength(1));
    expect(decided[0]?.data).toEqual({ note: '折扣过大' });
    expect(await screen.findByText('大额折扣 · 店长已拒绝')).toBeInTheDocument();
  });
});

describe('审批: a package-card transfer', () => {
  it('shows the card, both customers and the sessions, and performs it on approval', async () => {
    serve(transfer('pending'), transfer);
    render(<ApprovalPage />);
    expect(await screen.findByText('次卡转让 · 待店长审批')).toBeInTheDocument();
    expect(document.querySelector('.mg__transfer-from')?.textContent).toBe('林小雅');
    expect(document.querySelector('.mg__transfer-to')?.textContent).toBe('林小静');
    expect(document.querySelector('.mg__transfer-sessions')?.textContent).toBe('6 次');
    expect(document.querySelector('.mg__transfer-kept')?.textContent).toBe('2 次');
    fireEvent.click(screen.getByText('批准并转卡'));
    expect(await screen.findByText('已转入对方账户')).toBeInTheDocument();
    expect(screen.getByText('次卡转让 · 店长已批准并执行')).toBeInTheDocument();
  });
});
