import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeRequest,
  fakeTaro,
  makeBill,
  makeDispute,
  makeEntry,
  setCurrentPages,
  setFakeServer,
} from '@lumi/mini/testing';
import type { Dispute, Entry } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import DisputePage from './index.tsx';

const API = 'http://api.test';
const bill = makeBill({ transferId: 7 });
const question = makeDispute();
const RESOLUTION = `${API}/staff/disputes/${question.id}/resolution`;

/** The bill's own postings (transfer 7), and a top-up of hers the page must leave out. */
const entries: Entry[] = [
  makeEntry({ kind: 'bill', id: 31, transferId: 7, bucket: 'principal', unit: 'CNY', amount: -38_800 }),
  makeEntry({ kind: 'bill', id: 32, transferId: 7, bucket: 'points', unit: 'POINTS', amount: 388 }),
  makeEntry({ kind: 'top_up', id: 30, transferId: 6, bucket: 'principal', unit: 'CNY', amount: 100_000 }),
];

let role: string;
let disputes: Dispute[];
let seen: FakeRequest[];
let resolutionAnswer: ((req: FakeRequest) => { status: number; body: unknown }) | null;

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['manager/inbox/index', `manager/dispute/index?id=${question.id}`]);
  role = 'manager';
  disputes = [makeDispute({ id: '00000000-0000-4000-8000-0000000000d9', reason: '别人的异议' }), question];
  seen = [];
  resolutionAnswer = null;
  setFakeServer((req) => {
    seen.push(req);
    const path = `${req.method} ${req.url}`;
    if (path === `GET ${API}/staff/me`) return { status: 200, body: { role, stores: [] } };
    if (path === `GET ${API}/staff/disputes`) return { status: 200, body: disputes };
    if (path === `GET ${API}/staff/bills/${bill.id}`) return { status: 200, body: bill };
    if (path === `GET ${API}/staff/customers/${question.customerId}/entries?limit=100`)
      return { status: 200, body: { items: entries, nextCursor: null } };
    if (path === `POST ${RESOLUTION}`) {
      if (resolutionAnswer) return resolutionAnswer(req);
      const { resolution, answer } = req.data as { resolution: 'answer' | 'reverse'; answer: string };
      const done = {
        ...question,
        status: resolution === 'answer' ? 'answered' : 'reversed',
        answer,
        resolvedAt: '2026-03-05T06:00:00Z',
      } as const;
      disputes = [done];
      return { status: 200, body: disputes };
    }
    throw new Error(`unexpected ${path}`);
  });
});

const posted = () => seen.filter((r) => r.method === 'POST');
const note = (text: string) =>
  fireEvent.change(screen.getByPlaceholderText('给顾客的书面答复（顾客可见）'), { target: { value: text } });

describe('顾客异议', () => {
  it("shows the question, its bill and only the bill's own postings to her accounts", async () => {
    render(<DisputePage />);
    expect(await screen.findByText('林小雅 的疑问 · 处理中')).toBeInTheDocument();
    expect(screen.getByText('项目与实际不符')).toBeInTheDocument();
    expect(screen.getByText(/服务人员 王美丽/)).toBeInTheDocument();
    expect(screen.getByText('账单 S01-20260305-0012 · 已结账')).toBeInTheDocument();
    const postings = document.querySelector('.mg__entries') as HTMLElement;
    expect([...postings.querySelectorAll('.mg__row')].map((row) => row.textContent)).toEqual([
      '本金-¥388.00',
      '积分+388 积分',
    ]);
    expect(postings).not.toHaveTextContent('+¥1,000.00');
    expect(seen.map((r) => r.url.replace(API, ''))).toEqual([
      '/staff/me',
      '/staff/disputes',
      `/staff/bills/${bill.id}`,
      `/staff/customers/${question.customerId}/entries?limit=100`,
    ]);
  });

  it('answers in writing once the note has two characters, then shows the answer and no more decision', async () => {
    render(<DisputePage />);
    fireEvent.click(await screen.findByText('书面答复'));
    expect(await screen.findByText('请填写给顾客的答复（至少 2 个字）')).toBeInTheDocument();
    expect(posted()).toHaveLength(0);

    note('  已核对，项目无误  ');
    expect(screen.queryByText('请填写给顾客的答复（至少 2 个字）')).toBeNull();
    fireEvent.click(screen.getByText('书面答复'));
    expect(await screen.findByText('林小雅 的疑问 · 已答复')).toBeInTheDocument();
    expect(posted().map((r) => r.data)).toEqual([{ resolution: 'answer', answer: '已核对，项目无误' }]);
    expect(screen.getByText('答复：已核对，项目无误')).toBeInTheDocument();
    expect(screen.queryByText('书面答复')).toBeNull();
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已答复' }));
  });

  it('reverses the bill with a reason', async () => {
    render(<DisputePage />);
    fireEvent.click(await screen.findByText('撤销账单'));
    expect(await screen.findByText('请填写撤销原因（至少 2 个字）')).toBeInTheDocument();
    note('确认项目有误');
    fireEvent.click(screen.getByText('撤销账单'));
    expect(await screen.findByText('林小雅 的疑问 · 已撤销账单')).toBeInTheDocument();
    expect(posted().map((r) => r.data)).toEqual([{ resolution: 'reverse', answer: '确认项目有误' }]);
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已撤销账单' }));
  });

  it('says in Chinese when another manager resolved it first, and keeps the note', async () => {
    resolutionAnswer = () => ({
      status: 409,
      body: { error: { code: 'CONFLICT', message: 'This dispute is already resolved' } },
    });
    render(<DisputePage />);
    await screen.findByText('林小雅 的疑问 · 处理中');
    note('已核对，项目无误');
    fireEvent.click(screen.getByText('书面答复'));
    expect(await screen.findByText('状态已变化，请刷新后重试')).toBeInTheDocument();
    expect(screen.queryByText(/already resolved/)).toBeNull();
    expect(screen.getByPlaceholderText('给顾客的书面答复（顾客可见）')).toHaveValue('已核对，项目无误');
  });

  it('shows 加载中 first, and a question not among her stores as not found, with 返回 and no 重试', async () => {
    disputes = [];
    render(<DisputePage />);
    expect(screen.getByText('加载中…')).toBeInTheDocument();
    expect(await screen.findByText('该异议不存在或不在您管理的门店')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '返回' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '重试' })).toBeNull();
    expect(seen.map((r) => r.url.replace(API, ''))).toEqual(['/staff/me', '/staff/disputes']);
  });

  it('says so when the bill moved nothing in her accounts', async () => {
    disputes = [makeDispute()];
    const cash = makeBill({ transferId: 99, tenders: [{ method: 'cash', amountFen: 38_800 }] });
    setFakeServer((req) => {
      if (req.url === `${API}/staff/me`) return { status: 200, body: { role: 'owner', stores: [] } };
      if (req.url === `${API}/staff/disputes`) return { status: 200, body: disputes };
      if (req.url === `${API}/staff/bills/${bill.id}`) return { status: 200, body: cash };
      return { status: 200, body: { items: entries, nextCursor: null } };
    });
    render(<DisputePage />);
    expect(await screen.findByText('本单未动用储值、积分或次卡')).toBeInTheDocument();
    expect(document.querySelectorAll('.mg__entries .mg__row')).toHaveLength(0);
  });

  it('shows a beautician who opens it by its address nothing, and asks the API for no dispute', async () => {
    role = 'beautician';
    render(<DisputePage />);
    await waitFor(() => expect(document.querySelector('.mg--denied')).toBeInTheDocument());
    expect(screen.queryByText(/的疑问/)).toBeNull();
    expect(seen.map((r) => r.url.replace(API, ''))).toEqual(['/staff/me']);
  });
});
