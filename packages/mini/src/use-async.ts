import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, userMessage } from './errors.ts';

export interface AsyncState<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
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

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    loadRef.current().then(
      (value) => {
        if (!current) return;
        setData(value);
        setLoading(false);
      },
      (cause: unknown) => {
        if (!current) return;
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
  return { data, error, loading, reload };
}
