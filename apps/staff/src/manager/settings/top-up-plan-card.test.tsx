import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, setFakeServer } from '@lumi/mini/testing';
import type { ManagedTopUpPlan } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { TopUpPlanCard } from './top-up-plan-card.tsx';

const GIFT = '00000000-0000-4000-8000-0000000000a1';
const plan = (over: Partial<ManagedTopUpPlan>): ManagedTopUpPlan => ({
  id: '00000000-0000-4000-8000-000000000001',
  name: '充1000送200',
  payFen: 100_000,
  bonusFen: 20_000,
  bonusPoints: 0,
  giftPackagePlanId: null,
  validFrom: null,
  validTo: null,
  status: 'in_force',
  timesUsed: 3,
  termsFixed: true,
  createdAt: '2026-05-01T00:00:00Z',
  ...over,
});

let sent: FakeRequest[];
let plans: ManagedTopUpPlan[];
beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  sent = [];
  plans = [plan({})];
  setFakeServer((req) => {
    if (req.url.endsWith('/staff/catalog')) {
      return {
        status: 200,
        body: { services: [], products: [], packagePlans: [{ id: GIFT, name: '补水10次' }], pointValueFen: 1 },
      };
    }
    if (req.url.includes('/staff/settings/top-up-plans') && req.method !== 'GET') {
      sent.push(req);
      if (req.url.endsWith('/withdraw')) plans = [plan({ status: 'withdrawn' })];
      return { status: req.method === 'POST' && !req.url.endsWith('/withdraw') ? 201 : 200, body: plan({}) };
    }
    if (req.url.endsWith('/staff/settings/top-up-plans')) return { status: 200, body: plans };
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

const input = (cls: string) => document.querySelector(`.${cls}`) as HTMLInputElement;

describe('设置 → 充值方案', () => {
  it('lists offers with their terms and use, and creates one in integer fen with a gift card', async () => {
    render(<TopUpPlanCard />);
    expect(await screen.findByText('充1000送200 · 在售')).toBeInTheDocument();
    expect(screen.getByText('充¥1,000.00 送¥200.00')).toBeInTheDocument();
    expect(screen.getByText('已使用 3 次')).toBeInTheDocument();

    fireEvent.click(screen.getByText('新建充值方案'));
    fireEvent.change(input('top-up-plans__name-input'), { target: { value: '充2000送500' } });
    fireEvent.change(input('top-up-plans__pay'), { target: { value: '2000' } });
    fireEvent.change(input('top-up-plans__bonus'), { target: { value: '2500' } });
    fireEvent.click(screen.getByText('保存方案（记入审计）'));
    expect(await screen.findByText('赠送金额不能超过充值金额')).toBeInTheDocument();
    expect(sent).toEqual([]);

    fireEvent.change(input('top-up-plans__bonus'), { target: { value: '500.5' } });
    fireEvent.click(screen.getByText('补水10次'));
    fireEvent.click(screen.getByText('保存方案（记入审计）'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.data).toEqual({
      name: '充2000送500',
      payFen: 200_000,
      bonusFen: 50_050,
      bonusPoints: 0,
      giftPackagePlanId: GIFT,
      validFrom: null,
      validTo: null,
    });
  });

  it('renames and re-dates a used offer without touching its terms, and withdraws only on a second tap', async () => {
    plans = [plan({ validTo: '2026-06-30T15:59:59.999Z' })];
    render(<TopUpPlanCard />);
    expect(await screen.findByText('至 2026-06-30 · 已使用 3 次')).toBeInTheDocument();
    fireEvent.click(await screen.findByText('修改'));
    expect(screen.getByText('已有顾客使用：金额和赠送不能再改，可下架后新建')).toBeInTheDocument();
    fireEvent.change(input('top-up-plans__name-input'), { target: { value: '周年庆 充1000送200' } });
    const [starts, ends] = [...document.querySelectorAll('.picker-value')] as HTMLInputElement[];
    fireEvent.change(ends as HTMLInputElement, { target: { value: '2026-06-01' } });
    fireEvent.change(starts as HTMLInputElement, { target: { value: '2026-06-15' } });
    fireEvent.click(screen.getByText('保存方案（记入审计）'));
    expect(await screen.findByText('结束日期不能早于开始日期')).toBeInTheDocument();
    fireEvent.click(screen.getByText('清除', { selector: '.top-up-plans__clear-ends' }));
    fireEvent.click(screen.getByText('保存方案（记入审计）'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      method: 'PUT',
      data: { name: '周年庆 充1000送200', validFrom: '2026-06-14T16:00:00.000Z', validTo: null },
    });
    expect(Object.keys(sent[0]?.data as object)).toEqual(['name', 'validFrom', 'validTo']);

    fireEvent.click(await screen.findByText('下架'));
    expect(sent).toHaveLength(1);
    fireEvent.click(screen.getByText('确认下架'));
    await waitFor(() => expect(sent.at(-1)?.url).toMatch(/\/withdraw$/));
    expect(await screen.findByText('充1000送200 · 已下架')).toBeInTheDocument();
    expect(screen.queryByText('修改')).toBeNull();
  });
});
