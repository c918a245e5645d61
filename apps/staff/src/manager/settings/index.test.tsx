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
    if (req.url.endsWith('/staff/messaging/settings')) {
      return { status: 200, body: { mutedBillEvents: [], billSmsFallback: true } };
    }
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
    expect(puts[1]?.data).toEqual({
      defaultDueDays: 30,
      autoFreezeOverdueDays: null,
      remindDaysBeforeDue: [3],
      remindOnDueDate: true,
      remindOverdueDays: [1, 7],
    });
  });

  it('shows the reminder schedule and saves a changed one as sorted day lists', async () => {
    render(<SettingsPage />);
    await screen.findByText('收银');
    expect(input('mg__remind-before').value).toBe('3');
    expect(input('mg__remind-overdue').value).toBe('1, 7');
    expect(screen.getByText('到期当天提醒：开')).toBeInTheDocument();
    fireEvent.change(input('mg__remind-before'), { target: { value: '7，1' } });
    fireEvent.click(screen.getByText('到期当天提醒：开'));
    fireEvent.change(input('mg__remind-overdue'), { target: { value: '30、3 15' } });
    fireEvent.click(screen.getByText('保存（记入审计）'));
    // Only the credit rules changed: the checkout rules are not saved (nor audited) again.
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]?.url).toMatch(/\/staff\/credit\/settings$/);
    expect(puts[0]?.data).toMatchObject({
      remindDaysBeforeDue: [1, 7],
      remindOnDueDate: false,
      remindOverdueDays: [3, 15, 30],
    });
  });

  it('keeps a percent with decimals the API holds, and saves a changed one exactly', async () => {
    checkout.discountApprovalBasisPoints = 1_250;
    try {
      render(<SettingsPage />);
      await screen.findByText('收银');
      expect(input('mg__discount').value).toBe('12.5');
      fireEvent.change(input('mg__freeze-days'), { target: { value: '45' } });
      fireEvent.change(input('mg__discount'), { target: { value: '2.55' } });
      fireEvent.click(screen.getByText('保存（记入审计）'));
      await waitFor(() => expect(puts).toHaveLength(2));
      expect(puts[0]?.data).toMatchObject({ discountApprovalBasisPoints: 255 });
      expect(puts[1]?.data).toMatchObject({ autoFreezeOverdueDays: 45 });
    } finally {
      checkout.discountApprovalBasisPoints = 2_000;
    }
  });

  it('sends nothing when nothing changed, and says so', async () => {
    render(<SettingsPage />);
    await screen.findByText('收银');
    fireEvent.click(screen.getByText('保存（记入审计）'));
    expect(await screen.findByText('没有改动')).toBeInTheDocument();
    expect(puts).toEqual([]);
  });

  it('refuses a repeated reminder day and sends nothing', async () => {
    render(<SettingsPage />);
    await screen.findByText('收银');
    fireEvent.change(input('mg__remind-overdue'), { target: { value: '7, 7' } });
    fireEvent.click(screen.getByText('保存（记入审计）'));
    expect(await screen.findByText('逾期提醒不能重复')).toBeInTheDocument();
    expect(puts).toEqual([]);
  });

  it('shows the Chinese words for a save the API refuses', async () => {
    setFakeServer((req) => {
      if (req.url.endsWith('/staff/me')) return { status: 200, body: { role: 'owner', stores: [] } };
      if (req.method === 'PUT') {
        return { status: 403, body: { error: { code: 'FORBIDDEN', message: 'Managers only' } } };
      }
      if (req.url.endsWith('/staff/checkout/settings')) return { status: 200, body: checkout };
      if (req.url.endsWith('/staff/credit/settings')) return { status: 200, body: credit };
      return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
    });
    render(<SettingsPage />);
    await screen.findByText('收银');
    fireEvent.change(input('mg__dispute-days'), { target: { value: '14' } });
    fireEvent.click(screen.getByText('保存（记入审计）'));
    expect(await screen.findByText('没有权限执行此操作')).toBeInTheDocument();
    expect(screen.queryByText('Managers only')).toBeNull();
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
