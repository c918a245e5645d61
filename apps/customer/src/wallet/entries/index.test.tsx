import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, fakeTaro, setFakeServer } from '@lumi/mini/testing';
import type { EntriesPage, Entry } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import EntriesPageView from './index.tsx';

const STORE = { id: '00000000-0000-4000-8000-000000000010', name: '示例美容院·国贸店' };
const STAFF = { id: '00000000-0000-4000-8000-000000000011', name: '王美丽' };

function entry(
  e: Partial<Entry> & Pick<Entry, 'id' | 'transferId' | 'kind' | 'bucket' | 'unit' | 'amount' | 'balanceAfter'>,
): Entry {
  return {
    at: '2026-03-05T06:30:00Z',
    packageCardId: null,
    store: STORE,
    staff: null,
    items: [],
    memo: null,
    reversesTransferId: null,
    reference: null,
    merge: null,
    ...e,
  };
}

const firstPage: EntriesPage = {
  items: [
    entry({
      id: 40,
      transferId: 30,
      kind: 'top_up',
      bucket: 'bonus',
      unit: 'CNY',
      amount: 20_000,
      balanceAfter: 65_050,
    }),
    entry({
      id: 39,
      transferId: 30,
      kind: 'top_up',
      bucket: 'principal',
      unit: 'CNY',
      amount: 100_000,
      balanceAfter: 450_000,
    }),
    entry({
      id: 35,
      transferId: 28,
      kind: 'spend',
      bucket: 'principal',
      unit: 'CNY',
      amount: -29_800,
      balanceAfter: 350_000,
      at: '2026-03-04T16:10:00Z',
      staff: STAFF,
      items: [{ name: '深层补水护理', quantity: 1, amountFen: 29_800 }],
    }),
  ],
  nextCursor: 35,
};

const secondPage: EntriesPage = {
  items: [
    entry({
      id: 20,
      transferId: 15,
      kind: 'package_consumption',
      bucket: 'sessions',
      unit: 'SESSIONS:00000000-0000-4000-8000-000000000099',
      amount: -1,
      balanceAfter: 7,
      staff: STAFF,
    }),
  ],
  nextCursor: null,
};

let seen: FakeRequest[];

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  seen = [];
});

describe('entries page (明细)', () => {
  it('shows each transfer in Chinese with Beijing time, signed amounts, balances, store, staff and items', async () => {
    setFakeServer((req) => {
      seen.push(req);
      return { status: 200, body: firstPage };
    });
    render(<EntriesPageView />);

    expect(await screen.findByText('充值')).toBeInTheDocument();
    expect(seen[0]).toMatchObject({ url: 'http://api.test/me/entries', data: { limit: 20 } });
    expect(screen.getByText('+¥1,000.00')).toHaveClass('entry__amount--in');
    expect(screen.getByText('+¥200.00')).toBeInTheDocument();
    expect(screen.getByText('余额 ¥4,500.00')).toBeInTheDocument();
    expect(screen.getByText('余额 ¥650.50')).toBeInTheDocument();
    expect(screen.getAllByText('2026-03-05 14:30')).toHaveLength(1);

    expect(screen.getByText('消费')).toBeInTheDocument();
    expect(screen.getByText('-¥298.00')).toHaveClass('entry__amount--out');
    // 16:10 UTC is past midnight in Beijing.
    expect(screen.getByText('2026-03-05 00:10')).toBeInTheDocument();
    expect(screen.getByText('深层补水护理 ×1 ¥298.00')).toBeInTheDocument();
    expect(screen.getByText('示例美容院·国贸店 · 王美丽')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '加载更多' })).toBeInTheDocument();
  });

  it('loads older entries with the cursor on 加载更多 and says when there are no more', async () => {
    setFakeServer((req) => {
      seen.push(req);
      const cursor = (req.data as { cursor?: number }).cursor;
      return { status: 200, body: cursor === 35 ? secondPage : firstPage };
    });
    render(<EntriesPageView />);
    fireEvent.click(await screen.findByRole('button', { name: '加载更多' }));

    expect(await screen.findByText('次卡核销')).toBeInTheDocument();
    expect(seen.map((r) => r.data)).toEqual([{ limit: 20 }, { limit: 20, cursor: 35 }]);
    expect(screen.getByText('-1 次')).toBeInTheDocument();
    expect(screen.getByText('剩余 7 次')).toBeInTheDocument();
    expect(screen.getByText('充值')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '加载更多' })).toBeNull();
    expect(screen.getByText('没有更多了')).toBeInTheDocument();
  });

  it('keeps the list and toasts when a later page fails, and the next tap tries again', async () => {
    let failMore = true;
    setFakeServer((req) => {
      const cursor = (req.data as { cursor?: number }).cursor;
      if (cursor === undefined) return { status: 200, body: firstPage };
      if (failMore) {
        failMore = false;
        return { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } } };
      }
      return { status: 200, body: secondPage };
    });
    render(<EntriesPageView />);
    fireEvent.click(await screen.findByRole('button', { name: '加载更多' }));

    await waitFor(() =>
      expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '服务暂时不可用，请稍后重试' })),
    );
    expect(screen.getByText('充值')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '加载更多' }));
    expect(await screen.findByText('次卡核销')).toBeInTheDocument();
  });

  it('says so when there are no entries yet', async () => {
    setFakeServer(() => ({ status: 200, body: { items: [], nextCursor: null } }));
    render(<EntriesPageView />);
    expect(await screen.findByText('暂无明细')).toBeInTheDocument();
  });
});
