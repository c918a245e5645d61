import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import {
  type FakeResponse,
  fakeTaro,
  makeBill,
  setCurrentPages,
  setFakeServer,
  showPagesAgain,
} from '@lumi/mini/testing';
import type { MyProfile, Wallet } from '@lumi/shared';
import { describe, expect, it } from 'vitest';
import HomePage from './index.tsx';

const profile: MyProfile = {
  id: '00000000-0000-4000-8000-000000000001',
  tenantId: '00000000-0000-4000-8000-000000000002',
  tenantName: '示例美容院',
  memberNo: '100001',
  name: '林小雅',
  phone: null,
  gender: 'female',
  birthday: null,
  tags: [],
  source: null,
  marketingConsent: false,
  memberSince: '2025-12-31T16:30:00Z',
  brandColor: '#a97c50',
  shopOpen: true,
};

const wallet: Wallet = {
  customerId: profile.id,
  principalFen: 350_000,
  bonusFen: 45_050,
  totalFen: 395_050,
  points: 12_345,
  packageCards: [
    {
      id: '00000000-0000-4000-8000-000000000003',
      name: '深层补水护理 10 次卡',
      serviceId: '00000000-0000-4000-8000-000000000004',
      sessionsTotal: 10,
      sessionsLeft: 7,
      valuePerSessionFen: 29_800,
      expiresOn: '2026-12-31',
      expired: false,
    },
  ],
  credit: { owedFen: 0, limitFen: null },
  chainVerified: true,
};

/** The routes given, and no bills unless the test serves some. */
function serve(routes: Record<string, () => FakeResponse>) {
  const all: Record<string, () => FakeResponse> = {
    '/me/bills?status=awaiting_customer': () => ({ status: 200, body: [] }),
    ...routes,
  };
  setFakeServer((req) => {
    const route = all[req.url.replace('http://api.test', '')];
    if (!route) throw new Error(`unexpected ${req.method} ${req.url}`);
    return route();
  });
}

describe('customer home page', () => {
  it("shows the customer's name, salon and Beijing-time member date from GET /me", async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    serve({ '/me': () => ({ status: 200, body: profile }), '/me/wallet': () => ({ status: 200, body: wallet }) });
    render(<HomePage />);

    expect(await screen.findByText('您好，林小雅')).toBeInTheDocument();
    expect(screen.getByText('示例美容院')).toBeInTheDocument();
    expect(screen.getByText('入会时间：2026年1月1日')).toBeInTheDocument();
  });

  it('shows the wallet: total with principal and bonus apart, points, package cards and the verified badge', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    serve({ '/me': () => ({ status: 200, body: profile }), '/me/wallet': () => ({ status: 200, body: wallet }) });
    render(<HomePage />);

    expect(await screen.findByText('¥3,950.50')).toHaveClass('wallet__total');
    expect(screen.getByText('¥3,500.00')).toHaveClass('wallet__part-value');
    expect(screen.getByText('¥450.50')).toHaveClass('wallet__part-value');
    expect(screen.getByText('12,345')).toBeInTheDocument();
    expect(screen.getByText('✓ 账本校验通过')).toBeInTheDocument();
    expect(screen.getByText('深层补水护理 10 次卡')).toBeInTheDocument();
    expect(screen.getByText('剩余 7/10 次')).toBeInTheDocument();
    expect(screen.getByText('有效期至 2026-12-31')).toBeInTheDocument();
    // Nothing owed: no credit line shown.
    expect(screen.queryByText('挂账待还')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: '充值' }));
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: '/wallet/top-up/index' });
    fireEvent.click(screen.getByRole('button', { name: '明细' }));
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: '/wallet/entries/index' });
  });

  it('shows what is owed on credit, expired cards, a failed chain check, and an empty card list', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    const owing: Wallet = {
      ...wallet,
      credit: { owedFen: 30_000, limitFen: 200_000 },
      chainVerified: false,
      packageCards: [{ ...(wallet.packageCards[0] as Wallet['packageCards'][number]), expired: true, sessionsLeft: 2 }],
    };
    serve({ '/me': () => ({ status: 200, body: profile }), '/me/wallet': () => ({ status: 200, body: owing }) });
    const { unmount } = render(<HomePage />);

    expect(await screen.findByText('挂账待还')).toBeInTheDocument();
    expect(screen.getByText('¥300.00')).toHaveClass('owed-notice__owed');
    expect(screen.getByText('额度 ¥2,000.00')).toBeInTheDocument();
    expect(screen.getByText('账本校验异常，请联系门店')).toBeInTheDocument();
    expect(screen.getByText('已过期（2026-12-31）')).toBeInTheDocument();
    unmount();

    serve({
      '/me': () => ({ status: 200, body: profile }),
      '/me/wallet': () => ({ status: 200, body: { ...wallet, packageCards: [], chainVerified: null } }),
    });
    render(<HomePage />);
    expect(await screen.findByText('暂无次卡')).toBeInTheDocument();
    expect(screen.queryByText(/账本校验/)).toBeNull();
  });

  it('reloads the wallet when the customer comes back (after a top-up) and shows the new balance', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    let current = wallet;
    serve({ '/me': () => ({ status: 200, body: profile }), '/me/wallet': () => ({ status: 200, body: current }) });
    render(<HomePage />);
    expect(await screen.findByText('¥3,950.50')).toBeInTheDocument();

    current = { ...wallet, principalFen: 450_000, bonusFen: 65_050, totalFen: 515_050 };
    act(() => showPagesAgain());
    expect(await screen.findByText('¥5,150.50')).toBeInTheDocument();
    expect(screen.getByText('¥4,500.00')).toBeInTheDocument();
  });

  it('links to 我的账单 and counts the bills waiting for 确认, again on return', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    const waiting = makeBill({
      status: 'awaiting_customer',
      confirmationRequired: true,
      holdExpiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    });
    let bills = [waiting, makeBill({ id: '00000000-0000-4000-8000-0000000000b9' })];
    serve({
      '/me': () => ({ status: 200, body: profile }),
      '/me/wallet': () => ({ status: 200, body: wallet }),
      '/me/bills?status=awaiting_customer': () => ({ status: 200, body: bills }),
    });
    render(<HomePage />);

    expect(await screen.findByText('1 笔待确认')).toBeInTheDocument();
    fireEvent.click(screen.getByText('我的账单'));
    expect(fakeTaro.switchTab).toHaveBeenLastCalledWith({ url: '/pages/bills/index' });

    bills = [{ ...waiting, status: 'settled', holdExpiresAt: null }];
    act(() => showPagesAgain());
    await waitFor(() => expect(screen.queryByText('1 笔待确认')).toBeNull());
    expect(screen.getByText('我的账单')).toBeInTheDocument();
  });

  it('still shows the wallet when the bills cannot be read', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    serve({
      '/me': () => ({ status: 200, body: profile }),
      '/me/wallet': () => ({ status: 200, body: wallet }),
      '/me/bills?status=awaiting_customer': () => ({
        status: 503,
        body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } },
      }),
    });
    render(<HomePage />);
    expect(await screen.findByText('¥3,950.50')).toBeInTheDocument();
    expect(screen.getByText('我的账单')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('sends a visitor without a session to the login page, once', async () => {
    setCurrentPages(['pages/home/index']);
    render(<HomePage />);
    await waitFor(() => expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' }));
    expect(fakeTaro.reLaunch).toHaveBeenCalledTimes(1);
    expect(fakeTaro.request).not.toHaveBeenCalled();
  });

  it('shows a failed load with a retry button instead of a toast', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    let calls = 0;
    serve({
      '/me': () => ({ status: 200, body: profile }),
      '/me/wallet': () => {
        calls += 1;
        return calls === 1
          ? { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } } }
          : { status: 200, body: wallet };
      },
    });
    render(<HomePage />);

    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用，请稍后重试');
    expect(fakeTaro.showToast).not.toHaveBeenCalled();
    screen.getByRole('button', { name: '重试' }).click();
    expect(await screen.findByText('您好，林小雅')).toBeInTheDocument();
    expect(screen.getByText('¥3,950.50')).toBeInTheDocument();
  });
});
