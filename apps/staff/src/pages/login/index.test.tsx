import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { readSession } from '@lumi/mini';
import { fakeTaro, setFakeServer } from '@lumi/mini/testing';
import { describe, expect, it } from 'vitest';
import LoginPage from './index.tsx';

function fillIn(phone: string, password: string) {
  fireEvent.change(screen.getByPlaceholderText('手机号'), { target: { value: phone } });
  fireEvent.change(screen.getByPlaceholderText('密码'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
}

describe('staff login page', () => {
  it('logs in with phone and password, then opens the home page', async () => {
    setFakeServer((req) => {
      expect(req).toMatchObject({
        method: 'POST',
        url: 'http://api.test/auth/staff/login',
        data: { phone: '13800000003', password: 'lumi-demo-2026' },
      });
      return {
        status: 200,
        body: {
          accessToken: 'a',
          refreshToken: 'r',
          expiresIn: 900,
          staff: { id: 's', tenantId: 't', name: '王美丽', role: 'beautician', storeIds: [] },
        },
      };
    });
    render(<LoginPage />);
    fillIn('13800000003', 'lumi-demo-2026');

    await waitFor(() => expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/pages/home/index' }));
    expect(readSession()).toEqual({ accessToken: 'a', refreshToken: 'r' });
  });

  it('shows the Chinese message for a wrong password and stays on the page', async () => {
    setFakeServer(() => ({
      status: 401,
      body: { error: { code: 'INVALID_CREDENTIALS', message: 'Invalid phone or password' } },
    }));
    render(<LoginPage />);
    fillIn('13800000003', 'wrong');

    expect(await screen.findByRole('alert')).toHaveTextContent('手机号或密码错误');
    expect(fakeTaro.reLaunch).not.toHaveBeenCalled();
    expect(readSession()).toBeNull();
    // The message is next to the form; a toast on top would say the same thing twice.
    expect(fakeTaro.showToast).not.toHaveBeenCalled();
  });

  it('checks the phone number before asking the API', () => {
    render(<LoginPage />);
    fillIn('1380000', 'x');
    expect(screen.getByRole('alert')).toHaveTextContent('请输入 11 位手机号');
    expect(fakeTaro.request).not.toHaveBeenCalled();
  });
});
