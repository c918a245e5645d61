import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { makePaymentOrder, setCurrentPages, SIM_PAY_URL } from '@lumi/mini/testing';
import type { CustomerCredit, PaymentOrder } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { failing, ok, serve } from '../../testing/serve.ts';
import CreditPage from './index.tsx';

const SALE = '00000000-0000-4000-8000-0000000000e1';
const item = (seq: number, dueDate: string, status: 'open' | 'paid', overdueDays = 0) => ({
  id: `00000000-0000-4000-8000-0000000000f${seq}`,
  saleId: SALE,
  seq,
  of: 3,
  dueDate,
  amountFen: 10_000,
  paidFen: status === 'paid' ? 10_000 : 0,
  outstandingFen: status === 'paid' ? 0 : 10_000,
  status,
  overdueDays,
  paidAt: null,
});

const credit = (owedFen: number): CustomerCredit => ({
  customerId: '00000000-0000-4000-8000-000000000001',
  limitFen: 500_000,
  owedFen,
  availableFen: 500_000 - owedFen,
  usagePercent: 4,
  status: 'active',
  frozenReason: null,
  overdueFen: owedFen === 20_000 ? 10_000 : 0,
  nextDue: owedFen > 0 ? { dueDate: '2020-01-15', amountFen: 10_000 } : null,
  openSales:
    owedFen > 0
      ? [
          {
            id: SALE,
            transferId: 7,
            at: '2019-11-15T06:00:00Z',
            storeId: null,
            principalFen: 30_000,
            outstandingFen: owedFen,
            plan: 'instalments',
            instalmentCount: 3,
            interestFree: true,
            reference: null,
            status: 'open',
            items: [item(1, '2019-12-15', 'paid'), item(2, '2020-01-15', 'open', 30), item(3, '2099-02-15', 'open')],
          },
        ]
      : [],
});

const order = (state: PaymentOrder['state'], amountFen: number) =>
  makePaymentOrder(state, {
    outTradeNo: 'LT20260101REPAY1',
    purpose: 'credit_repayment',
    description: '挂账还款',
    amountFen,
    transferId: null,
  });

beforeEach(() => setCurrentPages(['pages/me/index', 'credit/index/index']));

describe('挂账/分期', () => {
  it('shows what she owes, the instalments with due dates, overdue marked', async () => {
    serve({ 'GET /me/credit': ok(credit(20_000)) });
    render(<CreditPage />);
    expect(await screen.findByText('¥200.00')).toHaveClass('credit__owed');
    expect(screen.getByText('已逾期 ¥100.00')).toBeInTheDocument();
    expect(screen.getByText('分期 3 期（免息）')).toBeInTheDocument();
    const rows = [...document.querySelectorAll('.credit__item')];
    expect(rows.map((r) => r.className.replace(/.*credit__item--/, ''))).toEqual(['paid', 'overdue', 'upcoming']);
    expect(rows[1]).toHaveTextContent('第 2/3 期 · 2020-01-15¥100.00已逾期 30 天');
  });

  it('repays through WeChat Pay, then shows the receipt and the debt fallen', async () => {
    let owed = 20_000;
    const seen = serve({
      'GET /me/credit': () => ok(credit(owed))(),
      'POST /me/payments/credit-repayments': (req) =>
        ok(order('NOTPAY', (req.data as { amountFen: number }).amountFen), 201)(),
      'GET /me/payments/LT20260101REPAY1': () => {
        owed = 10_000;
        return ok(order('SUCCESS', 10_000))();
      },
      [`POST ${SIM_PAY_URL}`]: ok({ ok: true }),
    });
    render(<CreditPage />);
    // The overdue amount is offered first.
    expect(await screen.findByDisplayValue('100.00')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '微信支付还款' }));

    expect(await screen.findByText('还款凭证')).toBeInTheDocument();
    const repay = seen.find((r) => r.url.endsWith('/me/payments/credit-repayments'));
    expect(repay?.data).toEqual({ amountFen: 10_000 });
    expect(repay?.headers['Idempotency-Key'] ?? repay?.headers['idempotency-key']).toMatch(/^repay/);
    // H5: the simulator's payment sheet.
    expect(seen.some((r) => r.url === SIM_PAY_URL)).toBe(true);
    await waitFor(() =>
      expect(screen.getAllByText('¥100.00').some((e) => e.classList.contains('credit__owed'))).toBe(true),
    );
    expect(screen.getByText('微信支付单号 LT20260101REPAY1')).toBeInTheDocument();
  });

  it('refuses more than she owes without calling the API', async () => {
    const seen = serve({ 'GET /me/credit': ok(credit(20_000)) });
    render(<CreditPage />);
    const input = await screen.findByDisplayValue('100.00');
    fireEvent.change(input, { target: { value: '300' } });
    fireEvent.click(screen.getByRole('button', { name: '微信支付还款' }));
    expect(await screen.findByText('最多还 ¥200.00')).toBeInTheDocument();
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('says so when nothing is owed, and shows a failure with a way back', async () => {
    serve({ 'GET /me/credit': ok(credit(0)) });
    const { unmount } = render(<CreditPage />);
    expect(await screen.findByText('没有未结清的挂账')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '微信支付还款' })).toBeNull();
    unmount();

    serve({ 'GET /me/credit': failing(500, 'INTERNAL') });
    render(<CreditPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('服务器开小差了');
    expect(screen.getByRole('button', { name: '返回' })).toBeInTheDocument();
  });
});
