import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { AuditEntry, StaffProfile } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditTrailPage } from '../../routes.ts';
import AuditPage from './index.tsx';

const ME = '00000000-0000-4000-8000-000000000002';
const HER = '00000000-0000-4000-8000-000000000003';
const STORE = '00000000-0000-4000-8000-000000000004';
const HER_CUSTOMER = '00000000-0000-4000-8000-000000000005';
const profile: StaffProfile = {
  id: ME,
  tenantId: '00000000-0000-4000-8000-000000000001',
  tenantName: '示例美容院',
  name: '刘店长',
  phone: '13800000002',
  role: 'manager',
  stores: [{ id: STORE, name: '国贸店' }],
};
const entry = (
  id: number,
  action: string,
  actor: string,
  change: Pick<AuditEntry, 'before' | 'after'> = approvalChange,
): AuditEntry => ({
  id,
  at: '2026-05-01T02:00:00Z',
  action,
  actorStaffId: actor,
  actorCustomerId: null,
  subjectType: 'approval_request',
  subjectId: '00000000-0000-4000-8000-0000000000f1',
  storeId: STORE,
  ...change,
  reason: '核实无误',
});
const approvalChange = { before: { status: 'pending' }, after: { status: 'approved', refundId: 'r1' } };
const planChange = {
  before: { name: '充1000送200', payFen: 100_000, bonusFen: 20_000, active: true },
  after: { name: '充1000送200', payFen: 100_000, bonusFen: 25_000, active: true },
};

/** The entries listed as done by `name`. */
const entriesBy = (name: string) =>
  [...document.querySelectorAll('.mg__audit-entry')].filter((e) => e.textContent?.includes(`· ${name}`));

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
        : [
            entry(3, 'top_up_plan.updated', ME, planChange),
            entry(2, 'approval.approved', ME),
            entry(1, 'approval.filed', HER),
          ];
      return { status: 200, body: { items, nextCursor: null } };
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

describe('审计', () => {
  it('says who did what, with before and after in Chinese, and filters by subject, by me and by a teammate', async () => {
    render(<AuditPage />);
    expect(await screen.findByText('提交审批')).toBeInTheDocument();
    expect(entriesBy('王美丽')).toHaveLength(1);
    expect(screen.getAllByText('之后：状态：已批准，refund id：r1')).toHaveLength(2);
    expect(screen.getAllByText('之前：状态：待审批')).toHaveLength(2);
    // Only what changed, money as ¥.
    expect(screen.getByText('之前：赠送金额：¥200.00')).toBeInTheDocument();
    expect(screen.getByText('之后：赠送金额：¥250.00')).toBeInTheDocument();

    fireEvent.click(screen.getByText('店长审批'));
    await waitFor(() => expect(queries.at(-1)).toContain('subjectType=approval_request'));
    fireEvent.click(screen.getByText('我的操作'));
    await waitFor(() => expect(queries.at(-1)).toContain(`staffId=${ME}`));
    await waitFor(() => expect(entriesBy('王美丽')).toHaveLength(0));
    fireEvent.click(screen.getByText('王美丽', { selector: '.mg__who' }));
    await waitFor(() => expect(queries.at(-1)).toContain(`staffId=${HER}`));
    fireEvent.click(screen.getByText('全部人员'));
    await waitFor(() => expect(queries.at(-1)).not.toContain('staffId='));
    expect(queries[0]).toBe('limit=30');
  });

  it('filters by the action tapped and by a time range from a Beijing midnight', async () => {
    render(<AuditPage />);
    fireEvent.click(await screen.findByText('修改充值方案'));
    await waitFor(() => expect(queries.at(-1)).toContain('action=top_up_plan.updated'));
    expect(screen.getByText('修改充值方案 ✕')).toBeInTheDocument();

    fireEvent.click(screen.getByText('近7天'));
    await waitFor(() => expect(queries.at(-1)).toContain('from='));
    const from = new URLSearchParams(queries.at(-1)).get('from') ?? '';
    // Six days before today's midnight in Beijing (16:00 UTC the day before).
    expect(from).toMatch(/T16:00:00\.000Z$/);
    expect(Date.now() - Date.parse(from)).toBeGreaterThan(6 * 86_400_000);
    expect(Date.now() - Date.parse(from)).toBeLessThanOrEqual(7 * 86_400_000);

    fireEvent.click(screen.getByText('修改充值方案 ✕'));
    await waitFor(() => expect(queries.at(-1)).not.toContain('action='));
  });

  it('opened from a customer card lists only what was done to her, under her name', async () => {
    setCurrentPages([auditTrailPage(HER_CUSTOMER, '林小雅').replace(/^\//, '')]);
    render(<AuditPage />);
    expect(await screen.findByText('操作记录 · 林小雅')).toBeInTheDocument();
    await waitFor(() => expect(queries[0]).toBe(`limit=30&subjectId=${HER_CUSTOMER}`));
    // No subject chips: the subject is fixed; who and what still filter within it.
    expect(screen.queryByText('店长审批')).toBeNull();
    fireEvent.click(screen.getByText('我的操作'));
    await waitFor(() => expect(queries.at(-1)).toBe(`limit=30&subjectId=${HER_CUSTOMER}&staffId=${ME}`));
  });
});
