import { render, screen } from '@testing-library/react';
import { setCurrentPages } from '@lumi/mini/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { failing, ok, serve } from '../testing/serve.ts';
import MemberCodePage from './code/index.tsx';
import { REFRESH_MARGIN_MS, refreshDelay } from './refresh.ts';

beforeEach(() => setCurrentPages(['pages/me/index', 'member/code/index']));

describe('会员码', () => {
  it('draws the token as a QR code, never the customer id', async () => {
    const seen = serve({
      'POST /me/member-code': ok({ code: 'mc.token.signed', expiresAt: '2099-01-01T00:05:00Z' }),
    });
    render(<MemberCodePage />);
    expect(await screen.findByRole('img')).toBeInTheDocument();
    expect(document.querySelectorAll('.lumi-qr__row').length).toBeGreaterThan(20);
    expect(screen.getByText('二维码定时自动刷新，截图无效')).toBeInTheDocument();
    expect(seen.filter((r) => r.url.endsWith('/me/member-code'))).toHaveLength(1);
  });

  it('shows a failure with 重试', async () => {
    serve({ 'POST /me/member-code': failing(503, 'SERVICE_UNAVAILABLE') });
    render(<MemberCodePage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用');
    expect(screen.getByRole('button', { name: '重试' })).toBeInTheDocument();
  });

  it('asks for the next code shortly before the current one expires, within bounds', () => {
    const now = Date.parse('2026-03-01T00:00:00Z');
    expect(refreshDelay('2026-03-01T00:02:00Z', now)).toBe(120_000 - REFRESH_MARGIN_MS);
    expect(refreshDelay('2026-03-01T00:00:03Z', now)).toBe(5_000);
    expect(refreshDelay('2026-03-02T00:00:00Z', now)).toBe(300_000);
    expect(refreshDelay('not a date', now)).toBe(5_000);
  });
});
