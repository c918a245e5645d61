import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, type FakeServer, fakeTaro, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { CustomerSummary } from '@lumi/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import CustomersPage from './checkout/customers/index.tsx';
import { CustomerSearch } from './customer-search.tsx';
import { API, CUSTOMER_ID, customer } from './front-desk/fixtures.test-data.ts';

let sent: FakeRequest[];

function serve(server: FakeServer) {
  setFakeServer((req) => {
    sent.push(req);
    return server(req);
  });
}

const searches = () => sent.filter((req) => req.url === `${API}/staff/customers`).map((req) => req.data);

const summary = (i: number): CustomerSummary => ({
  id: `00000000-0000-4000-8000-0000000002${String(i).padStart(2, '0')}`,
  memberNo: String(200_000 + i),
  name: `顾客${i}`,
  phone: `139****00${String(i).padStart(2, '0')}`,
  gender: 'female',
  tags: [],
});

/** 20 customers a page, like the API: page 1 is 1–20, page 2 (cursor p2) is 21–25. */
function pagedServer(req: FakeRequest) {
  if (req.url === `${API}/staff/customers`) {
    const data = req.data as { q?: string; cursor?: string; limit: number };
    if (data.q === '无此人') return { status: 200, body: { items: [], nextCursor: null } };
    if (data.cursor === 'p2') {
      return { status: 200, body: { items: [21, 22, 23, 24, 25].map(summary), nextCursor: null } };
    }
    const first = Array.from({ length: data.limit }, (_, i) => summary(i + 1));
    return { status: 200, body: { items: first, nextCursor: 'p2' } };
  }
  if (req.url === `${API}/staff/customers/member-code`) {
    const { code } = req.data as { code: string };
    if (code === 'M1.good') return { status: 200, body: customer };
    return { status: 422, body: { error: { code: 'MEMBER_CODE_EXPIRED', message: 'The member code has expired' } } };
  }
  throw new Error(`unexpected ${req.method} ${req.url}`);
}

beforeEach(() => {
  sent = [];
  saveSession({ accessToken: 'a', refreshToken: 'r' });
});

describe('CustomerSearch', () => {
  it('pages past the first 20 with 加载更多, and a new search starts again from the first page', async () => {
    serve(pagedServer);
    const onPick = vi.fn();
    render(<CustomerSearch block="ck" action="开单" onPick={onPick} />);
    expect(await screen.findByText('顾客20')).toBeInTheDocument();
    expect(document.querySelectorAll('.ck__customer')).toHaveLength(20);
    expect(screen.queryByText('顾客21')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: '加载更多' }));
    expect(await screen.findByText('顾客25')).toBeInTheDocument();
    expect(document.querySelectorAll('.ck__customer')).toHaveLength(25);
    expect(screen.queryByRole('button', { name: '加载更多' })).toBeNull();
    expect(searches()).toEqual([{ limit: 20 }, { limit: 20, cursor: 'p2' }]);

    const field = document.querySelector('.ck__customer-search') as HTMLInputElement;
    fireEvent.change(field, { target: { value: '  顾客 ' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(searches()).toHaveLength(3));
    expect(searches()[2]).toEqual({ limit: 20, q: '顾客' });
    await waitFor(() => expect(document.querySelectorAll('.ck__customer')).toHaveLength(20));

    // The row shows her phone and member number, and says what a tap does.
    const row = screen.getByText('顾客7').closest('.ck__customer') as HTMLElement;
    expect(row).toHaveTextContent('139****0007 · 会员号 200007');
    expect(row).toHaveTextContent('开单 ›');
    fireEvent.click(row);
    expect(onPick).toHaveBeenCalledWith(summary(7).id);
  });

  it('says when nothing matches, in the page’s own words', async () => {
    serve(pagedServer);
    render(<CustomerSearch block="fd" action="会员卡" onPick={vi.fn()} noMatchText="没有找到顾客，可登记为新顾客" />);
    const field = await screen.findByPlaceholderText('手机号、姓名或会员号，按搜索');
    expect(field).toHaveClass('fd__customer-search');
    expect(await screen.findByText('顾客1')).toBeInTheDocument();
    fireEvent.change(field, { target: { value: '无此人' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(await screen.findByText('没有找到顾客，可登记为新顾客')).toBeInTheDocument();
    expect(document.querySelectorAll('.fd__customer')).toHaveLength(0);
  });

  it('picks the customer of a typed member code, and says in Chinese when it expired', async () => {
    serve(pagedServer);
    const onPick = vi.fn();
    render(<CustomerSearch block="ck" action="开单" onPick={onPick} />);
    const field = await screen.findByPlaceholderText('输入或粘贴会员码');
    fireEvent.change(field, { target: { value: 'M1.old' } });
    fireEvent.click(screen.getByRole('button', { name: '确定' }));
    expect(await screen.findByText('会员码已过期，请顾客刷新后再扫')).toBeInTheDocument();
    expect(onPick).not.toHaveBeenCalled();
    fireEvent.change(field, { target: { value: 'M1.good' } });
    fireEvent.click(screen.getByRole('button', { name: '确定' }));
    await waitFor(() => expect(onPick).toHaveBeenCalledWith(CUSTOMER_ID));
  });

  it('shows a failed search with a retry that loads it again', async () => {
    let fail = true;
    serve((req) => {
      if (fail && req.url === `${API}/staff/customers`) {
        return { status: 503, body: { error: { code: 'DATABASE_UNAVAILABLE', message: 'down' } } };
      }
      return pagedServer(req);
    });
    render(<CustomerSearch block="ck" action="开单" onPick={vi.fn()} />);
    const retry = await screen.findByRole('button', { name: /重试/ });
    fail = false;
    fireEvent.click(retry);
    expect(await screen.findByText('顾客1')).toBeInTheDocument();
  });
});

describe('the till’s customer page', () => {
  it('opens a bill for the customer of a typed member code', async () => {
    setCurrentPages(['pages/home/index', 'checkout/customers/index']);
    serve((req) => {
      if (req.url === `${API}/staff/approval-requests`) return { status: 200, body: [] };
      return pagedServer(req);
    });
    render(<CustomersPage />);
    const field = await screen.findByPlaceholderText('输入或粘贴会员码');
    fireEvent.change(field, { target: { value: 'M1.good' } });
    fireEvent.click(screen.getByRole('button', { name: '确定' }));
    await waitFor(() =>
      expect(fakeTaro.navigateTo).toHaveBeenCalledWith({ url: `/checkout/new-bill/index?customerId=${CUSTOMER_ID}` }),
    );
  });
});
