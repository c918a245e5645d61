import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, userMessage } from './errors.ts';
import { showErrorToast } from './request.ts';

/** One page of a keyset-paginated list, as the API sends them (`GET /me/entries`, …). */
export interface KeysetPage<T, C = number> {
  items: T[];
  /** Pass back to get the next page; null on the last page. */
  nextCursor: C | null;
}

export interface KeysetListState<T> {
  items: T[];
  /** The first page is loading (PageShell shows the loading state). */
  loading: boolean;
  /** The first page failed (PageShell shows it with a retry button). */
  error: ApiError | null;
  reload: () => void;
  hasMore: boolean;
  loadingMore: boolean;
  /** Appends the next page ("加载更多"). A failure is toasted and the items stay, so the user can tap again. */
  loadMore: () => void;
}

const asApiError = (cause: unknown) =>
  cause instanceof ApiError ? cause : new ApiError('BAD_RESPONSE', userMessage('BAD_RESPONSE'), 0, cause);

/**
 * A list read page by page with the API's keyset cursors. `loadPage` should call the API with `toast: false`;
 * this hook decides how a failure shows (first page: error state; later pages: a toast).
 */
export function useKeysetList<T, C = number>(
  loadPage: (cursor: C | undefined) => Promise<KeysetPage<T, C>>,
): KeysetListState<T> {
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<C | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;
  // Bumped on every (re)load of the first page, so a "more" answer for an older list is dropped.
  const generation = useRef(0);
  const moreInFlight = useRef(false);

  useEffect(() => {
    const mine = ++generation.current;
    moreInFlight.current = false;
    setLoading(true);
    setError(null);
    setLoadingMore(false);
    loadRef.current(undefined).then(
      (page) => {
        if (generation.current !== mine) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (cause: unknown) => {
        if (generation.current !== mine) return;
        setError(asApiError(cause));
        setLoading(false);
      },
    );
    return () => {
      generation.current += 1;
    };
  }, [attempt]);

  const loadMore = useCallback(() => {
    // A double tap must not fetch the same page twice (its items would show twice).
    if (moreInFlight.current || nextCursor === null) return;
    moreInFlight.current = true;
    setLoadingMore(true);
    const mine = generation.current;
    loadRef.current(nextCursor).then(
      (page) => {
        if (generation.current !== mine) return;
        setItems((before) => [...before, ...page.items]);
        setNextCursor(page.nextCursor);
        moreInFlight.current = false;
        setLoadingMore(false);
      },
      (cause: unknown) => {
        if (generation.current !== mine) return;
        showErrorToast(asApiError(cause));
        moreInFlight.current = false;
        setLoadingMore(false);
      },
    );
  }, [nextCursor]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { items, loading, error, reload, hasMore: nextCursor !== null, loadingMore, loadMore };
}
