import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeTaro, setCurrentPages } from '../testing/index.ts';
import { ActionButton } from './action-button/index.tsx';
import { MoneyText } from './money-text/index.tsx';
import { PageShell } from './page-shell/index.tsx';

describe('PageShell', () => {
  it('shows loading instead of the content', () => {
    render(<PageShell loading>content</PageShell>);
    expect(screen.getByRole('status')).toHaveTextContent('加载中');
    expect(screen.queryByText('content')).toBeNull();
  });

  it('shows the error with a retry button', () => {
    const onRetry = vi.fn();
    render(
      <PageShell error={{ message: '网络连接失败，请稍后重试' }} onRetry={onRetry}>
        content
      </PageShell>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('网络连接失败，请稍后重试');
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('offers a way back instead of a useless retry when the record is not there', () => {
    const onRetry = vi.fn();
    setCurrentPages(['bills/detail/index?id=x']);
    render(
      <PageShell error={{ message: '没有找到这条记录', status: 404 }} onRetry={onRetry} backTo="/pages/bills/index">
        content
      </PageShell>,
    );
    expect(screen.queryByRole('button', { name: '重试' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '返回' }));
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/pages/bills/index' });
  });

  it('shows the empty state, then the content', () => {
    const { rerender } = render(
      <PageShell empty emptyText="还没有预约">
        content
      </PageShell>,
    );
    expect(screen.getByText('还没有预约')).toBeInTheDocument();
    rerender(<PageShell>content</PageShell>);
    expect(screen.getByText('content')).toBeInTheDocument();
  });
});

describe('MoneyText', () => {
  it('formats fen with the shared money helper and marks negatives', () => {
    render(
      <>
        <MoneyText fen={123456} />
        <MoneyText fen={-50} />
      </>,
    );
    expect(screen.getByText('¥1,234.56')).not.toHaveClass('lumi-money--negative');
    expect(screen.getByText('-¥0.50')).toHaveClass('lumi-money--negative');
  });
});

describe('ActionButton', () => {
  it('passes disabled and loading on only when true', () => {
    const onClick = vi.fn();
    const { rerender } = render(
      <ActionButton disabled onClick={onClick}>
        支付
      </ActionButton>,
    );
    expect(screen.getByRole('button', { name: '支付' })).toBeDisabled();
    rerender(
      <ActionButton disabled={false} loading={false} onClick={onClick}>
        支付
      </ActionButton>,
    );
    const button = screen.getByRole('button', { name: '支付' });
    expect(button).toBeEnabled();
    expect(button).not.toHaveAttribute('aria-busy');
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
  });
});

describe('ErrorState', () => {
  it('always offers a way back: to the page below, or home when it is the only page', async () => {
    const { fakeTaro, setCurrentPages } = await import('../testing/fake-taro.ts');
    const { ErrorState } = await import('./state/index.tsx');
    setCurrentPages(['pages/home/index', 'checkout/bill/index?id=1']);
    const { unmount } = render(<ErrorState message="要找的内容不存在或已被删除" />);
    fireEvent.click(screen.getByRole('button', { name: '返回' }));
    await vi.waitFor(() => expect(fakeTaro.navigateBack).toHaveBeenCalledTimes(1));
    unmount();
    setCurrentPages(['checkout/bill/index?id=1']);
    render(<ErrorState message="要找的内容不存在或已被删除" />);
    fireEvent.click(screen.getByRole('button', { name: '返回' }));
    await vi.waitFor(() => expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/pages/home/index' }));
  });
});
