import { describe, expect, it } from 'vitest';
import { draftOf, planTermsText, readPlanDraft } from './top-up-plan-form.ts';

const draft = { name: ' 充1000送200 ', pay: '1000', bonus: '200', points: '500', giftPackagePlanId: null };

describe('a top-up offer as typed', () => {
  it('reads yuan as integer fen and trims the name', () => {
    expect(readPlanDraft(draft)).toEqual({
      ok: true,
      terms: { name: '充1000送200', payFen: 100_000, bonusFen: 20_000, bonusPoints: 500, giftPackagePlanId: null },
    });
    expect(readPlanDraft({ ...draft, bonus: '', points: '' })).toMatchObject({
      terms: { bonusFen: 0, bonusPoints: 0 },
    });
  });

  it('says what is wrong in Chinese', () => {
    const wrong = (over: Partial<typeof draft>) => readPlanDraft({ ...draft, ...over });
    expect(wrong({ name: '  ' })).toEqual({ ok: false, message: '请填写方案名称（最多 30 个字）' });
    expect(wrong({ pay: '0' })).toEqual({ ok: false, message: '充值金额应大于 0' });
    expect(wrong({ pay: '10.001' })).toMatchObject({ ok: false, message: expect.stringContaining('充值金额') });
    expect(wrong({ bonus: '-5' })).toMatchObject({ ok: false, message: expect.stringContaining('赠送金额') });
    expect(wrong({ bonus: '1000.01' })).toEqual({ ok: false, message: '赠送金额不能超过充值金额' });
    expect(wrong({ points: '1.5' })).toEqual({ ok: false, message: '赠送积分应为不小于 0 的整数' });
  });

  it('round-trips a stored offer and shows its terms', () => {
    const stored = {
      id: '00000000-0000-4000-8000-000000000001',
      name: '充500',
      payFen: 50_000,
      bonusFen: 0,
      bonusPoints: 0,
      giftPackagePlanId: '00000000-0000-4000-8000-000000000002',
      validFrom: null,
      validTo: null,
      status: 'in_force' as const,
      timesUsed: 0,
      termsFixed: false,
      createdAt: '2026-05-01T00:00:00Z',
    };
    expect(readPlanDraft(draftOf(stored))).toMatchObject({ ok: true, terms: { payFen: 50_000, bonusFen: 0 } });
    expect(planTermsText(stored, '补水10次')).toBe('充¥500.00 · 赠次卡 补水10次');
    expect(planTermsText({ ...stored, bonusFen: 8_000, bonusPoints: 80, giftPackagePlanId: null }, undefined)).toBe(
      '充¥500.00 送¥80.00 · 赠80积分',
    );
  });
});
