import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { fakeTaro, type FakeRequest, setFakeServer } from '@lumi/mini/testing';
import { readSession } from '@lumi/mini';
import { describe, expect, it } from 'vitest';
import LoginPage from './index.tsx';

describe('customer login page (H5)', () => {
  it('logs in through the simulator with the openid typed in, then opens the home page', async () => {
    const seen: FakeRequest[] = [];
    setFakeServer((req) => {
      seen.push(req);
      if (req.url.endsWith('/__control/login-codes')) return { status: 200, body: { code: 'sim-code' } };
      return {
        status: 200,
        body: {
          accessToken: 'a',
          refreshToken: 'r',
          expiresIn: 900,
          customer: { id: 'c1', tenantId: 't1', name: '林小雅', isNew: false },
        },
      };
    });
    render(<LoginPage />);

    const openid = screen.getByDisplayValue('demo-customer-001');
    fireEvent.change(openid, { target: { value: ' demo-customer-002 ' } });
    fireEvent.click(screen.getByRole('button', { name: '微信一键登录（模拟）' }));

    await waitFor(() => expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/pages/home/index' }));
    expect(seen.map((r) => r.data)).toEqual([
      { appid: 'wx-test-app', openid: 'demo-customer-002' },
      { tenant: 'demo', code: 'sim-code' },
    ]);
    expect(readSession()).toEqual({ accessToken: 'a', refreshToken: 'r' });
  });

  it('shows why the login failed and stays on the page', async () => {
    setFakeServer((req) =>
      req.url.endsWith('/__control/login-codes')
        ? { status: 200, body: { code: 'sim-code' } }
        : { status: 404, body: { error: { code: 'TENANT_NOT_FOUND', message: 'no such tenant' } } },
    );
    render(<LoginPage />);
    fireEvent.click(screen.getByRole('button', { name: '微信一键登录（模拟）' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('门店不存在或已停用');
    expect(fakeTaro.reLaunch).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: '微信一键登录（模拟）' })).toBeEnabled();
  });
});
