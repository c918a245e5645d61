import { fireEvent, render, screen, within } from '@testing-library/react';
import { setCurrentPages } from '@lumi/mini/testing';
import type { Entry, MyPoints } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { failing, ok, serve } from '../../testing/serve.ts';
import PointsPage from './index.tsx';

const summary: MyPoints = {
  points: 1_250,
  pointValueFen: 1,
  valueFen: 1_250,
  expiring: [
    { expiresOn: '2026-04-01', points: 250 },
    { expiresOn: '2026-12-31', points: 1_000 },
  ],
};

const entry = (id: number, kind: string, amount: number): Entry => ({
  id,
  transferId: id,
  at: '2026-03-04T06:30:00Z',
  kind,
  bucket: 'points',
  unit: 'POINTS',
  amount,
  balanceAfter: 0,
  packageCardId: null,
  store: { id: '00000000-0000-4000-8000-000000000010', name: '国贸店' },
  staff: null,
  items: [],
  memo: null,
  reversesTransferId: null,
  reference: null,
  merge: null,
});

beforeEach(() => setCurrentPages(['pages/me/index', 'points/index/index']));

describe('积分', () => {
  it('shows the balance with its ¥ worth, what expires earliest first, and the history', async () => {
    const seen = serve({
      'GET /me/points': ok(summary),
      'GET /me/entries': ok({ items: [entry(2, 'spend', 298), entry(1, 'points_redemption', -500)], nextCursor: null }),
    });
    render(<PointsPage />);

    expect(await screen.findByText('1,250')).toBeInTheDocument();
    expect(screen.getByText(/价值 ¥12.50/)).toBeInTheDocument();
    const lots = document.querySelectorAll('.points__lot');
    expect([...lots].map((l) => l.textContent)).toEqual([
      '2026年4月1日 到期250 积分（价值 ¥2.50）',
      '2026年12月31日 到期1,000 积分（价值 ¥10.00）',
    ]);
    const lines = await screen.findAllByText(/^[+-]?\d/, { selector: '.points__entry > span' });
    expect(lines.map((l) => l.textContent)).toEqual(['+298', '-500']);
    expect(within(document.querySelectorAll('.points__entry')[0] as HTMLElement).getByText(/国贸店/)).toBeTruthy();
    expect(seen.find((r) => r.url.endsWith('/me/entries'))?.data).toMatchObject({ bucket: 'points' });
  });

  it('says when there is nothing to expire and no history', async () => {
    serve({
      'GET /me/points': ok({ points: 0, pointValueFen: 1, valueFen: 0, expiring: [] }),
      'GET /me/entries': ok({ items: [], nextCursor: null }),
    });
    render(<PointsPage />);
    expect(await screen.findByText('暂无待到期积分')).toBeInTheDocument();
    expect(await screen.findByText('暂无积分记录')).toBeInTheDocument();
  });

  it('shows a failure with 重试 and a way back, and loads again on 重试', async () => {
    let fail = true;
    serve({
      'GET /me/points': () => (fail ? failing(503, 'SERVICE_UNAVAILABLE')() : ok(summary)()),
      'GET /me/entries': ok({ items: [], nextCursor: null }),
    });
    render(<PointsPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用');
    expect(screen.getByRole('button', { name: '返回' })).toBeInTheDocument();
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(await screen.findByText('1,250')).toBeInTheDocument();
  });

  it('shows the loading state first', () => {
    serve({
      'GET /me/points': () => new Promise(() => {}) as never,
      'GET /me/entries': ok({ items: [], nextCursor: null }),
    });
    render(<PointsPage />);
    expect(screen.getByRole('status')).toHaveTextContent('加载中');
  });
});
