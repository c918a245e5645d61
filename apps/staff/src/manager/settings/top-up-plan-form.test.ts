import { describe, expect, it } from 'vitest';
import { draftOf, planDatesText, planTermsText, readPlanDraft } from './top-up-plan-form.ts';

const draft = {
  name: ' 充1000送200 ',
  pay: '1000',
  bonus: '200',
  points: '500',
  giftPackagePlanId: null,
  starts: '',
  ends: '',
};

describe('a top-up offer as typed', () => {
  it('reads yuan as integer fen and trims the name', () => {
    expect(readPlanDraft(draft)).toEqual({
      ok: true,
      terms: {
        name: '充1000送200',
        payFen: 100_000,
        bonusFen: 20_000,
        bonusPoints: 500,
        giftPackagePlanId: null,
        validFrom: null,
        validTo: null,
      },
    });
    expect(readPlanDraft({ ...draft, bonus: '', points: '' })).toMatchObject({
      terms: { bonusFen: 0, bonusPoints: 0 },
    });
  });

  it('reads Beijing dates as the first and the last instant of those days', () => {
    expect(readPlanDraft({ ...draft, starts: '2026-06-01', ends: '2026-06-30' })).toMatchObject({
      terms: { validFrom: '2026-05-31T16:00:00.000Z', validTo: '2026-06-30T15:59:59.999Z' },
    });
    // One day alone is an offer; an end before the start is not.
    expect(readPlanDraft({ ...draft, starts: '2026-06-01', ends: '2026-06-01' })).toMatchObject({ ok: true });
    expect(readPlanDraft({ ...draft, starts: '2026-06-02', ends: '2026-06-01' })).toEqual({
      ok: false,
      message: '结束日期不能早于开始日期',
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
    const dated = { ...stored, validFrom: '2026-05-31T16:00:00.000Z', validTo: '2026-06-30T15:59:59.999Z' };
    expect(draftOf(dated)).toMatchObject({ starts: '2026-06-01', ends: '2026-06-30' });
    expect(readPlanDraft(draftOf(dated))).toMatchObject({
      terms: { validFrom: dated.validFrom, validTo: dated.validTo },
    });
    expect(planDatesText(draftOf(dated))).toBe('2026-06-01 至 2026-06-30');
    expect(planDatesText({ starts: '', ends: '2026-06-30' })).toBe('至 2026-06-30');
    expect(planDatesText({ starts: '', ends: '' })).toBe('');
    expect(planTermsText(stored, '补水10次')).toBe('充¥500.00 · 赠次卡 补水10次');
    expect(planTermsText({ ...stored, bonusFen: 8_000, bonusPoints: 80, giftPackagePlanId: null }, undefined)).toBe(
      '充¥500.00 送¥80.00 · 赠80积分',
    );
  });
});
