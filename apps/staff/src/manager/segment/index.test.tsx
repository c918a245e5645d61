import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { fakeTaro, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import SegmentPage from './index.tsx';

const member = (i: number) => ({
  customerId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  name: `顾客${i}`,
  phone: '138****0000',
  segment: 'dormant',
  recencyDays: 120 + i,
  frequency: 2,
  monetaryFen: 10_000 * i,
});

const asked: string[] = [];
beforeEach(() => {
  asked.length = 0;
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages(['manager/segment/index?segment=dormant']);
  setFakeServer((req) => {
    if (req.url.endsWith('/staff/me')) return { status: 200, body: { role: 'manager', stores: [] } };
    if (req.url.includes('/staff/segmentation/segments/dormant/customers')) {
      asked.push(req.url);
      return req.url.includes('cursor=')
        ? { status: 200, body: { items: [member(3)], nextCursor: null } }
        : { status: 200, body: { items: [member(1), member(2)], nextCursor: 'c2' } };
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

describe('客群 · 顾客', () => {
  it('lists a segment a page at a time', async () => {
    render(<SegmentPage />);
    expect(await screen.findByText('沉睡 · 2+ 位')).toBeInTheDocument();
    fireEvent.click(screen.getByText('加载更多'));
    expect(await screen.findByText('顾客3')).toBeInTheDocument();
    expect(screen.getByText('沉睡 · 3 位')).toBeInTheDocument();
    expect(screen.queryByText('加载更多')).toBeNull();
    expect(asked[1]).toContain('cursor=c2');
  });

  it("opens the customer's card at the front desk", async () => {
    render(<SegmentPage />);
    fireEvent.click(await screen.findByText('顾客2'));
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({
      url: `/front-desk/customer/index?id=${member(2).customerId}`,
    });
  });
});
