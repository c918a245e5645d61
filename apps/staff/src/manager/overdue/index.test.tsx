import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, setFakeServer } from '@lumi/mini/testing';
import type { CollectionBoard } from '@lumi/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import OverduePage from './index.tsx';

vi.mock('../chart/f2-chart.tsx', () => ({ F2Chart: () => <div className="chart-stand-in" /> }));

const CUSTOMER = '00000000-0000-4000-8000-0000000000c7';
const TASK = '00000000-0000-4000-8000-0000000000d7';
const buckets = {
  notDueFen: 0,
  days1to30Fen: 0,
  days31to60Fen: 45_000,
  days61to90Fen: 0,
  days90plusFen: 0,
  overdueFen: 45_000,
  owedFen: 45_000,
};
const board: CollectionBoard = {
  asOf: '2026-05-01',
  totals: buckets,
  customers: [
    {
      customer: { id: CUSTOMER, name: '孙丽', phone: '13900000007' },
      buckets,
      oldestOverdueDays: 41,
      limitFen: 100_000,
      lineStatus: 'frozen',
      lastContact: null,
      openTasks: [
        {
          id: TASK,
          customer: { id: CUSTOMER, name: '孙丽' },
          assignee: null,
          dueDate: '2026-05-02',
          note: '电话提醒还款',
          status: 'open',
          outcome: null,
          promisedDate: null,
          outcomeNote: null,
          completedBy: null,
          completedAt: null,
          createdBy: null,
          createdAt: '2026-04-30T01:00:00Z',
        },
      ],
    },
  ],
};

let sent: FakeRequest[];
beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  sent = [];
  setFakeServer((req) => {
    if (req.url.endsWith('/staff/me')) return { status: 200, body: { role: 'manager', stores: [] } };
    if (req.url.endsWith('/staff/credit/collections')) return { status: 200, body: board };
    if (req.method === 'POST') {
      sent.push(req);
      return { status: 200, body: {} };
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

describe('逾期', () => {
  it('shows the buckets, the frozen line and its task; records a promise to pay with its date', async () => {
    render(<OverduePage />);
    expect(await screen.findByText('孙丽 · 已冻结')).toBeInTheDocument();
    expect(document.querySelector('.mg__datum--days31to60Fen')?.textContent).toContain('¥450.00');
    fireEvent.click(screen.getByText('承诺还款'));
    fireEvent.change(document.querySelector('.picker-value') as HTMLInputElement, { target: { value: '2026-05-10' } });
    fireEvent.click(screen.getByText('记录结果'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.url).toBe(`http://api.test/staff/collection-tasks/${TASK}/outcome`);
    expect(sent[0]?.data).toEqual({ outcome: 'promised', promisedDate: '2026-05-10' });
  });

  it('unfreezes only with a reason', async () => {
    render(<OverduePage />);
    fireEvent.click(await screen.findByText('解冻额度'));
    expect(await screen.findByText('请填写解冻原因（至少 2 个字）')).toBeInTheDocument();
    expect(sent).toEqual([]);
    fireEvent.change(document.querySelector('.mg__unfreeze-reason') as HTMLInputElement, {
      target: { value: '已还清部分，恢复使用' },
    });
    fireEvent.click(screen.getByText('解冻额度'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.url).toBe(`http://api.test/staff/customers/${CUSTOMER}/credit-line/unfreeze`);
    expect(sent[0]?.data).toEqual({ reason: '已还清部分，恢复使用' });
  });
});
