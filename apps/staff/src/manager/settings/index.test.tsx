import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, setFakeServer } from '@lumi/mini/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import SettingsPage from './index.tsx';

const checkout = {
  confirmationMode: 'notify',
  disputeWindowDays: 7,
  holdMinutes: 30,
  voidApprovalThresholdFen: 50_000,
  discountApprovalBasisPoints: 2_000,
};
const credit = {
  defaultDueDays: 30,
  remindDaysBeforeDue: [3],
  remindOnDueDate: true,
  remindOverdueDays: [1, 7],
  nearLimitPercent: 80,
  autoFreezeOverdueDays: 30,
  collectionAfterOverdueDays: 1,
  collectionFollowUpDays: 7,
  maxSuggestedLimitFen: 5_000_000,
};

let puts: FakeRequest[];
beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  puts = [];
  setFakeServer((req) => {
    if (req.url.endsWith('/staff/me')) return { status: 200, body: { role: 'owner', stores: [] } };
    if (req.method === 'PUT') {
      puts.push(req);
      return { status: 200, body: req.url.includes('checkout') ? checkout : credit };
    }
    if (req.url.endsWith('/staff/checkout/settings')) return { status: 200, body: checkout };
    if (req.url.endsWith('/staff/credit/settings')) return { status: 200, body: credit };
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

const input = (cls: string) => document.querySelector(`.${cls}`) as HTMLInputElement;

describe('设置', () => {
  it('shows the current rules and saves the changed ones in fen, days and basis points', async () => {
    render(<SettingsPage />);
    await screen.findByText('收银');
    expect(input('mg__threshold').value).toBe('500.00');
    fireEvent.change(input('mg__threshold'), { target: { value: '800' } });
    fireEvent.click(screen.getByText('顾客确认后扣款'));
    fireEvent.change(input('mg__freeze-days'), { target: { value: '' } });
    fireEvent.click(screen.getByText('保存（记入审计）'));
    await waitFor(() => expect(puts).toHaveLength(2));
    expect(puts[0]?.data).toEqual({
      confirmationMode: 'confirm_first',
      voidApprovalThresholdFen: 80_000,
      discountApprovalBasisPoints: 2_000,
      disputeWindowDays: 7,
    });
    expect(puts[1]?.data).toEqual({ defaultDueDays: 30, autoFreezeOverdueDays: null });
  });

  it('refuses a dispute window out of range and sends nothing', async () => {
    render(<SettingsPage />);
    await screen.findByText('收银');
    fireEvent.change(input('mg__dispute-days'), { target: { value: '120' } });
    fireEvent.click(screen.getByText('保存（记入审计）'));
    expect(await screen.findByText('异议期应为 1–90 的整数')).toBeInTheDocument();
    expect(puts).toEqual([]);
  });
});
