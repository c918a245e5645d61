import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors.ts';
import { showPagesAgain } from './testing/index.ts';
import { useAsync, useRefreshOnReturn } from './use-async.ts';

function Balance({ load }: { load: () => Promise<string> }) {
  const { data, loading, error, refresh } = useAsync(load);
  useRefreshOnReturn(refresh);
  if (error) return <p role="alert">{error.message}</p>;
  return (
    <p>
      {loading ? 'loading' : 'ready'} {data ?? '-'}
    </p>
  );
}

describe('useAsync', () => {
  it('refreshes when the page is shown again, keeping the old data on screen meanwhile', async () => {
    let release: (value: string) => void = () => undefined;
    const load = vi
      .fn<() => Promise<string>>()
      .mockResolvedValueOnce('¥100.00')
      .mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    render(<Balance load={load} />);
    expect(await screen.findByText('ready ¥100.00')).toBeInTheDocument();
    expect(load).toHaveBeenCalledTimes(1);

    act(() => showPagesAgain());
    await waitFor(() => expect(load).toHaveBeenCalledTimes(2));
    expect(screen.getByText('ready ¥100.00')).toBeInTheDocument();

    act(() => release('¥1,300.00'));
    expect(await screen.findByText('ready ¥1,300.00')).toBeInTheDocument();
  });

  it('shows a failed refresh rather than passing stale data off as current', async () => {
    const load = vi
      .fn<() => Promise<string>>()
      .mockResolvedValueOnce('¥100.00')
      .mockRejectedValueOnce(new ApiError('NETWORK_ERROR', '网络连接失败，请稍后重试'));
    render(<Balance load={load} />);
    await screen.findByText('ready ¥100.00');
    act(() => showPagesAgain());
    expect(await screen.findByRole('alert')).toHaveTextContent('网络连接失败，请稍后重试');
  });
});
