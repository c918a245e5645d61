import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, setFakeServer } from '@lumi/mini/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { BrandCard } from './brand-card.tsx';

let puts: FakeRequest[];
beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  puts = [];
  setFakeServer((req) => {
    if (req.url.endsWith('/staff/brand/settings') && req.method === 'PUT') {
      puts.push(req);
      return { status: 200, body: req.data };
    }
    if (req.url.endsWith('/staff/brand/settings')) return { status: 200, body: { color: '#a97c50', name: null } };
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

const input = (cls: string) => document.querySelector(`.${cls}`) as HTMLInputElement;

describe('设置 → 品牌', () => {
  it('shows the current colour and saves a picked colour and a name', async () => {
    render(<BrandCard />);
    await screen.findByText('品牌（顾客小程序）');
    expect(input('brand-card__color').value).toBe('#a97c50');
    fireEvent.click(input('brand-card__preset-c2185b'));
    fireEvent.change(input('brand-card__name'), { target: { value: ' 小雅美学 ' } });
    fireEvent.click(screen.getByText('保存品牌（记入审计）'));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]?.data).toEqual({ color: '#c2185b', name: '小雅美学' });
  });

  it('refuses a colour that is not #rrggbb and sends nothing; an empty name means the registered one', async () => {
    render(<BrandCard />);
    await screen.findByText('品牌（顾客小程序）');
    fireEvent.change(input('brand-card__color'), { target: { value: 'pink' } });
    fireEvent.click(screen.getByText('保存品牌（记入审计）'));
    expect(await screen.findByText('颜色应为 #RRGGBB，例如 #a97c50')).toBeInTheDocument();
    expect(puts).toEqual([]);
    fireEvent.change(input('brand-card__color'), { target: { value: '#2E7D32' } });
    fireEvent.click(screen.getByText('保存品牌（记入审计）'));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]?.data).toEqual({ color: '#2E7D32', name: null });
  });
});
