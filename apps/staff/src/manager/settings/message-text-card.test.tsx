import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, setFakeServer } from '@lumi/mini/testing';
import type { MessageText } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { MessageTextCard } from './message-text-card.tsx';

const DEFAULT = '【{shop}】您有 {amount} 欠款已逾期 {days} 天（应还日期 {date}），请尽快还款。';
const overdue = (over: Partial<MessageText> = {}): MessageText => ({
  purpose: 'credit_overdue',
  label: '挂账逾期提醒',
  text: DEFAULT,
  defaultText: DEFAULT,
  custom: false,
  placeholders: ['shop', 'amount', 'date', 'days'],
  preview: '【示例美容院】您有 ¥1280.00 欠款已逾期 3 天（应还日期 2026-06-01），请尽快还款。',
  ...over,
});

let sent: FakeRequest[];
beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  sent = [];
  setFakeServer((req) => {
    if (req.method === 'GET' && req.url.endsWith('/staff/settings/message-texts')) {
      return { status: 200, body: [overdue()] };
    }
    sent.push(req);
    if (req.url.endsWith('/reset')) return { status: 200, body: overdue() };
    const text = (req.data as { text: string }).text;
    return {
      status: 200,
      body: overdue({ text, custom: true, preview: text.replace('{amount}', '¥1280.00').replace('{days}', '3') }),
    };
  });
});

const textarea = () => document.querySelector('.message-texts__text') as HTMLTextAreaElement;

describe('设置 → 消息模板', () => {
  it("shows each purpose's words with a preview, saves new words and resets them to the default", async () => {
    render(<MessageTextCard />);
    expect(await screen.findByText('挂账逾期提醒 · 默认')).toBeInTheDocument();
    expect(screen.getByText(/预览（林小雅）：【示例美容院】您有 ¥1280.00/)).toBeInTheDocument();

    fireEvent.change(textarea(), { target: { value: '您的 {amount} 已逾期 {days} 天，生日 {birthday} 快乐' } });
    fireEvent.click(screen.getByText('保存（记入审计）'));
    expect(await screen.findByText('不能使用 {birthday}，可用：{shop} {amount} {date} {days}')).toBeInTheDocument();
    expect(sent).toEqual([]);

    fireEvent.change(textarea(), { target: { value: '您的 {amount} 已逾期 {days} 天' } });
    fireEvent.click(screen.getByText('保存（记入审计）'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      method: 'PUT',
      url: expect.stringMatching(/\/staff\/settings\/message-texts\/credit_overdue$/),
      data: { text: '您的 {amount} 已逾期 {days} 天' },
    });
    expect(await screen.findByText('预览（林小雅）：您的 ¥1280.00 已逾期 3 天')).toBeInTheDocument();
    expect(screen.getByText('挂账逾期提醒 · 已修改')).toBeInTheDocument();

    fireEvent.click(screen.getByText('恢复默认'));
    await waitFor(() => expect(sent.at(-1)?.url).toMatch(/\/credit_overdue\/reset$/));
    expect(await screen.findByText('挂账逾期提醒 · 默认')).toBeInTheDocument();
    expect(textarea().value).toBe(DEFAULT);
  });
});
