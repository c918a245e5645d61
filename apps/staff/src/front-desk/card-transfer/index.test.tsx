import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { ApprovalRequest, CustomerProfile, StaffProfile, StaffRole, Wallet } from '@lumi/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import CardTransferPage from './index.tsx';

const API = 'http://api.test';
const FROM = '00000000-0000-4000-8000-0000000000c1';
const TO = '00000000-0000-4000-8000-0000000000c2';
const CARD = '00000000-0000-4000-8000-0000000000e1';
const STORE = '00000000-0000-4000-8000-000000000004';
const REQUEST = '00000000-0000-4000-8000-0000000000f1';

const staff = (role: StaffRole): StaffProfile => ({
  id: '00000000-0000-4000-8000-000000000003',
  tenantId: '00000000-0000-4000-8000-000000000001',
  tenantName: '示例美容院',
  name: role === 'beautician' ? '王美丽' : '刘店长',
  phone: '13800000003',
  role,
  stores: [{ id: STORE, name: '国贸店' }],
});
const customer = { id: FROM, name: '林小雅', phone: '139****0001', memberNo: '100001' } as CustomerProfile;
const wallet = {
  customerId: FROM,
  packageCards: [
    {
      id: CARD,
      name: '补水护理 10 次卡',
      sessionsTotal: 10,
      sessionsLeft: 6,
      expiresOn: '2026-12-31',
      expired: false,
    },
  ],
} as unknown as Wallet;
const receiver = { id: TO, name: '林小静', phone: '139****0002', memberNo: '100002' };
const other = (_: unknown, i: number) => ({
  id: `00000000-0000-4000-8000-0000000003${String(i).padStart(2, '0')}`,
  name: `林客${i}`,
  phone: `139****03${String(i).padStart(2, '0')}`,
  memberNo: String(100_300 + i),
});

let status: ApprovalRequest['status'];
let sent: FakeRequest[];
const request = (): ApprovalRequest => ({
  id: REQUEST,
  kind: 'package_transfer',
  status,
  storeId: STORE,
  storeName: '国贸店',
  customer: { id: FROM, name: '林小雅' },
  bill: null,
  amountFen: 6,
  thresholdFen: 0,
  reason: '转给妹妹使用',
  refund: null,
  requestedBy: { id: '00000000-0000-4000-8000-000000000003', name: '王美丽' },
  createdAt: '2026-05-01T02:00:00Z',
  decidedBy: status === 'pending' ? null : { id: '00000000-0000-4000-8000-000000000002', name: '刘店长' },
  decidedAt: status === 'pending' ? null : '2026-05-01T02:05:00Z',
  decisionNote: status === 'approved' ? '已核实' : null,
  refundId: null,
  discount: null,
  packageTransfer: {
    card: { id: CARD, name: '补水护理 10 次卡', expiresOn: '2026-12-31' },
    from: { id: FROM, name: '林小雅' },
    to: { id: TO, name: '林小静' },
    sessions: 6,
    sessionsLeft: 6,
    toCardId: null,
    transferId: null,
  },
});

function serve(role: StaffRole) {
  sent = [];
  setFakeServer((req) => {
    if (req.url === `${API}/staff/me`) return { status: 200, body: staff(role) };
    if (req.url === `${API}/staff/customers/${FROM}`) return { status: 200, body: customer };
    if (req.url === `${API}/staff/customers/${FROM}/wallet`) return { status: 200, body: wallet };
    if (req.url === `${API}/staff/approval-requests`) return { status: 200, body: [] };
    if (req.url === `${API}/staff/customers/${TO}`) return { status: 200, body: receiver };
    if (req.method === 'GET' && req.url === `${API}/staff/customers`) {
      // 20 a page, as the API: the card's owner and 19 others first, her sister 林小静 only on page 2.
      if ((req.data as { cursor?: string }).cursor === 'p2') {
        return { status: 200, body: { items: [receiver], nextCursor: null } };
      }
      return { status: 200, body: { items: [customer, ...Array.from({ length: 19 }, other)], nextCursor: 'p2' } };
    }
    if (req.url === `${API}/staff/customers/member-code`) {
      const { code } = req.data as { code: string };
      return code === 'M1.sister'
        ? { status: 200, body: receiver }
        : { status: 422, body: { error: { code: 'MEMBER_CODE_EXPIRED', message: 'expired' } } };
    }
    if (req.method === 'POST') {
      sent.push(req);
      if (req.url === `${API}/staff/approval-requests/package-transfers`) return { status: 201, body: request() };
      return { status: 201, body: { transferId: 7 } };
    }
    if (req.url === `${API}/staff/approval-requests/${REQUEST}`) return { status: 200, body: request() };
    throw new Error(`unexpected ${req.method} ${req.url}`);
  });
}

const type = (selector: string, value: string) =>
  fireEvent.input(document.querySelector(`${selector} input`) ?? (document.querySelector(selector) as Element), {
    target: { value },
  });

async function search(text: string) {
  const field = (await waitFor(() => document.querySelector('.fd__customer-search'))) as HTMLInputElement;
  fireEvent.change(field, { target: { value: text } });
  fireEvent.keyDown(field, { key: 'Enter' });
}

async function fill() {
  render(<CardTransferPage />);
  expect(await screen.findByText('补水护理 10 次卡')).toBeInTheDocument();
  await search('林');
  // Her sister is the 21st match: past the first 20, one 加载更多 away.
  expect(await screen.findByText('林客18')).toBeInTheDocument();
  expect(screen.queryByText('林小静')).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: '加载更多' }));
  fireEvent.click(await screen.findByText('林小静'));
  expect(await screen.findByText('林小静 139****0002')).toBeInTheDocument();
  type('.fd__transfer-reason', '转给妹妹使用');
}

beforeEach(() => {
  status = 'pending';
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['front-desk/customer/index', `front-desk/card-transfer/index?customerId=${FROM}&cardId=${CARD}`]);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('转卡', () => {
  it("a beautician asks the manager and her screen follows the request to the manager's decision", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    serve('beautician');
    await fill();
    fireEvent.click(screen.getByText('请店长审批'));
    expect(await screen.findByText('待店长审批')).toBeInTheDocument();
    expect(sent[0]?.data).toEqual({
      storeId: STORE,
      customerId: FROM,
      packageCardId: CARD,
      toCustomerId: TO,
      reason: '转给妹妹使用',
      sessions: 6,
    });
    expect(screen.getByText('林小雅 → 林小静 · 6 次')).toBeInTheDocument();
    expect(screen.queryByText('请店长审批')).toBeNull();

    status = 'approved';
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5_500);
    });
    expect(await screen.findByText('店长已批准并执行')).toBeInTheDocument();
    expect(screen.getByText('刘店长：已核实')).toBeInTheDocument();
  });

  it('a manager transfers directly, with an Idempotency-Key', async () => {
    serve('manager');
    await fill();
    fireEvent.click(screen.getByText('确认转卡'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.url).toBe(`${API}/staff/customers/${FROM}/package-cards/${CARD}/transfers`);
    expect(sent[0]?.data).toEqual({ toCustomerId: TO, reason: '转给妹妹使用', sessions: 6 });
    expect(sent[0]?.headers['idempotency-key']).toBeTruthy();
    expect(await screen.findByText('已转入对方账户，双方会员卡已更新。')).toBeInTheDocument();
  });

  it('will not transfer to the card’s owner, and takes the receiver from her member code', async () => {
    serve('manager');
    render(<CardTransferPage />);
    expect(await screen.findByText('补水护理 10 次卡')).toBeInTheDocument();
    fireEvent.click(await screen.findByText('林小雅'));
    expect(await screen.findByText('不能转给持卡人本人，请选择另一位顾客')).toBeInTheDocument();
    expect(screen.queryByText('确认转卡')).toBeNull();

    fireEvent.change(screen.getByPlaceholderText('输入或粘贴会员码'), { target: { value: 'M1.sister' } });
    fireEvent.click(screen.getByRole('button', { name: '确定' }));
    expect(await screen.findByText('林小静 139****0002')).toBeInTheDocument();
    // 更换 goes back to the search; the receiver is chosen again.
    fireEvent.click(screen.getByText('更换'));
    expect(await screen.findByPlaceholderText('输入或粘贴会员码')).toBeInTheDocument();
    expect(screen.queryByText('确认转卡')).toBeNull();
  });

  it('moves fewer sessions when asked: 1..left, and says what the card keeps', async () => {
    serve('manager');
    await fill();
    expect(screen.getByText('全部转出，本卡剩余 0 次')).toBeInTheDocument();
    const minus = document.querySelector('.fd__transfer-count .fd__step--minus') as HTMLElement;
    const plus = document.querySelector('.fd__transfer-count .fd__step--plus') as HTMLElement;
    fireEvent.click(plus); // never above the 6 left
    fireEvent.click(minus);
    fireEvent.click(minus);
    expect(screen.getByText('本卡保留 2 次')).toBeInTheDocument();
    for (let i = 0; i < 8; i++) fireEvent.click(minus); // never below 1
    expect(screen.getByText('本卡保留 5 次')).toBeInTheDocument();
    fireEvent.click(plus);
    fireEvent.click(plus);
    fireEvent.click(plus);
    fireEvent.click(screen.getByText('确认转卡'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.data).toEqual({ toCustomerId: TO, reason: '转给妹妹使用', sessions: 4 });
  });
});
