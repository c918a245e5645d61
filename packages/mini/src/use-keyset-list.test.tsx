import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeTaro } from './testing/index.ts';
import { type KeysetPage, useKeysetList } from './use-keyset-list.ts';

function List({ loadPage }: { loadPage: (cursor: number | undefined) => Promise<KeysetPage<string>> }) {
  const list = useKeysetList(loadPage);
  if (list.loading) return <p>loading</p>;
  return (
    <div>
      <p>{list.items.join(',')}</p>
      {list.hasMore ? (
        <button type="button" onClick={list.loadMore}>
          more
        </button>
      ) : (
        <p>end</p>
      )}
    </div>
  );
}

describe('useKeysetList', () => {
  it('appends pages by cursor and fetches a page once however often "more" is tapped', async () => {
    let release: () => void = () => undefined;
    const loadPage = vi.fn(async (cursor: number | undefined): Promise<KeysetPage<string>> => {
      if (cursor === undefined) return { items: ['c', 'b'], nextCursor: 2 };
      await new Promise<void>((resolve) => (release = resolve));
      return { items: ['a'], nextCursor: null };
    });
    render(<List loadPage={loadPage} />);
    const more = await screen.findByRole('button', { name: 'more' });

    act(() => {
      more.click();
      more.click();
      more.click();
    });
    act(() => release());
    expect(await screen.findByText('c,b,a')).toBeInTheDocument();
    expect(screen.getByText('end')).toBeInTheDocument();
    expect(loadPage.mock.calls.map(([cursor]) => cursor)).toEqual([undefined, 2]);
  });

  it('keeps the items and toasts when a later page fails', async () => {
    const loadPage = vi
      .fn<(cursor: number | undefined) => Promise<KeysetPage<string>>>()
      .mockResolvedValueOnce({ items: ['b'], nextCursor: 1 })
      .mockRejectedValueOnce(new Error('boom'));
    render(<List loadPage={loadPage} />);
    const more = await screen.findByRole('button', { name: 'more' });
    act(() => more.click());
    await waitFor(() => expect(fakeTaro.showToast).toHaveBeenCalled());
    expect(screen.getByText('b')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'more' })).toBeInTheDocument();
  });
});
