import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, fakeTaro, makeBill, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type {
  ApprovalRequest,
  Coupon,
  CustomerProfile,
  OpenBillRequest,
  ShopVoucher,
  StaffCatalog,
  StaffProfile,
  StoreTeam,
  Wallet,
} from '@lumi/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import NewBillPage from './index.tsx';

const API = 'http://api.test';
const CUSTOMER_ID = '00000000-0000-4000-8000-000000000001';
const ME = '00000000-0000-4000-8000-000000000003';
const COLLEAGUE = '00000000-0000-4000-8000-000000000005';
const MANAGER = '00000000-0000-4000-8000-000000000006';
const STORE_A = '00000000-0000-4000-8000-0000000000a1';
const STORE_B = '00000000-0000-4000-8000-0000000000a2';
const SERVICE_ID = '00000000-0000-4000-8000-0000000000e1';

const me: StaffProfile = {
  id: ME,
  tenantId: '00000000-0000-4000-8000-000000000009',
  tenantName: '示例美容院',
  name: '王美丽',
  phone: '13800000003',
  role: 'beautician',
  stores: [
    { id: STORE_A, name: '国贸店' },
    { id: STORE_B, name: '望京店' },
  ],
};

const customer: CustomerProfile = {
  id: CUSTOMER_ID,
  tenantId: me.tenantId,
  tenantName: me.tenantName,
  memberNo: '100001',
  name: '林小雅',
  phone: '13900000001',
  gender: 'female',
  birthday: null,
  tags: [],
  source: null,
  marketingConsent: false,
  memberSince: '2025-05-01',
};

const wallet: Wallet = {
  customerId: CUSTOMER_ID,
  principalFen: 40_000,
  bonusFen: 0,
  totalFen: 40_000,
  points: 0,
  packageCards: [],
  credit: { owedFen: 0, limitFen: 0 },
  chainVerified: null,
};

const catalog: StaffCatalog = {
  services: [{ id: SERVICE_ID, name: '深层补水护理', category: '面部', priceFen: 38_800, durationMinutes: 60 }],
  products: [],
  packagePlans: [],
  pointValueFen: 1,
};

const teams: Record<string, StoreTeam> = {
  [STORE_A]: {
    storeId: STORE_A,
    items: [
      { id: COLLEAGUE, name: '李娜', role: 'beautician' },
      { id: ME, name: '王美丽', role: 'beautician' },
      { id: MANAGER, name: '张店长', role: 'manager' },
    ],
  },
  [STORE_B]: { storeId: STORE_B, items: [{ id: ME, name: '王美丽', role: 'beautician' }] },
};

const VOUCHER_ID = '00000000-0000-4000-8000-0000000007d1';
let vouchers: ShopVoucher[];
let coupons: Coupon[];
let refuseBill: string | null;
let opened: FakeRequest[];
let teamFails: boolean;
/** Her approved, unused discounts the API lists (GET /staff/approval-requests?usable=true). */
let usable: ApprovalRequest[];
let listQueries: unknown[];
/** Answers the requests a test cares about before the page's usual server does. */
let override: ((req: FakeRequest) => { status: number; body: unknown } | undefined) | null;

beforeEach(() => {
  override = null;
  opened = [];
  teamFails = false;
  usable = [];
  listQueries = [];
  vouchers = [];
  coupons = [];
  refuseBill = null;
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/home/index', `checkout/new-bill/index?customerId=${CUSTOMER_ID}`]);
  setFakeServer((req) => {
    const answer = override?.(req);
    if (answer) return answer;
    if (req.url === `${API}/staff/me`) return { status: 200, body: me };
    if (req.url === `${API}/staff/customers/${CUSTOMER_ID}`) return { status: 200, body: customer };
    if (req.url === `${API}/staff/customers/${CUSTOMER_ID}/wallet`) return { status: 200, body: wallet };
    if (req.url === `${API}/staff/catalog`) return { status: 200, body: catalog };
    if (req.method === 'GET' && req.url === `${API}/staff/approval-requests`) {
      listQueries.push(req.data);
      return { status: 200, body: usable };
    }
    if (req.url === `${API}/staff/customers/${CUSTOMER_ID}/shop-vouchers`)
      return { status: 200, body: { items: vouchers } };
    if (req.url === `${API}/staff/customers/${CUSTOMER_ID}/coupons`) return { status: 200, body: { items: coupons } };
    const team = /\/staff\/stores\/([^/]+)\/team$/.exec(req.url);
    if (team) {
      if (teamFails) return { status: 500, body: { error: { code: 'INTERNAL', message: 'down' } } };
      return { status: 200, body: teams[team[1]!] };
    }
    if (req.method === 'POST' && req.url === `${API}/staff/bills`) {
      if (refuseBill) return { status: 422, body: { error: { code: refuseBill, message: 'refused' } } };
      opened.push(req);
      return { status: 201, body: makeBill({ customerId: CUSTOMER_ID }) };
    }
    throw new Error(`unexpected ${req.method} ${req.url}`);
  });
});

const chip = (name: string) => screen.getByText(name, { selector: '.ck__performers .ck__chip' });
const pickService = () => fireEvent.click(document.querySelector('.ck__step--plus') as HTMLElement);
/** The body of the i-th bill opened. */
const sent = (i = 0) => opened[i]!.data as OpenBillRequest;
const sentLines = (i = 0) => sent(i).lines;

describe('new bill: performers', () => {
  it('starts with whoever rings the bill up, and sends the colleagues picked instead', async () => {
    render(<NewBillPage />);
    expect(await screen.findByText('李娜', { selector: '.ck__performers .ck__chip' })).toBeInTheDocument();
    expect(chip('王美丽')).toHaveClass('ck__chip--on');
    expect(chip('李娜')).not.toHaveClass('ck__chip--on');

    fireEvent.click(chip('李娜'));
    fireEvent.click(chip('王美丽'));
    expect(chip('李娜')).toHaveClass('ck__chip--on');
    expect(chip('王美丽')).not.toHaveClass('ck__chip--on');
    expect(screen.getByText(/服务人员：李娜。/)).toBeInTheDocument();

    pickService();
    fireEvent.click(screen.getByText('开单并结账'));
    await waitFor(() => expect(opened).toHaveLength(1));
    expect(sentLines()).toEqual([{ type: 'service', serviceId: SERVICE_ID, quantity: 1, performerIds: [COLLEAGUE] }]);
    expect(sent().storeId).toBe(STORE_A);
    await waitFor(() => expect(fakeTaro.redirectTo).toHaveBeenCalled());
  });

  it('refuses to open a bill with nobody picked', async () => {
    render(<NewBillPage />);
    await screen.findByText('李娜', { selector: '.ck__performers .ck__chip' });
    fireEvent.click(chip('王美丽'));
    pickService();
    fireEvent.click(screen.getByText('开单并结账'));
    expect(await screen.findByText('请至少选择一位服务人员')).toBeInTheDocument();
    expect(opened).toHaveLength(0);
  });

  it("offers the other store's team after switching store, starting again from the signed-in member", async () => {
    render(<NewBillPage />);
    await screen.findByText('李娜', { selector: '.ck__performers .ck__chip' });
    fireEvent.click(chip('李娜'));
    fireEvent.click(screen.getByText('望京店'));
    await waitFor(() => expect(screen.queryByText('李娜', { selector: '.ck__performers .ck__chip' })).toBeNull());
    expect(chip('王美丽')).toHaveClass('ck__chip--on');

    pickService();
    fireEvent.click(screen.getByText('开单并结账'));
    await waitFor(() => expect(opened).toHaveLength(1));
    expect(sent().storeId).toBe(STORE_B);
    expect(sentLines()[0]?.performerIds).toEqual([ME]);
  });

  it('still lets the signed-in member ring up the bill when the team cannot be loaded', async () => {
    teamFails = true;
    render(<NewBillPage />);
    expect(await screen.findByText('同事名单加载失败，仅可选择本人')).toBeInTheDocument();
    expect(chip('王美丽')).toHaveClass('ck__chip--on');
    pickService();
    fireEvent.click(screen.getByText('开单并结账'));
    await waitFor(() => expect(opened).toHaveLength(1));
    expect(sentLines()[0]?.performerIds).toEqual([ME]);
  });
});

describe('new bill: shop vouchers', () => {
  it('adds her unused vouchers as lines of the bill, with the performers picked, and can take one off again', async () => {
    const voucher = (id: string, name: string, status: ShopVoucher['status'] = 'issued'): ShopVoucher => ({
      id,
      customerId: CUSTOMER_ID,
      name,
      serviceId: SERVICE_ID,
      status,
      orderNumber: 'SO-S01-20260305-0001',
      createdAt: '2026-03-05T05:00:00.000Z',
      redeemedAt: null,
      valueFen: 5_800,
      billId: null,
    });
    const OTHER = '00000000-0000-4000-8000-0000000007d2';
    vouchers = [
      voucher(VOUCHER_ID, '面部护理体验券'),
      voucher(OTHER, '肩颈放松体验券'),
      voucher('00000000-0000-4000-8000-0000000007d3', '已用的券', 'redeemed'),
    ];
    render(<NewBillPage />);
    expect(await screen.findByText('面部护理体验券')).toBeInTheDocument();
    expect(screen.queryByText('已用的券')).not.toBeInTheDocument();
    expect(screen.getAllByText('已付 ¥58.00 · 订单 SO-S01-20260305-0001')).toHaveLength(2);
    await screen.findByText('李娜', { selector: '.ck__performers .ck__chip' });
    fireEvent.click(chip('李娜'));

    const add = () => screen.getAllByText(/加入账单|已加入/, { selector: '.ck__shop-vouchers .ck__chip' });
    fireEvent.click(add()[0]!);
    fireEvent.click(add()[1]!);
    fireEvent.click(add()[1]!);
    expect(add().map((b) => b.textContent)).toEqual(['已加入', '加入账单']);
    // A voucher alone is enough for a bill.
    fireEvent.click(screen.getByText('开单并结账'));
    await waitFor(() => expect(opened).toHaveLength(1));
    expect(sentLines()).toEqual([{ type: 'shop_voucher', shopVoucherId: VOUCHER_ID, performerIds: [ME, COLLEAGUE] }]);
  });

  it('shows nothing when she has no unused voucher', async () => {
    render(<NewBillPage />);
    await screen.findByText('深层补水护理');
    expect(screen.queryByText('商城服务券')).not.toBeInTheDocument();
  });
});

describe('new bill: coupons', () => {
  const coupon = (id: string, title: string, usable = true): Coupon => ({
    id,
    customerId: CUSTOMER_ID,
    kind: 'amount_off',
    title,
    description: '满200减50元',
    amountOffFen: 5_000,
    percentOffBasisPoints: null,
    maxDiscountFen: null,
    addonName: null,
    minSpendFen: 20_000,
    validFrom: '2026-03-01T01:00:00.000Z',
    validTo: '2026-03-31T01:00:00.000Z',
    status: 'issued',
    usable,
    campaignId: '00000000-0000-4000-8000-0000000000c1',
    redeemedAt: null,
  });
  const WAKE_UP = '00000000-0000-4000-8000-0000000000f1';

  it('puts the coupon she chose on the bill (tapping it again takes it off)', async () => {
    coupons = [coupon(WAKE_UP, '回店礼'), coupon('00000000-0000-4000-8000-0000000000f2', '过期券', false)];
    render(<NewBillPage />);
    await screen.findByText('回店礼');
    const row = () => screen.getByText('回店礼').closest('.ck__coupon') as HTMLElement;
    // The customer app's wording (@lumi/mini), not the stored description (满200减50元) in a wording of its own.
    expect(screen.getByText('立减 ¥50.00 · 满 ¥200.00 可用 · 2026-03-01 至 2026-03-31')).toBeInTheDocument();
    expect(screen.queryByText(/满200减50元/)).not.toBeInTheDocument();
    expect(screen.queryByText('过期券')).not.toBeInTheDocument();
    fireEvent.click(row());
    expect(row()).toHaveClass('ck__coupon--on');
    fireEvent.click(row());
    expect(row()).not.toHaveClass('ck__coupon--on');
    fireEvent.click(row());
    pickService();
    fireEvent.click(screen.getByText('开单并结账'));
    await waitFor(() => expect(opened).toHaveLength(1));
    expect(sent().couponId).toBe(WAKE_UP);
  });

  it('opens the bill without a coupon when none is chosen', async () => {
    coupons = [coupon(WAKE_UP, '回店礼')];
    render(<NewBillPage />);
    await screen.findByText('回店礼');
    pickService();
    fireEvent.click(screen.getByText('开单并结账'));
    await waitFor(() => expect(opened).toHaveLength(1));
    expect(sent()).not.toHaveProperty('couponId');
  });

  it('shows the server refusing a coupon the bill does not reach, in Chinese', async () => {
    coupons = [coupon(WAKE_UP, '回店礼')];
    refuseBill = 'COUPON_MIN_SPEND_NOT_MET';
    render(<NewBillPage />);
    fireEvent.click(await screen.findByText('回店礼'));
    pickService();
    fireEvent.click(screen.getByText('开单并结账'));
    expect(await screen.findByText('未达到优惠券的最低消费')).toBeInTheDocument();
  });
});

describe('new bill: a discount above the limit', () => {
  const REQUEST_ID = '00000000-0000-4000-8000-0000000000d1';
  let filed: FakeRequest[];
  let status: ApprovalRequest['status'];
  const request = (): ApprovalRequest => ({
    id: REQUEST_ID,
    kind: 'discount',
    status,
    storeId: STORE_A,
    storeName: '国贸店',
    customer: { id: CUSTOMER_ID, name: '林小雅' },
    bill: null,
    amountFen: 15_000,
    thresholdFen: 7_760,
    reason: '老顾客转介绍',
    refund: null,
    requestedBy: { id: ME, name: '王美丽' },
    createdAt: '2026-05-01T02:00:00Z',
    decidedBy: status === 'pending' ? null : { id: MANAGER, name: '张店长' },
    decidedAt: status === 'pending' ? null : '2026-05-01T02:05:00Z',
    decisionNote: status === 'rejected' ? '折扣过大' : null,
    refundId: null,
    discount: null,
    packageTransfer: null,
  });

  beforeEach(() => {
    filed = [];
    status = 'pending';
    override = (req) => {
      if (req.method === 'POST' && req.url === `${API}/staff/approval-requests/discounts`) {
        filed.push(req);
        return { status: 201, body: request() };
      }
      if (req.url === `${API}/staff/approval-requests/${REQUEST_ID}`) return { status: 200, body: request() };
      if (req.method === 'POST' && req.url === `${API}/staff/bills`) {
        opened.push(req);
        const body = req.data as OpenBillRequest;
        if (body.approvalRequestId)
          return { status: 201, body: makeBill({ customerId: CUSTOMER_ID, totalFen: 23_800 }) };
        return {
          status: 403,
          body: {
            error: {
              code: 'DISCOUNT_APPROVAL_REQUIRED',
              message: 'A discount this large needs a manager',
              details: { limitBasisPoints: 2_000, limitFen: 7_760, manualDiscountFen: 15_000, subtotalFen: 38_800 },
            },
          },
        };
      }
      return undefined;
    };
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function refuse() {
    render(<NewBillPage />);
    await screen.findByText('李娜', { selector: '.ck__performers .ck__chip' });
    pickService();
    fireEvent.input(
      document.querySelector('.ck__discount input') ?? (document.querySelector('.ck__discount') as Element),
      {
        target: { value: '150' },
      },
    );
    fireEvent.input(
      document.querySelector('.ck__discount-reason input') ??
        (document.querySelector('.ck__discount-reason') as Element),
      { target: { value: '老顾客转介绍' } },
    );
    fireEvent.click(screen.getByText('开单并结账'));
    return screen.findByText('折扣需店长审批');
  }

  it('shows the limit, sends the refused draft to the manager and opens it with the approval once approved', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    await refuse();
    expect(screen.getByText('优惠 ¥150.00（原价 ¥388.00 的 38.7%）')).toBeInTheDocument();
    expect(screen.getByText('超过店长审批额度 20%（¥77.60）')).toBeInTheDocument();
    expect(screen.queryByText('开单并结账')).toBeNull();

    fireEvent.click(screen.getByText('请店长审批'));
    expect(await screen.findByText('待店长审批')).toBeInTheDocument();
    expect(filed[0]?.data).toEqual({ draft: sent(0) });
    expect(sent(0)).toMatchObject({ manualDiscountFen: 15_000, manualDiscountReason: '老顾客转介绍' });

    status = 'approved';
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5_500);
    });
    await waitFor(() => expect(opened).toHaveLength(2));
    expect(sent(1)).toEqual({ ...sent(0), approvalRequestId: REQUEST_ID });
    await waitFor(() => expect(fakeTaro.redirectTo).toHaveBeenCalled());
  });

  it("shows a refusal with the manager's note and opens nothing", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    await refuse();
    fireEvent.click(screen.getByText('请店长审批'));
    await screen.findByText('待店长审批');
    status = 'rejected';
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5_500);
    });
    expect(await screen.findByText('店长已拒绝')).toBeInTheDocument();
    expect(screen.getByText('张店长：折扣过大')).toBeInTheDocument();
    expect(opened).toHaveLength(1);
  });
});

describe('new bill: an approved discount she has not used yet', () => {
  const REQUEST_ID = '00000000-0000-4000-8000-0000000000d2';
  const draft = {
    storeId: STORE_A,
    customerId: CUSTOMER_ID,
    lines: [{ type: 'service' as const, serviceId: SERVICE_ID, quantity: 1, performerIds: [ME] }],
    manualDiscountFen: 15_000,
    manualDiscountReason: '老顾客转介绍',
  };
  const approved: ApprovalRequest = {
    id: REQUEST_ID,
    kind: 'discount',
    status: 'approved',
    storeId: STORE_A,
    storeName: '国贸店',
    customer: { id: CUSTOMER_ID, name: '林小雅' },
    bill: null,
    amountFen: 15_000,
    thresholdFen: 7_760,
    reason: '老顾客转介绍',
    refund: null,
    requestedBy: { id: ME, name: '王美丽' },
    createdAt: '2026-05-01T02:00:00Z',
    decidedBy: { id: MANAGER, name: '张店长' },
    decidedAt: '2026-05-01T02:05:00Z',
    decisionNote: null,
    refundId: null,
    discount: {
      lines: [{ name: '深层补水', quantity: 1, listPriceFen: 38_800, unitPriceFen: 38_800 }],
      subtotalFen: 38_800,
      tierDiscountFen: 0,
      manualDiscountFen: 15_000,
      discountBasisPoints: 3_866,
      limitBasisPoints: 2_000,
      draft,
      billId: null,
      usedAt: null,
      expiresAt: '2026-05-01T16:00:00.000Z',
    },
    packageTransfer: null,
  };

  it("lists this customer's approved discount with its expiry; one tap opens exactly the approved bill", async () => {
    usable = [approved];
    render(<NewBillPage />);
    expect(await screen.findByText('待开单的折扣审批')).toBeInTheDocument();
    expect(listQueries).toContainEqual({ kind: 'discount', usable: 'true', customerId: CUSTOMER_ID });
    expect(screen.getByText('优惠 ¥150.00（原价 ¥388.00） · 有效至 2026年5月1日 24:00')).toBeInTheDocument();
    fireEvent.click(screen.getByText('林小雅', { selector: '.ck__approved-discount Text, .ck__approved-discount *' }));
    await waitFor(() => expect(opened).toHaveLength(1));
    expect(sent()).toEqual({ ...draft, approvalRequestId: REQUEST_ID });
    await waitFor(() => expect(fakeTaro.redirectTo).toHaveBeenCalled());
  });

  it('says so in Chinese when the approval has expired meanwhile, and shows nothing when there is none', async () => {
    usable = [approved];
    override = (req) =>
      req.method === 'POST' && req.url === `${API}/staff/bills`
        ? { status: 409, body: { error: { code: 'APPROVAL_EXPIRED', message: 'expired' } } }
        : undefined;
    render(<NewBillPage />);
    fireEvent.click(await screen.findByText('开单 ›', { selector: '.ck__approved-discount *' }));
    expect(await screen.findByText('该折扣审批已过期（当日有效），请重新提交店长审批')).toBeInTheDocument();
  });
});

describe('new bill: member assets', () => {
  it('names her credit 挂账, the word the tender uses, with what she owes against her limit', async () => {
    override = (req) =>
      req.url === `${API}/staff/customers/${CUSTOMER_ID}/wallet`
        ? { status: 200, body: { ...wallet, credit: { owedFen: 12_000, limitFen: 50_000 } } }
        : undefined;
    render(<NewBillPage />);
    expect(await screen.findByText('欠 ¥120.00 / 额度 ¥500.00')).toBeInTheDocument();
    expect(screen.getByText('挂账', { selector: '.ck__assets *' })).toBeInTheDocument();
    expect(screen.queryByText('赊账')).toBeNull();
  });
});
