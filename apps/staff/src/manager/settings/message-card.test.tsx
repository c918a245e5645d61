import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, setFakeServer } from '@lumi/mini/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { MessageCard } from './message-card.tsx';

let puts: FakeRequest[];
let refuse: boolean;
beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  puts = [];
  refuse = false;
  setFakeServer((req) => {
    if (req.url.endsWith('/staff/messaging/settings') && req.method === 'PUT') {
      puts.push(req);
      if (refuse) return { status: 403, body: { error: { code: 'FORBIDDEN', message: 'Managers only' } } };
      return { status: 200, body: req.data };
    }
    if (req.url.endsWith('/staff/messaging/settings')) {
      return { status: 200, body: { mutedBillEvents: ['bill_settled'], billSmsFallback: true } };
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

const chip = (cls: string) => document.querySelector(`.${cls}`) as HTMLElement;
const on = (cls: string) => chip(cls).classList.contains('mg__chip--on');

describe('设置 → 顾客消息', () => {
  it('shows muted events off and the SMS fallback on, and saves what was changed', async () => {
    render(<MessageCard />);
    await screen.findByText('顾客消息');
    expect(on('message-card__event-bill_settled')).toBe(false);
    expect(on('message-card__event-bill_refunded')).toBe(true);
    expect(on('message-card__sms-on')).toBe(true);
    fireEvent.click(screen.getByText('消费已结账'));
    fireEvent.click(screen.getByText('账单已退款'));
    fireEvent.click(screen.getByText('账单待确认'));
    expect(screen.getByText(/请当面提醒顾客确认/)).toBeInTheDocument();
    fireEvent.click(screen.getByText('不发短信'));
    expect(on('message-card__sms-off')).toBe(true);
    fireEvent.click(screen.getByText('保存消息设置（记入审计）'));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]?.data).toEqual({ mutedBillEvents: ['bill_to_confirm', 'bill_refunded'], billSmsFallback: false });
  });

  it('shows the Chinese words for a refused save and keeps the choices', async () => {
    refuse = true;
    render(<MessageCard />);
    await screen.findByText('顾客消息');
    fireEvent.click(screen.getByText('不发短信'));
    fireEvent.click(screen.getByText('保存消息设置（记入审计）'));
    expect(await screen.findByText('没有权限执行此操作')).toBeInTheDocument();
    expect(screen.queryByText('Managers only')).toBeNull();
    expect(on('message-card__sms-off')).toBe(true);
  });

  it('says so when the settings cannot be loaded', async () => {
    setFakeServer(() => ({ status: 500, body: { error: { code: 'INTERNAL', message: 'boom' } } }));
    render(<MessageCard />);
    expect(await screen.findByText('消息设置加载失败')).toBeInTheDocument();
  });
});
