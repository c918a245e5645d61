import { fireEvent, render, screen } from '@testing-library/react';
import { fakeTaro, setCurrentPages } from '@lumi/mini/testing';
import type { Entry, Wallet } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { failing, ok, serve } from '../testing/serve.ts';
import CardDetailPage from './detail/index.tsx';
import CardsPage from './index/index.tsx';

const CARD = '00000000-0000-4000-8000-0000000000c1';
const OTHER = '00000000-0000-4000-8000-0000000000c2';
const card = (id: string, over: Partial<Wallet['packageCards'][number]> = {}) => ({
  id,
  name: id === CARD ? '深层补水护理 10 次卡' : '肩颈舒缓 5 次卡',
  serviceId: '00000000-0000-4000-8000-0000000000d1',
  sessionsTotal: 10,
  sessionsLeft: 7,
  valuePerSessionFen: 29_800,
  expiresOn: '2099-12-31',
  expired: false,
  ...over,
});
const wallet = (cards: Wallet['packageCards']): Wallet => ({
  customerId: '00000000-0000-4000-8000-000000000001',
  principalFen: 0,
  bonusFen: 0,
  totalFen: 0,
  points: 0,
  packageCards: cards,
  credit: { owedFen: 0, limitFen: null },
  chainVerified: null,
});
const use = (id: number, cardId: string, amount: number): Entry => ({
  id,
  transferId: id,
  at: '2026-03-04T06:30:00Z',
  kind: amount < 0 ? 'package_consumption' : 'package_sale',
  bucket: 'sessions',
  unit: `SESSIONS:${cardId}`,
  amount,
  balanceAfter: 7,
  packageCardId: cardId,
  store: { id: '00000000-0000-4000-8000-000000000010', name: '国贸店' },
  staff: { id: '00000000-0000-4000-8000-000000000011', name: '王美丽' },
  items: [],
  memo: null,
  reversesTransferId: null,
  reference: null,
  merge: null,
});

beforeEach(() => setCurrentPages(['pages/me/index', 'cards/index/index']));

describe('次卡', () => {
  it('lists usable cards first with sessions left, expiry and value per session, and opens one', async () => {
    serve({ 'GET /me/wallet': ok(wallet([card(OTHER, { expired: true, expiresOn: '2020-01-01' }), card(CARD)])) });
    render(<CardsPage />);
    const names = await screen.findAllByText(/次卡$/, { selector: '.m-title' });
    expect(names.map((n) => n.textContent)).toEqual(['深层补水护理 10 次卡', '肩颈舒缓 5 次卡']);
    expect(screen.getAllByText('每次价值 ¥298.00')).toHaveLength(2);
    expect(screen.getByText('已过期（2020-01-01）')).toBeInTheDocument();
    fireEvent.click(names[0] as HTMLElement);
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: `/cards/detail/index?id=${CARD}` });
  });

  it('says when there are no cards', async () => {
    serve({ 'GET /me/wallet': ok(wallet([])) });
    render(<CardsPage />);
    expect(await screen.findByText('暂无次卡')).toBeInTheDocument();
  });

  it('shows the sessions used on this card only: date, store, beautician', async () => {
    setCurrentPages(['cards/index/index', `cards/detail/index?id=${CARD}`]);
    serve({
      'GET /me/wallet': ok(wallet([card(CARD), card(OTHER)])),
      'GET /me/entries': ok({ items: [use(3, CARD, -1), use(2, OTHER, -1), use(1, CARD, 10)], nextCursor: null }),
    });
    render(<CardDetailPage />);
    expect(await screen.findByText('国贸店 · 王美丽')).toBeInTheDocument();
    expect(screen.getAllByText('-1 次')).toHaveLength(1);
  });

  it('says in Chinese when the card is not hers, with a way back', async () => {
    setCurrentPages([`cards/detail/index?id=${CARD}`]);
    serve({ 'GET /me/wallet': ok(wallet([])), 'GET /me/entries': ok({ items: [], nextCursor: null }) });
    render(<CardDetailPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('没有找到这条记录');
    expect(screen.queryByRole('button', { name: '重试' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '返回' }));
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/cards/index/index' });
  });

  it('shows a failed wallet read with 重试', async () => {
    serve({ 'GET /me/wallet': failing(503, 'DATABASE_UNAVAILABLE') });
    render(<CardsPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('系统繁忙');
    expect(screen.getByRole('button', { name: '重试' })).toBeInTheDocument();
  });
});
