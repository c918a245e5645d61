import { render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { fakeTaro, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { CustomerProfile } from '@lumi/shared';
import { describe, expect, it } from 'vitest';
import HomePage from './index.tsx';

const profile: CustomerProfile = {
  id: '00000000-0000-4000-8000-000000000001',
  tenantId: '00000000-0000-4000-8000-000000000002',
  tenantName: '示例美容院',
  name: '林小雅',
  phone: null,
  gender: 'female',
  birthday: null,
  tags: [],
  memberSince: '2025-12-31T16:30:00Z',
};

describe('customer home page', () => {
  it("shows the customer's name, salon and Beijing-time member date from GET /me", async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    setFakeServer((req) => {
      expect(req.url).toBe('http://api.test/me');
      return { status: 200, body: profile };
    });
    render(<HomePage />);

    expect(await screen.findByText('您好，林小雅')).toBeInTheDocument();
    expect(screen.getByText('示例美容院')).toBeInTheDocument();
    expect(screen.getByText('入会时间：2026年1月1日')).toBeInTheDocument();
  });

  it('sends a visitor without a session to the login page', async () => {
    setCurrentPages(['pages/home/index']);
    render(<HomePage />);
    await waitFor(() => expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' }));
    expect(fakeTaro.request).not.toHaveBeenCalled();
  });

  it('shows a failed load with a retry button instead of a toast', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    let calls = 0;
    setFakeServer(() => {
      calls += 1;
      return calls === 1
        ? { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } } }
        : { status: 200, body: profile };
    });
    render(<HomePage />);

    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用，请稍后重试');
    expect(fakeTaro.showToast).not.toHaveBeenCalled();
    screen.getByRole('button', { name: '重试' }).click();
    expect(await screen.findByText('您好，林小雅')).toBeInTheDocument();
  });
});
