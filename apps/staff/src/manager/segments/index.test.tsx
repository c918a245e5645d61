import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { fakeTaro, setFakeServer } from '@lumi/mini/testing';
import type { Dashboard } from '@lumi/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { F2ChartProps } from '../chart/f2-chart.tsx';
import SegmentsPage from './index.tsx';

// jsdom has no 2d canvas: the chart stands in as a list of what it was given (the e2e test checks the drawing).
vi.mock('../chart/f2-chart.tsx', () => ({
  F2Chart: (props: F2ChartProps) => (
    <div className="chart-stand-in" data-id={props.id} data-kind={props.kind}>
      {props.data.map((d) => (
        // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: a test stand-in for a canvas.
        <span key={d.key} className="bar" onClick={() => props.onSelect?.(d.key)}>
          {d.key}={d.value}
        </span>
      ))}
    </div>
  ),
}));

const ratio = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  basisPoints: Math.floor((10_000 * numerator) / denominator),
});
const dashboard: Dashboard = {
  asOf: '2026-05-01T18:00:00Z',
  customers: 7,
  segments: [
    { segment: 'high_value', label: '高价值', rule: '…', customers: 2, spendFen: 300_000, spendShare: ratio(3, 4) },
    { segment: 'dormant', label: '沉睡', rule: '…', customers: 5, spendFen: 100_000, spendShare: ratio(1, 4) },
  ],
  transitions: [{ week: '2026-04-20', fromSegment: 'high_value', toSegment: 'dormant', count: 2 }],
  tiers: [{ tierId: null, name: null, customers: 7 }],
  topCustomers: [
    {
      customerId: '00000000-0000-4000-8000-0000000000c1',
      name: '林小雅',
      monetaryFen: 200_000,
      frequency: 9,
      segment: 'high_value',
    },
  ],
  storedValueLiability: { principalFen: 500_000, bonusFen: 80_000, totalFen: 580_000, customers: 4 },
  liabilities: {
    storedPrincipalFen: 500_000,
    storedBonusFen: 80_000,
    points: 12_345,
    packageSessions: 36,
    packageDeferredFen: 240_000,
    voucherDeferredFen: 19_800,
  },
};

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setFakeServer((req) => {
    if (req.url.endsWith('/staff/me')) return { status: 200, body: { role: 'owner', stores: [] } };
    if (req.url.endsWith('/staff/segmentation/dashboard')) return { status: 200, body: dashboard };
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

describe('客群', () => {
  it('gives every chart its data and the numbers in a list', async () => {
    render(<SegmentsPage />);
    expect(await screen.findByText('客群规模（点选查看顾客）')).toBeInTheDocument();
    const charts = [...document.querySelectorAll('.chart-stand-in')].map((c) => [
      c.getAttribute('data-id'),
      c.getAttribute('data-kind'),
      c.textContent,
    ]);
    expect(charts).toEqual([
      ['segment-sizes', 'bar', 'high_value=2dormant=5'],
      ['spend-share', 'pie', 'high_value=300000dormant=100000'],
      ['transitions', 'bar', '2026-04-20=2'],
      ['tiers', 'bar', 'none=7'],
      ['liability', 'pie', 'principal=500000bonus=80000package=240000voucher=19800'],
    ]);
    expect(screen.getByText('¥3,000.00 · 75.0%')).toBeInTheDocument();
    expect(screen.getByText('高价值 → 沉睡 · 2 人次')).toBeInTheDocument();
    // Every liability with its number: the money beside the pie, points and sessions as counts.
    const owed = [...document.querySelectorAll('.mg__chart-card--liability .mg__datum')].map((r) => r.textContent);
    expect(owed).toEqual(['储值本金¥5,000.00', '赠送金¥800.00', '次卡预收¥2,400.00', '服务券预收¥198.00']);
    expect(screen.getByText('合计 ¥8,398.00 · 储值顾客 4 位')).toBeInTheDocument();
    expect(document.querySelector('.mg__owed-points')?.textContent).toBe('未用积分12,345 分');
    expect(document.querySelector('.mg__owed-sessions')?.textContent).toBe('次卡剩余36 次');
    expect(screen.getByText('林小雅')).toBeInTheDocument();
  });

  it('opens the customers of a segment from its bar or its row', async () => {
    render(<SegmentsPage />);
    await screen.findByText('客群规模（点选查看顾客）');
    fireEvent.click(document.querySelector('[data-id="segment-sizes"] .bar:nth-child(2)') as Element);
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: '/manager/segment/index?segment=dormant' });
    fireEvent.click(document.querySelector('.mg__chart-card--segment-sizes .mg__datum--high_value') as Element);
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: '/manager/segment/index?segment=high_value' });
  });
});
