import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, fakeTaro, setFakeServer } from '@lumi/mini/testing';
import type { DecidedInboxItem, ManagerInbox, StaffProfile, StaffRole } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import InboxPage from './index.tsx';

const API = 'http://api.test';
const profile = (role: StaffRole): StaffProfile => ({
  id: '00000000-0000-4000-8000-000000000002',
  tenantId: '00000000-0000-4000-8000-000000000001',
  tenantName: '示例美容院',
  name: role === 'beautician' ? '王美丽' : '刘店长',
  phone: '13800000002',
  role,
  stores: [{ id: '00000000-0000-4000-8000-000000000004', name: '国贸店' }],
});

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const inbox: ManagerInbox = {
  counts: { credit_limit: 1, void_refund: 1, discount: 1, package_transfer: 1, dispute: 1, after_sale: 1, total: 6 },
  oldestWaitingAt: hoursAgo(60),
  items: [
    {
      kind: 'void_refund',
      id: '00000000-0000-4000-8000-0000000000a1',
      customerId: '00000000-0000-4000-8000-0000000000c1',
      customerName: '林小雅',
      raisedBy: '王美丽',
      amountFen: 128_000,
      summary: '撤销 S01-0012：开错顾客',
      createdAt: hoursAgo(1),
    },
    {
      kind: 'discount',
      id: '00000000-0000-4000-8000-0000000000a4',
      customerId: '00000000-0000-4000-8000-0000000000c4',
      customerName: '赵敏',
      raisedBy: '王美丽',
      amountFen: 30_000,
      summary: '折扣 国贸店：介绍两位新顾客',
      createdAt: hoursAgo(2),
    },
    {
      kind: 'package_transfer',
      id: '00000000-0000-4000-8000-0000000000a5',
      customerId: '00000000-0000-4000-8000-0000000000c5',
      customerName: '孙丽',
      raisedBy: '王美丽',
      amountFen: 6,
      summary: '转卡 补水护理 10 次卡 → 孙琪：出国半年',
      createdAt: hoursAgo(3),
    },
    {
      kind: 'credit_limit',
      id: '00000000-0000-4000-8000-0000000000a2',
      customerId: '00000000-0000-4000-8000-0000000000c2',
      customerName: '周晓',
      raisedBy: '王美丽',
      amountFen: 300_000,
      summary: '老顾客，希望月底统一结算',
      createdAt: hoursAgo(5),
    },
    {
      kind: 'dispute',
      id: '00000000-0000-4000-8000-0000000000a3',
      customerId: '00000000-0000-4000-8000-0000000000c3',
      customerName: '陈静',
      raisedBy: '陈静',
      amountFen: 38_800,
      summary: 'S01-0009：护理时间比约定的短',
      createdAt: hoursAgo(50),
    },
    {
      kind: 'after_sale',
      id: '00000000-0000-4000-8000-0000000000a6',
      customerId: '00000000-0000-4000-8000-0000000000c6',
      customerName: '吴倩',
      raisedBy: '吴倩',
      amountFen: 16_800,
      summary: 'SO-S01-20261207-0042：过敏，想退',
      createdAt: hoursAgo(60),
    },
  ],
};

const decidedItem = (n: number, over: Partial<DecidedInboxItem>): DecidedInboxItem => ({
  ...inbox.items[n]!,
  decision: 'approved',
  decidedAmountFen: null,
  decidedBy: '刘店长',
  note: null,
  decidedAt: '2026-12-07T06:30:00.000Z',
  ...over,
});
// Two pages: the first names the cursor the second is asked with.
const decidedPages = {
  first: {
    items: [
      decidedItem(3, {
        decision: 'lowered',
        decidedAmountFen: 150_000,
        note: '先给一半',
        decidedAt: '2026-12-07T08:05:00.000Z',
      }),
      decidedItem(4, { decision: 'answered', decidedBy: '张店主', note: '已做补水，见护理记录' }),
    ],
    nextCursor: '2026-12-07T06:30:00.000000Z~00000000-0000-4000-8000-0000000000a3',
  },
  second: {
    items: [decidedItem(0, { decision: 'rejected', note: '账单无误', decidedAt: '2026-12-06T02:00:00.000Z' })],
    nextCursor: null,
  },
};

let requests: FakeRequest[];
function serve(role: StaffRole) {
  requests = [];
  setFakeServer((req) => {
    requests.push(req);
    if (req.url === `${API}/staff/me`) return { status: 200, body: profile(role) };
    // H5: the simulator stands in for wx.login and the consent dialog.
    if (req.url.endsWith('/__control/login-codes')) return { status: 200, body: { code: 'sim-login-code' } };
    if (req.url.endsWith('/__control/subscriptions')) return { status: 201, body: {} };
    if (req.url === `${API}/staff/me/wechat`) {
      return { status: 200, body: { bound: true, approvalTemplateId: 'tmpl-approval' } };
    }
    if (req.url.startsWith(`${API}/staff/inbox/decided`)) {
      const page = req.url.includes('cursor=') ? decidedPages.second : decidedPages.first;
      const kind = new URL(req.url).searchParams.get('kind');
      return { status: 200, body: { ...page, items: page.items.filter((i) => !kind || i.kind === kind) } };
    }
    if (req.url.startsWith(`${API}/staff/inbox`)) {
      const oldest = req.url.includes('order=oldest');
      return { status: 200, body: oldest ? { ...inbox, items: [...inbox.items].reverse() } : inbox };
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
}

beforeEach(() => saveSession({ accessToken: 'a', refreshToken: 'r' }));

describe('审批 inbox', () => {
  it('lists everything waiting with counts and waiting times, and opens each kind on its own page', async () => {
    serve('manager');
    render(<InboxPage />);
    expect(await screen.findByText('全部 6')).toBeInTheDocument();
    expect(screen.getByText('商城售后 1')).toBeInTheDocument();
    expect(screen.getByText('撤销/退款 1')).toBeInTheDocument();
    expect(screen.getByText('大额折扣 1')).toBeInTheDocument();
    expect(screen.getByText('转卡 1')).toBeInTheDocument();
    expect(screen.getByText('最久一项已等待 2 天')).toBeInTheDocument();
    const rows = document.querySelectorAll('.mg__item');
    expect([...rows].map((r) => r.className.match(/mg__item--(\w+)/)?.[1])).toEqual([
      'void_refund',
      'discount',
      'package_transfer',
      'credit_limit',
      'dispute',
      'after_sale',
    ]);
    expect(rows[0]?.textContent).toContain('¥1,280.00');
    expect(rows[1]?.textContent).toContain('¥300.00');
    // A transfer's figure is its sessions, not money.
    expect(rows[2]?.textContent).toContain('6 次');
    expect(rows[2]?.textContent).not.toContain('¥');

    fireEvent.click(rows[1] as Element);
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({
      url: '/manager/approval/index?id=00000000-0000-4000-8000-0000000000a4',
    });
    fireEvent.click(rows[2] as Element);
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({
      url: '/manager/approval/index?id=00000000-0000-4000-8000-0000000000a5',
    });
    fireEvent.click(rows[3] as Element);
    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({
      url: '/manager/credit-request/index?id=00000000-0000-4000-8000-0000000000a2',
    });
    fireEvent.click(rows[4] as Element);
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({
      url: '/manager/dispute/index?id=00000000-0000-4000-8000-0000000000a3',
    });
    // A shop 售后 is decided on the shop's after-sales page, the customer's money and reason shown on the row.
    expect(rows[5]?.textContent).toContain('商城售后 · 吴倩');
    expect(rows[5]?.textContent).toContain('¥168.00');
    expect(rows[5]?.textContent).toContain('SO-S01-20261207-0042：过敏，想退');
    fireEvent.click(rows[5] as Element);
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({
      url: '/shop/after-sales/index?id=00000000-0000-4000-8000-0000000000a6',
    });
  });

  it('puts the longest waiting first on 等待最久', async () => {
    serve('owner');
    render(<InboxPage />);
    fireEvent.click(await screen.findByText('等待最久'));
    await waitFor(() => expect(requests.some((r) => r.url.includes('order=oldest'))).toBe(true));
    await waitFor(() => expect(document.querySelector('.mg__item')?.className).toContain('mg__item--after_sale'));
  });

  it('shows 已处理 beside 待处理: decisions with who, note and time, paged, each opening its own page', async () => {
    serve('manager');
    render(<InboxPage />);
    fireEvent.click(await screen.findByText('已处理'));
    await waitFor(() => expect(document.querySelectorAll('.mg__decided')).toHaveLength(2));
    let rows = [...document.querySelectorAll('.mg__decided')];
    expect(rows[0]?.textContent).toContain('额度申请 · 周晓');
    expect(rows[0]?.textContent).toContain('降低额度至 ¥1,500.00 · 刘店长 · 2026-12-07 16:05');
    expect(rows[0]?.textContent).toContain('备注：先给一半');
    expect(rows[0]?.textContent).toContain('¥3,000.00');
    expect(rows[1]?.textContent).toContain('已答复 · 张店主');
    expect(rows[1]?.textContent).toContain('答复：已做补水，见护理记录');
    expect(screen.queryByText('全部 6')).toBeNull();

    fireEvent.click(screen.getByText('加载更多'));
    await waitFor(() => expect(document.querySelectorAll('.mg__decided')).toHaveLength(3));
    const more = requests.filter((r) => r.url.includes('/staff/inbox/decided')).at(-1);
    expect(new URL(more!.url).searchParams.get('cursor')).toBe(decidedPages.first.nextCursor);
    rows = [...document.querySelectorAll('.mg__decided')];
    expect(rows[2]?.textContent).toContain('拒绝 · 刘店长');
    expect(rows[2]?.className).toContain('mg__decided--rejected');
    expect(screen.queryByText('加载更多')).toBeNull();

    fireEvent.click(rows[0] as Element);
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({
      url: '/manager/credit-request/index?id=00000000-0000-4000-8000-0000000000a2',
    });
    fireEvent.click(rows[1] as Element);
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({
      url: '/manager/dispute/index?id=00000000-0000-4000-8000-0000000000a3',
    });

    // Narrowed to one kind, the first page is asked again with it.
    fireEvent.click(document.querySelector('.mg__decided-kind-dispute') as Element);
    await waitFor(() => expect(document.querySelectorAll('.mg__decided')).toHaveLength(1));
    expect(requests.at(-1)?.url).toContain('kind=dispute');
    expect(requests.at(-1)?.url).not.toContain('cursor=');

    fireEvent.click(screen.getByText('待处理'));
    expect(await screen.findByText('全部 6')).toBeInTheDocument();
  });

  it("binds the phone's WeChat and asks consent for an alert on a tap", async () => {
    serve('manager');
    render(<InboxPage />);
    fireEvent.click(await screen.findByText('微信提醒'));
    await waitFor(() => expect(screen.getByText('已同意 1 次提醒')).toBeInTheDocument());
    expect(requests.find((r) => r.url === `${API}/staff/me/wechat`)?.data).toEqual({ code: 'sim-login-code' });
    expect(requests.find((r) => r.url.endsWith('/__control/subscriptions'))?.data).toMatchObject({
      templateId: 'tmpl-approval',
      count: 1,
    });
  });

  it('shows a beautician nothing and never asks for the inbox', async () => {
    serve('beautician');
    render(<InboxPage />);
    await waitFor(() => expect(document.querySelector('.mg--denied')).not.toBeNull());
    expect(screen.queryByText(/全部/)).toBeNull();
    expect(requests.map((r) => r.url)).toEqual([`${API}/staff/me`]);
  });
});
