import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, fakeTaro, makeBill, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { Bill, BillRefund } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import RefundPage from './index.tsx';

const API = 'http://api.test';
const FACIAL = '00000000-0000-4000-8000-0000000000c1';
const SERUM = '00000000-0000-4000-8000-0000000000c2';
const SESSION = '00000000-0000-4000-8000-0000000000c3';

/** Two facials (one already given back), a serum, and a session from a package card that carries no money. */
const earlier: BillRefund = {
  id: '00000000-0000-4000-8000-0000000000e1',
  kind: 'refund',
  amountFen: 38_800,
  lines: [{ lineId: FACIAL, quantity: 1, amountFen: 38_800, sessions: 0 }],
  tenders: [],
  pointsClawedBack: 0,
  reason: '顾客临时有事',
  staffId: '00000000-0000-4000-8000-000000000011',
  transferId: 9,
  wechatOutRefundNo: null,
  createdAt: '2026-03-05T06:00:00Z',
};
const base = makeBill();
const bill: Bill = makeBill({
  lines: [
    { ...base.lines[0]!, id: FACIAL, quantity: 2, amountFen: 77_600 },
    {
      ...base.lines[0]!,
      id: SERUM,
      type: 'product',
      name: '玻尿酸精华',
      listPriceFen: 12_800,
      unitPriceFen: 12_800,
      amountFen: 12_800,
    },
    {
      ...base.lines[0]!,
      id: SESSION,
      type: 'package_session',
      name: '补水次卡',
      listPriceFen: 0,
      unitPriceFen: 0,
      amountFen: 0,
    },
  ],
  subtotalFen: 90_400,
  totalFen: 90_400,
  tenders: [{ method: 'stored_value', amountFen: 90_400 }],
  refundedFen: 38_800,
  refunds: [earlier],
});
const REFUNDS = `${API}/staff/bills/${bill.id}/refunds`;
const APPROVALS = `${API}/staff/bills/${bill.id}/approval-requests`;

let sent: FakeRequest[];
/** What POST …/refunds answers; by default the refunded bill. */
let refundAnswer: () => { status: number; body: unknown };
let billAnswer: () => { status: number; body: unknown };

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages([`checkout/bill/index?id=${bill.id}`, `checkout/refund/index?id=${bill.id}`]);
  sent = [];
  refundAnswer = () => ({ status: 201, body: bill });
  billAnswer = () => ({ status: 200, body: bill });
  setFakeServer((req) => {
    if (req.method === 'GET' && req.url === `${API}/staff/bills/${bill.id}`) return billAnswer();
    sent.push(req);
    if (req.method === 'POST' && req.url === REFUNDS) return refundAnswer();
    if (req.method === 'POST' && req.url === APPROVALS) return { status: 201, body: {} };
    throw new Error(`unexpected ${req.method} ${req.url}`);
  });
});

const lineRow = (name: string) => screen.getByText(new RegExp(`^${name} ×`)).closest('.ck__refund-line') as HTMLElement;
const plus = (name: string) => fireEvent.click(lineRow(name).querySelector('.ck__refund-plus') as HTMLElement);
const byAmount = (name: string, yuan: string) => {
  const chip = [...lineRow(name).querySelectorAll('.ck__chip')].find((c) => c.textContent === '按金额');
  fireEvent.click(chip as HTMLElement);
  fireEvent.change(lineRow(name).querySelector('.ck__input--amount') as HTMLInputElement, { target: { value: yuan } });
};
const giveReason = (text: string) =>
  fireEvent.change(screen.getByPlaceholderText('退款原因'), { target: { value: text } });
const confirm = () => fireEvent.click(screen.getByText('确认退款'));

describe('部分退款', () => {
  it('offers only what earlier refunds left, sends the units chosen with an Idempotency-Key, and goes back', async () => {
    render(<RefundPage />);
    expect(await screen.findByText('选择退款项目')).toBeInTheDocument();
    // Services and sessions are counted in 次, goods in 件; a session shows what it was paid with, not ¥0.00.
    expect(lineRow('深层补水护理')).toHaveTextContent('实付 ¥776.00 · 可退 1 次');
    expect(lineRow('玻尿酸精华')).toHaveTextContent('实付 ¥128.00 · 可退 1 件');
    expect(lineRow('补水次卡')).toHaveTextContent('次卡抵扣 · 可退 1 次');
    // A session is given back as a session: no 按金额 for it.
    expect(lineRow('补水次卡').querySelectorAll('.ck__chip')).toHaveLength(1);
    expect(lineRow('深层补水护理').querySelectorAll('.ck__chip')).toHaveLength(2);

    plus('深层补水护理');
    plus('深层补水护理');
    expect(lineRow('深层补水护理').querySelector('.ck__count')).toHaveTextContent('1');
    plus('补水次卡');
    giveReason('  顾客过敏  ');
    confirm();

    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.data).toEqual({
      lines: [
        { lineId: FACIAL, quantity: 1 },
        { lineId: SESSION, quantity: 1 },
      ],
      reason: '顾客过敏',
      restock: true,
    });
    expect(sent[0]?.headers['idempotency-key']).toMatch(/\S{8,}/);
    await waitFor(() => expect(fakeTaro.navigateBack).toHaveBeenCalled());
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已退款' }));
  });

  it('refunds part of a line by amount in integer fen, keeping the goods', async () => {
    render(<RefundPage />);
    await screen.findByText('选择退款项目');
    byAmount('玻尿酸精华', '50.5');
    giveReason('效果不满意');
    confirm();
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.data).toEqual({
      lines: [{ lineId: SERUM, amountFen: 5_050 }],
      reason: '效果不满意',
      restock: true,
    });
  });

  it('says what is wrong in Chinese and sends nothing: no line, no reason, a bad or too large amount', async () => {
    render(<RefundPage />);
    await screen.findByText('选择退款项目');
    confirm();
    expect(await screen.findByText('请选择要退的项目数量或金额')).toBeInTheDocument();

    plus('玻尿酸精华');
    giveReason('退');
    confirm();
    expect(await screen.findByText('请填写退款原因（至少 2 个字）')).toBeInTheDocument();

    giveReason('顾客要求');
    byAmount('深层补水护理', '1.234');
    confirm();
    expect(await screen.findByText('深层补水护理：请输入正确的金额，最多两位小数')).toBeInTheDocument();

    byAmount('深层补水护理', '776.01');
    confirm();
    expect(await screen.findByText('深层补水护理：退款金额不能超过 ¥776.00')).toBeInTheDocument();
    expect(sent).toHaveLength(0);
  });

  it("shows the API's refusal in Chinese and retries the same refund under the same key", async () => {
    refundAnswer = () => ({ status: 503, body: { error: { code: 'INTERNAL', message: 'busy' } } });
    render(<RefundPage />);
    await screen.findByText('选择退款项目');
    plus('玻尿酸精华');
    giveReason('顾客要求');
    confirm();
    expect(await screen.findByText('服务器开小差了，请稍后重试')).toBeInTheDocument();
    expect(fakeTaro.navigateBack).not.toHaveBeenCalled();

    refundAnswer = () => ({ status: 422, body: { error: { code: 'REFUND_AMOUNT_EXCEEDED', message: 'too much' } } });
    confirm();
    expect(await screen.findByText('退款金额超过可退金额')).toBeInTheDocument();
    const posts = sent.filter((r) => r.url === REFUNDS);
    expect(posts).toHaveLength(2);
    expect(posts[1]?.headers['idempotency-key']).toBe(posts[0]?.headers['idempotency-key']);
  });

  it('above the threshold asks a manager with the refund she built, then goes back to the bill', async () => {
    refundAnswer = () => ({
      status: 403,
      body: { error: { code: 'MANAGER_APPROVAL_REQUIRED', message: 'needs a manager' } },
    });
    render(<RefundPage />);
    await screen.findByText('选择退款项目');
    plus('深层补水护理');
    giveReason('顾客投诉');
    confirm();
    fireEvent.click(await screen.findByText('请店长审批'));
    expect(screen.getByText('金额超过店长审批额度，需要店长批准后由系统执行。')).toBeInTheDocument();
    expect(screen.queryByText('需要店长操作')).toBeNull();

    await waitFor(() => expect(sent.filter((r) => r.url === APPROVALS)).toHaveLength(1));
    expect(sent.find((r) => r.url === APPROVALS)?.data).toEqual({
      kind: 'refund',
      refund: { lines: [{ lineId: FACIAL, quantity: 1 }], reason: '顾客投诉', restock: true },
    });
    await waitFor(() => expect(fakeTaro.navigateBack).toHaveBeenCalled());
  });

  it('shows 加载中 first, and a bill that cannot be found with 返回 but no 重试', async () => {
    billAnswer = () => ({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'Bill not found' } } });
    render(<RefundPage />);
    expect(screen.getByText('加载中…')).toBeInTheDocument();
    expect(await screen.findByText('没有找到这条记录，它可能已被撤销或删除')).toBeInTheDocument();
    expect(screen.queryByText('Bill not found')).toBeNull();
    expect(screen.getByRole('button', { name: '返回' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '重试' })).toBeNull();
    expect(screen.queryByText('确认退款')).toBeNull();
  });
});
