import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeTaro } from '../../testing/fake-taro.ts';
import { CodeEntry } from './index.tsx';

describe('CodeEntry', () => {
  it('in H5 takes a typed code, trimmed, and clears the field once it was accepted', async () => {
    const onCode = vi.fn(async () => undefined);
    render(<CodeEntry onCode={onCode} placeholder="输入会员码" />);
    const field = screen.getByPlaceholderText('输入会员码') as HTMLInputElement;
    const confirm = screen.getByRole('button', { name: '确定' });
    expect(confirm).toBeDisabled();
    fireEvent.change(field, { target: { value: '  M1.abc.def ' } });
    fireEvent.click(confirm);
    await waitFor(() => expect(onCode).toHaveBeenCalledWith('M1.abc.def'));
    await waitFor(() => expect(field.value).toBe(''));
    expect(fakeTaro.scanCode).not.toHaveBeenCalled();
  });

  it('shows why a code was refused and keeps it for correction', async () => {
    const onCode = vi.fn(async () => {
      throw new Error('会员码已过期，请顾客刷新后再扫');
    });
    render(<CodeEntry onCode={onCode} placeholder="输入会员码" />);
    const field = screen.getByPlaceholderText('输入会员码') as HTMLInputElement;
    fireEvent.change(field, { target: { value: 'M1.old' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(await screen.findByRole('alert')).toHaveTextContent('会员码已过期');
    expect(field.value).toBe('M1.old');
  });

  it('in the mini-program scans with the camera only and passes on the result', async () => {
    fakeTaro.scanCode.mockResolvedValueOnce({
      result: 'M1.scanned.code',
      scanType: 'QR_CODE',
      charSet: 'utf-8',
      errMsg: 'scanCode:ok',
    });
    const onCode = vi.fn();
    render(<CodeEntry onCode={onCode} mode="scan" scanLabel="扫会员码" />);
    fireEvent.click(screen.getByRole('button', { name: '扫会员码' }));
    await waitFor(() => expect(onCode).toHaveBeenCalledWith('M1.scanned.code'));
    expect(fakeTaro.scanCode).toHaveBeenCalledWith(expect.objectContaining({ onlyFromCamera: true }));
  });

  it('says nothing when the camera is closed, and reports a real scan failure', async () => {
    const onCode = vi.fn();
    fakeTaro.scanCode.mockRejectedValueOnce({ errMsg: 'scanCode:fail cancel' });
    render(<CodeEntry onCode={onCode} mode="scan" />);
    fireEvent.click(screen.getByRole('button', { name: '扫码' }));
    await waitFor(() => expect(fakeTaro.scanCode).toHaveBeenCalledTimes(1));
    expect(screen.queryByRole('alert')).toBeNull();
    fakeTaro.scanCode.mockRejectedValueOnce({ errMsg: 'scanCode:fail camera' });
    fireEvent.click(screen.getByRole('button', { name: '扫码' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('扫码失败');
    expect(onCode).not.toHaveBeenCalled();
  });
});
