import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, makeShopOrder, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { AfterSale } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import AfterSalesPage from './index.tsx';

const API = 'http://api.test';
const ID = '00000000-0000-4000-8000-0000000005e1';
let items: AfterSale[];
let seen: FakeRequest[];
let flaky: number;
let pageSize: number;

const waiting = (): AfterSale => ({
  id: ID,
  orderId: makeShopOrder().id,
  orderNumber: 'SO-S01-20260305-0001',
  status: 'requested',
  lines: [{ lineId: '00000000-0000-4000-8000-0000000005d1', name: '玻尿酸精华', quantity: 1, amountFen: 26_800 }],
  amountFen: 26_800,
  reason: '买多了一瓶',
  decisionNote: null,
  tenders: [],
  wechatOutRefundNo: null,
  pointsClawedBack: 0,
  createdAt: '2026-03-05T06:00:00.000Z',
  decidedAt: null,
});

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  items = [waiting()];
  seen = [];
  flaky = 0;
  pageSize = 20;
  setFakeServer((req) => {
    seen.push(req);
    const path = req.url.replace(API, '');
    if (path === '/staff/shop/after-sales') {
      // Pages of `pageSize`; the cursor is where the next page starts.
      const start = Number((req.data as { cursor?: string } | undefined)?.cursor ?? 0);
      const next = start + pageSize < items.length ? String(start + pageSize) : null;
      return { status: 200, body: { items: items.slice(start, start + pageSize), nextCursor: next } };
    }
    const one = items.find((a) => path === `/staff/shop/after-sales/${a.id}`);
    if (one) return { status: 200, body: one };
    if (path === `/staff/shop/after-sales/${ID}/decision`) {
      if (flaky-- > 0) return { status: 503, body: { error: { code: 'DATABASE_UNAVAILABLE', message: 'x' } } };
      const { approve, note } = req.data as { approve: boolean; note: string };
      items = [
        {
          ...items[0]!,
          status: approve ? 'approved' : 'refused',
          decisionNote: note || null,
          tenders: approve
            ? [
                { method: 'stored_value', amountFen: 10_000, principalFen: 10_000, bonusFen: 0 },
                { method: 'wechat', amountFen: 16_800 },
              ]
            : [],
        },
      ];
      return { status: 200, body: makeShopOrder() };
    }
    throw new Error(`unexpected ${req.method} ${path}`);
  });
});

const decisions = () => seen.filter((r) => r.method === 'POST');

describe('after-sale decisions', () => {
  it('approves a refund and shows where the money went; a retry reuses its key', async () => {
    flaky = 1;
    render(<AfterSalesPage />);
    fireEvent.click(await screen.findByRole('button', { name: '同意退款 ¥268.00' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('系统繁忙');
    fireEvent.click(screen.getByRole('button', { name: '同意退款 ¥268.00' }));
    expect(await screen.findByText('已退款')).toBeInTheDocument();
    expect(screen.getByText('退回储值').nextSibling).toHaveTextContent('¥100.00');
    expect(screen.getByText('退回微信支付').nextSibling).toHaveTextContent('¥168.00');
    const [first, second] = decisions();
    expect(first?.headers['idempotency-key']).toBeDefined();
    expect(second?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
  });

  it('refuses with a note', async () => {
    render(<AfterSalesPage />);
    fireEvent.input(await screen.findByPlaceholderText('备注（选填）'), { target: { value: '已拆封' } });
    fireEvent.click(screen.getByRole('button', { name: '拒绝' }));
    expect(await screen.findByText('已拒绝')).toBeInTheDocument();
    expect(decisions()[0]?.data).toEqual({ approve: false, note: '已拆封' });
  });
});

describe('opened from 审批 已处理 with ?id=', () => {
  const DECIDED = '00000000-0000-4000-8000-0000000005e2';
  const decided = (): AfterSale => ({
    ...waiting(),
    id: DECIDED,
    orderNumber: 'SO-S01-20260301-0007',
    status: 'refused',
    reason: '不想要了',
    decisionNote: '已拆封',
    createdAt: '2026-03-01T06:00:00.000Z',
    decidedAt: '2026-03-01T08:00:00.000Z',
  });

  it('puts that request first, marked, ahead of the waiting ones', async () => {
    // The API lists waiting requests first, so the decided one would be last.
    items = [waiting(), decided()];
    setCurrentPages([`shop/after-sales/index?id=${DECIDED}`]);
    render(<AfterSalesPage />);
    const opened = (await screen.findByText('审批中查看的申请')).parentElement as HTMLElement;
    expect(opened).toHaveClass('staff-shop__section--opened');
    expect(opened).toHaveTextContent('SO-S01-20260301-0007');
    expect(opened).toHaveTextContent('备注：已拆封');
    const cards = document.querySelectorAll('.staff-shop__section');
    expect(cards[0]).toBe(opened);
    expect(cards[1]).toHaveTextContent('SO-S01-20260305-0001');
    expect(document.querySelectorAll('.staff-shop__section--opened')).toHaveLength(1);
  });

  it('reads an old request by its id when it is not on the first page, and pages on without showing it twice', async () => {
    pageSize = 1;
    const other = { ...decided(), id: '00000000-0000-4000-8000-0000000005e3', orderNumber: 'SO-S01-20260302-0003' };
    items = [waiting(), other, decided()];
    setCurrentPages([`shop/after-sales/index?id=${DECIDED}`]);
    render(<AfterSalesPage />);
    const opened = (await screen.findByText('审批中查看的申请')).parentElement as HTMLElement;
    expect(opened).toHaveTextContent('SO-S01-20260301-0007');
    const numbers = () =>
      [...document.querySelectorAll('.staff-shop__section')].map((c) => c.textContent?.match(/SO-[\d-S]+/)?.[0]);
    expect(numbers()).toEqual(['SO-S01-20260301-0007', 'SO-S01-20260305-0001']);
    fireEvent.click(screen.getByRole('button', { name: '加载更多' }));
    await expect.poll(numbers).toEqual(['SO-S01-20260301-0007', 'SO-S01-20260305-0001', 'SO-S01-20260302-0003']);
    fireEvent.click(screen.getByRole('button', { name: '加载更多' }));
    // The last page held the opened one: it is not listed again, and there is no more to load.
    await expect.poll(() => screen.queryByRole('button', { name: '加载更多' })).toBeNull();
    expect(numbers()).toHaveLength(3);
  });

  it('lists in the API order, nothing marked, without an id', async () => {
    items = [waiting(), decided()];
    render(<AfterSalesPage />);
    expect(await screen.findByText('SO-S01-20260305-0001')).toBeInTheDocument();
    expect(document.querySelectorAll('.staff-shop__section')[1]).toHaveTextContent('SO-S01-20260301-0007');
    expect(screen.queryByText('审批中查看的申请')).not.toBeInTheDocument();
  });
});
