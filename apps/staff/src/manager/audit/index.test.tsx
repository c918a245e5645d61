import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { setFakeServer } from '@lumi/mini/testing';
import type { AuditEntry, StaffProfile } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import AuditPage from './index.tsx';

const ME = '00000000-0000-4000-8000-000000000002';
const HER = '00000000-0000-4000-8000-000000000003';
const STORE = '00000000-0000-4000-8000-000000000004';
const profile: StaffProfile = {
  id: ME,
  tenantId: '00000000-0000-4000-8000-000000000001',
  tenantName: '示例美容院',
  name: '刘店长',
  phone: '13800000002',
  role: 'manager',
  stores: [{ id: STORE, name: '国贸店' }],
};
const entry = (id: number, action: string, actor: string): AuditEntry => ({
  id,
  at: '2026-05-01T02:00:00Z',
  action,
  actorStaffId: actor,
  actorCustomerId: null,
  subjectType: 'approval_request',
  subjectId: '00000000-0000-4000-8000-0000000000f1',
  storeId: STORE,
  before: { status: 'pending' },
  after: { status: 'approved', refundId: 'r1' },
  reason: '核实无误',
});

let queries: string[];
beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  queries = [];
  setFakeServer((req) => {
    if (req.url.endsWith('/staff/me')) return { status: 200, body: profile };
    if (req.url.endsWith(`/staff/stores/${STORE}/team`)) {
      return {
        status: 200,
        body: { storeId: STORE, items: [{ id: HER, name: '王美丽', role: 'beautician' }] },
      };
    }
    if (req.url.includes('/staff/audit?')) {
      const query = req.url.split('?')[1] ?? '';
      queries.push(query);
      const mine = query.includes(`staffId=${ME}`);
      const items = mine
        ? [entry(2, 'approval.approved', ME)]
        : [entry(2, 'approval.approved', ME), entry(1, 'approval.filed', HER)];
      return { status: 200, body: { items, nextCursor: null } };
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

describe('审计', () => {
  it('says who did what with before and after, and filters by subject and by me', async () => {
    render(<AuditPage />);
    expect(await screen.findByText('提交审批 · 王美丽')).toBeInTheDocument();
    expect(screen.getByText('批准审批 · 刘店长')).toBeInTheDocument();
    expect(screen.getAllByText('之后：status: approved，refundId: r1')).toHaveLength(2);

    fireEvent.click(screen.getByText('店长审批'));
    await waitFor(() => expect(queries.at(-1)).toContain('subjectType=approval_request'));
    fireEvent.click(screen.getByText('只看我的'));
    await waitFor(() => expect(queries.at(-1)).toContain(`staffId=${ME}`));
    await waitFor(() => expect(screen.queryByText('提交审批 · 王美丽')).toBeNull());
    expect(queries[0]).toBe('limit=30');
  });
});
