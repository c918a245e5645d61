import { useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, userMessage } from './errors.ts';

export interface AsyncState<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  /** Loads again, showing the loading state (after an error: the retry button). */
  reload: () => void;
  /** Loads again while the current data stays on screen, e.g. when the user comes back to the page. */
  refresh: () => void;
}

/**
 * Loads data for a page and tracks loading/error for PageShell. `load` should call the API with
 * `toast: false`: the page shows the error itself, with a retry button.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[] = []): AsyncState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const quietRef = useRef(false);

  useEffect(() => {
    let current = true;
    const quiet = quietRef.current;
    quietRef.current = false;
    if (!quiet) {
      setLoading(true);
      setError(null);
    }
    loadRef.current().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (cause: unknown) => {
        if (!current) return;
        // A failed quiet refresh shows the error too: stale balances must not pass for fresh ones.
        setError(
          cause instanceof ApiError ? cause : new ApiError('BAD_RESPONSE', userMessage('BAD_RESPONSE'), 0, cause),
        );
        setLoading(false);
      },
    );
    // A page left before its data arrived must not set state.
    return () => {
      current = false;
    };
  }, [attempt, ...deps]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const refresh = useCallback(() => {
    quietRef.current = true;
    setAttempt((n) => n + 1);
  }, []);
  return { data, error, loading, reload, refresh };
}

/**
 * Calls `refresh` each time the page is shown again — back from a page it opened — but not on its first
 * show, when the page's own load is already running. A mini-program keeps the pages below the top one alive,
 * so without this a wallet would show the balance from before a top-up.
 */
export function useRefreshOnReturn(refresh: () => void): void {
  const shownBefore = useRef(false);
  useDidShow(() => {
    if (shownBefore.current) refresh();
    shownBefore.current = true;
  });
}
