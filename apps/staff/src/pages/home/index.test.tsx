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
});
