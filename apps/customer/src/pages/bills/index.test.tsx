import { act, fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { fakeTaro, makeBill, setCurrentPages, setFakeServer, showPagesAgain } from '@lumi/mini/testing';
import type { Bill } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import BillsPage from './index.tsx';

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

const settled = makeBill({ id: '00000000-0000-4000-8000-0000000000b2', createdAt: '2026-03-01T02:00:00Z' });
const refunded = makeBill({
  id: '00000000-0000-4000-8000-0000000000b3',
  storeName: '示例美容院·望京店',
  createdAt: '2026-03-04T02:00:00Z',
  refundedFen: 10_000,
});
const waiting = makeBill({
  id: '00000000-0000-4000-8000-0000000000b4',
  status: 'awaiting_customer',
  confirmationRequired: true,
  holdExpiresAt: inMinutes(30),
  createdAt: '2026-02-01T02:00:00Z',
  totalFen: 58_800,
  lines: [
    { ...makeBill().lines[0]!, name: '美白焕肤护理' },
    { ...makeBill().lines[0]!, id: '00000000-0000-4000-8000-0000000000c9' },
  ],
});

let bills: Bill[];

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['pages/home/index', 'pages/bills/index']);
  setFakeServer((req) => {
    if (req.url === 'http://api.test/me/bills') return { status: 200, body: bills };
    throw new Error(`unexpected ${req.method} ${req.url}`);
  });
});

describe('my bills', () => {
  it('puts the bills waiting for 确认 first and marks them, then the history', async () => {
    bills = [settled, waiting, refunded];
    render(<BillsPage />);

    expect(await screen.findByText('待确认（1）')).toBeInTheDocument();
    const cards = document.querySelectorAll('.bill-card');
    expect([...cards].map((c) => c.querySelector('.bill-card__status')?.textContent)).toEqual([
      '待确认',
      '部分退款',
      '已完成',
    ]);
    expect(cards[0]).toHaveClass('bill-card--waiting');
    expect(cards[0]).toHaveTextContent('美白焕肤护理 等 2 项');
    expect(cards[0]).toHaveTextContent('¥588.00');
    expect(cards[0]).toHaveTextContent('请核对并确认');
    expect(cards[1]).toHaveTextContent('已退 ¥100.00');
    expect(screen.getByText('历史账单')).toBeInTheDocument();

    fireEvent.click(cards[0] as Element);
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: `/bills/detail/index?id=${waiting.id}` });
  });

  it('says when there are none, and reloads on return from a bill', async () => {
    bills = [];
    render(<BillsPage />);
    expect(await screen.findByText('暂无账单')).toBeInTheDocument();

    bills = [settled];
    act(() => showPagesAgain());
    expect(await screen.findByText('已完成')).toBeInTheDocument();
    expect(screen.queryByText(/待确认/)).toBeNull();
  });
});
