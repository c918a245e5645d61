import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { fakeTaro, setCurrentPages } from '@lumi/mini/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { API, ok, serve } from '../../testing/serve.ts';
import StatementPage from './index.tsx';

// 18:00 on 5 March 2026 in Beijing: the page offers 1 February to today.
const NOW = new Date('2026-03-05T10:00:00Z');
const statementUrl = (from: string, to: string, format: string) =>
  `${API}/me/statement?from=${from}&to=${to}&format=${format}`;

interface Opened {
  href: string;
  download: string;
  target: string;
}
let opened: Opened[];
let fetchStatement: ReturnType<typeof vi.fn>;
let seen: ReturnType<typeof serve>;

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true, now: NOW });
  setCurrentPages(['pages/me/index', 'profile/statement/index']);
  seen = serve({ 'GET /me': ok({ id: '00000000-0000-4000-8000-000000000001' }) });
  fetchStatement = vi.fn(async (_url: string, _init?: RequestInit) => ({
    ok: true,
    status: 200,
    blob: async () => new Blob(['对账单'], { type: 'text/plain' }),
  }));
  vi.stubGlobal('fetch', fetchStatement);
  // jsdom has no object URLs and cannot follow a link: record what the page opened instead.
  URL.createObjectURL = vi.fn(() => 'blob:statement');
  opened = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    opened.push({ href: this.href, download: this.download, target: this.target });
  });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const dates = () => [...document.querySelectorAll('.statement__date')].map((d) => d.textContent);
const pick = (which: 0 | 1, date: string) =>
  fireEvent.change(document.querySelectorAll('.picker-value')[which] as HTMLInputElement, { target: { value: date } });

describe('对账单 (H5)', () => {
  it('opens last month and this as a printable page, fetched with her fresh token', async () => {
    render(<StatementPage />);
    expect(dates()).toEqual(['2026-02-01', '2026-03-05']);
    expect(screen.getByText('对账单包含该期间的储值、积分、次卡与挂账变动。')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '打开可打印对账单' }));

    await waitFor(() => expect(opened).toHaveLength(1));
    // The cheap call that refreshes an expired token goes first.
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${API}/me`]);
    expect(fetchStatement).toHaveBeenCalledWith(statementUrl('2026-02-01', '2026-03-05', 'html'), {
      headers: { Authorization: 'Bearer a' },
    });
    expect(opened[0]).toEqual({ href: 'blob:statement', download: '', target: '_blank' });
  });

  it('downloads the CSV of the dates she picked under a file name that says them', async () => {
    render(<StatementPage />);
    pick(0, '2026-01-01');
    pick(1, '2026-01-31');
    expect(dates()).toEqual(['2026-01-01', '2026-01-31']);
    fireEvent.click(screen.getByRole('button', { name: '下载 CSV' }));

    await waitFor(() => expect(opened).toHaveLength(1));
    expect(fetchStatement.mock.calls[0]?.[0]).toBe(statementUrl('2026-01-01', '2026-01-31', 'csv'));
    expect(opened[0]).toMatchObject({ download: '对账单-2026-01-01-2026-01-31.csv', target: '' });
  });

  it('offers December to a customer opening it in January', () => {
    vi.setSystemTime(new Date('2026-01-10T04:00:00Z'));
    render(<StatementPage />);
    expect(dates()).toEqual(['2025-12-01', '2026-01-10']);
  });

  it('refuses a start after the end in Chinese and asks the API nothing', async () => {
    render(<StatementPage />);
    pick(0, '2026-03-04');
    pick(1, '2026-03-01');
    fireEvent.click(screen.getByRole('button', { name: '下载 CSV' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('开始日期不能晚于结束日期');
    expect(seen).toHaveLength(0);
    expect(fetchStatement).not.toHaveBeenCalled();
  });

  it('says 正在生成 and holds both buttons while the statement is made, then lets her go again', async () => {
    let release: () => void = () => undefined;
    fetchStatement.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          release = () => resolve({ ok: true, status: 200, blob: async () => new Blob(['x']) });
        }),
    );
    render(<StatementPage />);
    fireEvent.click(screen.getByRole('button', { name: '打开可打印对账单' }));
    expect(await screen.findByRole('button', { name: '正在生成…' })).toBeDisabled();
    expect(screen.getByRole('button', { name: '下载 CSV' })).toBeDisabled();
    await waitFor(() => expect(fetchStatement).toHaveBeenCalledTimes(1));
    release();
    expect(await screen.findByRole('button', { name: '打开可打印对账单' })).toBeEnabled();
    expect(screen.getByRole('button', { name: '下载 CSV' })).toBeEnabled();
  });

  it('says in Chinese when the statement could not be made, and opens nothing', async () => {
    fetchStatement.mockResolvedValueOnce({ ok: false, status: 500, blob: async () => new Blob([]) });
    render(<StatementPage />);
    fireEvent.click(screen.getByRole('button', { name: '下载 CSV' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('服务器响应异常，请稍后重试');
    expect(opened).toHaveLength(0);
    expect(screen.getByRole('button', { name: '下载 CSV' })).toBeEnabled();
  });
});

describe('对账单 (WeChat)', () => {
  beforeEach(() => {
    vi.stubEnv('TARO_ENV', 'weapp');
  });

  it('has no printable page, and hands the downloaded CSV to 发送给朋友 under its file name', async () => {
    render(<StatementPage />);
    expect(screen.queryByRole('button', { name: '打开可打印对账单' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '保存 CSV（发送到文件传输助手）' }));

    await waitFor(() => expect(fakeTaro.shareFileMessage).toHaveBeenCalledTimes(1));
    expect(fakeTaro.downloadFile).toHaveBeenCalledWith({
      url: statementUrl('2026-02-01', '2026-03-05', 'csv'),
      header: { Authorization: 'Bearer a' },
    });
    expect(fakeTaro.shareFileMessage).toHaveBeenCalledWith({
      filePath: 'wxfile://tmp/downloaded',
      fileName: '对账单-2026-02-01-2026-03-05.csv',
    });
    expect(fetchStatement).not.toHaveBeenCalled();
  });

  it('shares nothing when the download was refused, and says so in Chinese', async () => {
    fakeTaro.downloadFile.mockResolvedValueOnce({ statusCode: 401, tempFilePath: '', errMsg: 'downloadFile:ok' });
    render(<StatementPage />);
    fireEvent.click(screen.getByRole('button', { name: '保存 CSV（发送到文件传输助手）' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('服务器响应异常，请稍后重试');
    expect(fakeTaro.shareFileMessage).not.toHaveBeenCalled();
  });
});
