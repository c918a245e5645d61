import { render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { setFakeServer } from '@lumi/mini/testing';
import type { StaffProfile } from '@lumi/shared';
import { describe, expect, it } from 'vitest';
import HomePage from './index.tsx';

describe('staff home page', () => {
  it('shows name, role and stores from GET /staff/me', async () => {
    const profile: StaffProfile = {
      id: '00000000-0000-4000-8000-000000000003',
      tenantId: '00000000-0000-4000-8000-000000000002',
      tenantName: '示例美容院',
      name: '王美丽',
      phone: '13800000003',
      role: 'beautician',
      stores: [{ id: '00000000-0000-4000-8000-000000000004', name: '示例美容院·国贸店' }],
    };
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    setFakeServer((req) => {
      expect(req.url).toBe('http://api.test/staff/me');
      expect(req.headers.authorization).toBe('Bearer a');
      return { status: 200, body: profile };
    });
    render(<HomePage />);

    expect(await screen.findByText('王美丽')).toBeInTheDocument();
    expect(screen.getByText('美容师')).toBeInTheDocument();
    expect(screen.getByText('示例美容院·国贸店')).toBeInTheDocument();
  });

  it('gives a manager the manager tiles, 审批 with the number waiting', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    setFakeServer((req) => {
      if (req.url.endsWith('/staff/me')) {
        return {
          status: 200,
          body: {
            id: '00000000-0000-4000-8000-000000000002',
            tenantId: '00000000-0000-4000-8000-000000000002',
            tenantName: '示例美容院',
            name: '刘店长',
            phone: '13800000002',
            role: 'manager',
            stores: [],
          },
        };
      }
      if (req.url.includes('/staff/inbox')) {
        return {
          status: 200,
          // Two shop 售后 waiting count in the one 审批 badge.
          body: {
            counts: { credit_limit: 3, void_refund: 1, dispute: 1, after_sale: 2, total: 7 },
            oldestWaitingAt: null,
            items: [],
          },
        };
      }
      return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
    });
    render(<HomePage />);
    expect(await screen.findByText('7')).toHaveClass('home__badge');
    expect(screen.getByText('额度 · 撤销退款 · 异议 · 售后')).toBeInTheDocument();
    for (const tile of ['审批', '逾期', '客群', '唤醒活动', '审计', '设置'])
      expect(screen.getByText(tile)).toBeInTheDocument();
  });
});
