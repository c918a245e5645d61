import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, fakeTaro, makeBill, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type {
  CustomerProfile,
  OpenBillRequest,
  ShopVoucher,
  StaffCatalog,
  StaffProfile,
  StoreTeam,
  Wallet,
} from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
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
let opened: FakeRequest[];
let teamFails: boolean;

beforeEach(() => {
  opened = [];
  teamFails = false;
  vouchers = [];
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/home/index', `checkout/new-bill/index?customerId=${CUSTOMER_ID}`]);
  setFakeServer((req) => {
    if (req.url === `${API}/staff/me`) return { status: 200, body: me };
    if (req.url === `${API}/staff/customers/${CUSTOMER_ID}`) return { status: 200, body: customer };
    if (req.url === `${API}/staff/customers/${CUSTOMER_ID}/wallet`) return { status: 200, body: wallet };
    if (req.url === `${API}/staff/catalog`) return { status: 200, body: catalog };
    if (req.url === `${API}/staff/customers/${CUSTOMER_ID}/shop-vouchers`)
      return { status: 200, body: { items: vouchers } };
    const team = /\/staff\/stores\/([^/]+)\/team$/.exec(req.url);
    if (team) {
      if (teamFails) return { status: 500, body: { error: { code: 'INTERNAL', message: 'down' } } };
      return { status: 200, body: teams[team[1]!] };
    }
    if (req.method === 'POST' && req.url === `${API}/staff/bills`) {
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
      orderNumber: 'SO20260305A1B2C3',
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
    expect(screen.getAllByText('已付 ¥58.00 · 订单 SO20260305A1B2C3')).toHaveLength(2);
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
