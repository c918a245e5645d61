import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeRequest,
  fakeTaro,
  makeBill,
  setCurrentPages,
  setFakeServer,
  showPagesAgain,
} from '@lumi/mini/testing';
import type { Bill } from '@lumi/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import BillsPage from './index.tsx';

const API = 'http://api.test';
const billId = (n: number) => `00000000-0000-4000-8000-0000000000b${n}`;

// 18:00 on 5 March 2026 in Beijing.
const NOW = new Date('2026-03-05T10:00:00Z');
/** Rung up today (Beijing): settled, partly refunded, voided, still open. */
const paid = makeBill({ id: billId(1), number: 'S01-20260305-0001', totalFen: 38_800 });
const partlyRefunded = makeBill({
  id: billId(2),
  number: 'S01-20260305-0002',
  customerName: '陈静',
  totalFen: 50_000,
  refundedFen: 10_000,
  // 00:30 in Beijing: today there, though still the 4th in UTC.
  createdAt: '2026-03-04T16:30:00Z',
});
const voided = makeBill({ id: billId(3), number: 'S01-20260305-0003', status: 'voided', totalFen: 20_000 });
const open = makeBill({
  id: billId(4),
  number: 'S01-20260305-0004',
  status: 'open',
  customerName: null,
  totalFen: 9_900,
  tenders: [],
  settledAt: null,
});
/** 23:00 yesterday in Beijing: not today's takings. */
const yesterday = makeBill({
  id: billId(5),
  number: 'S01-20260304-0009',
  totalFen: 100_000,
  createdAt: '2026-03-04T15:00:00Z',
});

let bills: Bill[];
let seen: FakeRequest[];
let answer: (() => { status: number; body: unknown }) | null;

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true, now: NOW });
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/home/index', 'checkout/bills/index']);
  bills = [paid, partlyRefunded, voided, open, yesterday];
  seen = [];
  answer = null;
  setFakeServer((req) => {
    seen.push(req);
    if (req.method === 'GET' && req.url === `${API}/staff/bills`) return answer?.() ?? { status: 200, body: bills };
    throw new Error(`unexpected ${req.method} ${req.url}`);
  });
});
afterEach(() => {
  vi.useRealTimers();
});

const row = (number: string) => screen.getByText(new RegExp(number)).closest('.ck__bill-item') as HTMLElement;

describe('今日账单', () => {
  it("lists today's bills in Beijing time with their state, and totals what the settled ones took net of refunds", async () => {
    render(<BillsPage />);
    expect(await screen.findByText('已结账 2 单')).toBeInTheDocument();
    // ¥388.00 + (¥500.00 − ¥100.00): the voided and the open bill took nothing, yesterday's is not today's.
    expect(screen.getByText('¥788.00')).toBeInTheDocument();
    expect(screen.queryByText(/S01-20260304-0009/)).toBeNull();
    expect(document.querySelectorAll('.ck__bill-item')).toHaveLength(4);

    expect(row('S01-20260305-0001')).toHaveTextContent('林小雅');
    expect(row('S01-20260305-0001')).toHaveTextContent('已结账');
    expect(row('S01-20260305-0002')).toHaveTextContent('陈静');
    expect(row('S01-20260305-0002')).toHaveTextContent('¥500.00');
    expect(row('S01-20260305-0002')).toHaveTextContent('已结账（部分退款）');
    expect(row('S01-20260305-0003')).toHaveTextContent('已撤销');
    expect(row('S01-20260305-0004')).toHaveTextContent('顾客');
    expect(row('S01-20260305-0004')).toHaveTextContent('待结账');
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${API}/staff/bills`]);
  });

  it('opens the bill tapped', async () => {
    render(<BillsPage />);
    await screen.findByText('已结账 2 单');
    fireEvent.click(row('S01-20260305-0002'));
    await waitFor(() =>
      expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: `/checkout/bill/index?id=${partlyRefunded.id}` }),
    );
  });

  it('reads the bills again when she comes back from one she voided', async () => {
    render(<BillsPage />);
    await screen.findByText('已结账 2 单');
    bills = [{ ...paid, status: 'voided', refundedFen: paid.totalFen }, partlyRefunded, voided, open];
    act(() => showPagesAgain());
    expect(await screen.findByText('已结账 1 单')).toBeInTheDocument();
    expect(screen.getByText('¥400.00')).toBeInTheDocument();
    expect(row('S01-20260305-0001')).toHaveTextContent('已撤销');
    expect(seen).toHaveLength(2);
  });

  it('shows 加载中 until the list arrives', async () => {
    let release: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      release = resolve;
    });
    setFakeServer(async () => {
      await arrived;
      return { status: 200, body: bills };
    });
    render(<BillsPage />);
    expect(screen.getByText('加载中…')).toBeInTheDocument();
    expect(screen.queryByText(/已结账 \d+ 单/)).toBeNull();
    release();
    expect(await screen.findByText('已结账 2 单')).toBeInTheDocument();
    expect(screen.queryByText('加载中…')).toBeNull();
  });

  it('says so when nothing was rung up today, even if yesterday was busy', async () => {
    bills = [yesterday];
    render(<BillsPage />);
    expect(await screen.findByText('今天还没有账单')).toBeInTheDocument();
    expect(screen.queryByText(/已结账 \d+ 单/)).toBeNull();
  });

  it('says in Chinese when the list cannot be loaded, and 重试 loads it', async () => {
    answer = () => ({ status: 500, body: { error: { code: 'INTERNAL', message: 'boom' } } });
    render(<BillsPage />);
    expect(await screen.findByText('服务器开小差了，请稍后重试')).toBeInTheDocument();
    expect(screen.queryByText('boom')).toBeNull();
    expect(screen.getByRole('button', { name: '返回' })).toBeInTheDocument();

    answer = null;
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(await screen.findByText('已结账 2 单')).toBeInTheDocument();
    expect(seen).toHaveLength(2);
  });
});
