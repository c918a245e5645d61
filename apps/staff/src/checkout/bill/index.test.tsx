import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, makeBill, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { ApprovalRequest, Bill } from '@lumi/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import BillPage from './index.tsx';

const API = 'http://api.test';
const bill = makeBill({ status: 'settled', totalFen: 77_600 });
const request = (status: ApprovalRequest['status']): ApprovalRequest => ({
  id: '00000000-0000-4000-8000-0000000000f1',
  kind: 'void',
  status,
  storeId: bill.storeId,
  storeName: bill.storeName,
  customer: { id: bill.customerId, name: bill.customerName },
  bill: {
    id: bill.id,
    number: bill.number,
    storeId: bill.storeId,
    storeName: bill.storeName,
    customerId: bill.customerId,
    customerName: bill.customerName,
    totalFen: bill.totalFen,
  },
  amountFen: 77_600,
  thresholdFen: 50_000,
  reason: '顾客要求整单撤销',
  refund: null,
  requestedBy: { id: '00000000-0000-4000-8000-000000000003', name: '王美丽' },
  createdAt: '2026-05-01T02:00:00Z',
  decidedBy: status === 'pending' ? null : { id: '00000000-0000-4000-8000-000000000002', name: '刘店长' },
  decidedAt: status === 'pending' ? null : '2026-05-01T02:10:00Z',
  decisionNote: null,
  refundId: null,
  discount: null,
  packageTransfer: null,
});

let approvals: ApprovalRequest[];
let current: Bill;
let sent: FakeRequest[];

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages([`checkout/bill/index?id=${bill.id}`]);
  approvals = [];
  current = bill;
  sent = [];
  setFakeServer((req) => {
    if (req.url === `${API}/staff/bills/${bill.id}`) return { status: 200, body: current };
    if (req.url === `${API}/staff/approval-requests?billId=${bill.id}`) return { status: 200, body: approvals };
    if (req.url === `${API}/staff/bills/${bill.id}/void`) {
      return {
        status: 403,
        body: {
          error: {
            code: 'MANAGER_APPROVAL_REQUIRED',
            message: 'A void this large needs a manager',
            details: { kind: 'void', amountFen: 77_600, thresholdFen: 50_000 },
          },
        },
      };
    }
    if (req.url === `${API}/staff/bills/${bill.id}/cancel`) {
      sent.push(req);
      current = { ...current, status: 'cancelled', tenders: [] };
      return { status: 200, body: current };
    }
    if (req.url === `${API}/staff/bills/${bill.id}/approval-requests` && req.method === 'POST') {
      sent.push(req);
      approvals = [request('pending')];
      return { status: 201, body: approvals[0] };
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('请店长审批 on a bill above the threshold', () => {
  it('offers the request when the void is refused, files it, and finishes once the manager approved', async () => {
    // Fake clocks that still run, so the page's 5-second look at a waiting request can be brought forward.
    vi.useFakeTimers({ shouldAdvanceTime: true });
    render(<BillPage />);
    fireEvent.click(await screen.findByText('撤销账单'));
    fireEvent.change(document.querySelector('.ck__void-reason') as HTMLInputElement, {
      target: { value: '顾客要求整单撤销' },
    });
    fireEvent.click(screen.getByText('确认撤销整单'));
    fireEvent.click(await screen.findByText('请店长审批'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.data).toEqual({ kind: 'void', reason: '顾客要求整单撤销' });
    expect(await screen.findByText('待店长审批')).toBeInTheDocument();
    expect(screen.queryByText('需要店长操作')).toBeNull();

    // The manager approves (and the approval voids the bill); the next look shows both.
    approvals = [request('approved')];
    current = { ...bill, status: 'voided', refundedFen: bill.totalFen };
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5_500);
    });
    expect(await screen.findByText('店长已批准并执行')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('撤销账单')).toBeNull());
  });
});

describe('取消账单 on a bill never paid', () => {
  it('asks for a reason, cancels, and shows the bill closed without 去结账', async () => {
    current = { ...bill, status: 'open', tenders: [], settledAt: null };
    render(<BillPage />);
    expect(await screen.findByText('去结账')).toBeInTheDocument();
    expect(screen.queryByText('撤销账单')).toBeNull();
    fireEvent.click(screen.getByText('取消账单'));
    fireEvent.click(screen.getByText('确认取消账单'));
    expect(await screen.findByText('请填写取消原因（至少 2 个字）')).toBeInTheDocument();
    expect(sent).toHaveLength(0);
    fireEvent.change(document.querySelector('.ck__cancel-reason') as HTMLInputElement, {
      target: { value: '顾客临时离店' },
    });
    fireEvent.click(screen.getByText('确认取消账单'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.data).toEqual({ reason: '顾客临时离店' });
    await waitFor(() => expect(screen.queryByText('去结账')).toBeNull());
    expect(screen.queryByText('确认取消账单')).toBeNull();
  });

  it('is not offered on a settled bill', async () => {
    render(<BillPage />);
    expect(await screen.findByText('撤销账单')).toBeInTheDocument();
    expect(screen.queryByText('取消账单')).toBeNull();
  });
});
