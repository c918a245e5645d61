import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ReasonConfirm } from './reason-confirm.tsx';

function setup(onConfirm: (reason: string) => Promise<string | null>) {
  render(
    <ReasonConfirm
      act="撤销"
      hint="撤销后款项原路退回。"
      confirmLabel="确认撤销整单"
      busyLabel="撤销中…"
      classPrefix="ck__void"
      onConfirm={onConfirm}
    />,
  );
  const field = document.querySelector('.ck__void-reason') as HTMLInputElement;
  const type = (value: string) => fireEvent.change(field, { target: { value } });
  return { field, type, confirm: () => fireEvent.click(screen.getByText('确认撤销整单')) };
}

describe('ReasonConfirm', () => {
  it('asks for a reason of at least two characters before doing anything', async () => {
    const onConfirm = vi.fn(async () => null);
    const { field, type, confirm } = setup(onConfirm);
    expect(field.getAttribute('placeholder')).toBe('撤销原因');
    expect(screen.getByText('撤销后款项原路退回。')).toBeInTheDocument();
    confirm();
    expect(await screen.findByRole('alert')).toHaveTextContent('请填写撤销原因（至少 2 个字）');
    type('  好 ');
    confirm();
    expect(screen.getByRole('alert')).toHaveTextContent('请填写撤销原因（至少 2 个字）');
    // Typing again clears the problem.
    type('顾客');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('performs the act once with the trimmed reason, showing it is under way', async () => {
    let finish: (problem: string | null) => void = () => {};
    const onConfirm = vi.fn(() => new Promise<string | null>((resolve) => (finish = resolve)));
    const { type, confirm } = setup(onConfirm);
    type('  顾客改约，整单撤销 ');
    confirm();
    expect(await screen.findByText('撤销中…')).toBeInTheDocument();
    fireEvent.click(screen.getByText('撤销中…'));
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onConfirm).toHaveBeenCalledWith('顾客改约，整单撤销');
    finish(null);
    expect(await screen.findByText('确认撤销整单')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows the problem the act answers in place, under the page’s error class, and can be tried again', async () => {
    const onConfirm = vi.fn<(reason: string) => Promise<string | null>>().mockResolvedValueOnce('账单状态已变化');
    onConfirm.mockResolvedValueOnce(null);
    const { type, confirm } = setup(onConfirm);
    type('顾客要求');
    confirm();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('账单状态已变化');
    expect(alert.classList).toContain('ck__void-error');
    expect(document.querySelector('.ck__void-confirm')).not.toBeNull();
    confirm();
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(onConfirm).toHaveBeenCalledTimes(2);
  });
});
