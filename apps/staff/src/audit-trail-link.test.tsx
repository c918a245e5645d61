import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { fakeTaro, setFakeServer } from '@lumi/mini/testing';
import type { StaffRole } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuditTrailLink } from './audit-trail-link.tsx';

const BILL = '00000000-0000-4000-8000-0000000000b1';
let role: StaffRole;
beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setFakeServer((req) =>
    req.url.endsWith('/staff/me')
      ? {
          status: 200,
          body: { id: 's1', tenantId: 't1', tenantName: '示例', name: '某人', phone: null, role, stores: [] },
        }
      : { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } },
  );
});

describe('操作记录 on a customer card or a bill', () => {
  it('opens 审计 on that one subject, for a manager', async () => {
    role = 'manager';
    render(<AuditTrailLink subjectId={BILL} title="账单 B0001" className="ck__link" />);
    fireEvent.click(await screen.findByText('操作记录'));
    expect(fakeTaro.navigateTo).toHaveBeenCalledWith({
      url: `/manager/audit/index?subjectId=${BILL}&title=${encodeURIComponent('账单 B0001')}`,
    });
  });

  it('is not there for a beautician (the API refuses her the audit log anyway)', async () => {
    role = 'beautician';
    render(<AuditTrailLink subjectId={BILL} title="账单 B0001" className="ck__link" />);
    await waitFor(() => expect(fakeTaro.request).toHaveBeenCalled());
    // Once her profile has come back and rendered, still no link.
    await act(() => fakeTaro.request.mock.results[0]?.value);
    expect(screen.queryByText('操作记录')).toBeNull();
  });
});
