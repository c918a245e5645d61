import { describe, expect, it } from 'vitest';
import { levelDrafts, readLadder } from './tier-form.ts';

const silver = {
  id: '00000000-0000-4000-8000-000000000001',
  name: '银卡',
  threshold: '1000',
  discountPercent: '2',
  multiplierPercent: '110',
};
const gold = { name: ' 金卡 ', threshold: '5000', discountPercent: '5.5', multiplierPercent: '150' };

describe('the tier ladder as typed', () => {
  it('reads yuan thresholds as fen and percent off as basis points', () => {
    expect(readLadder('spend', '365', [silver, gold])).toEqual({
      ok: true,
      program: {
        basis: 'spend',
        windowDays: 365,
        levels: [
          {
            id: silver.id,
            name: '银卡',
            thresholdFen: 100_000,
            discountBasisPoints: 200,
            pointsMultiplierPercent: 110,
          },
          { name: '金卡', thresholdFen: 500_000, discountBasisPoints: 550, pointsMultiplierPercent: 150 },
        ],
      },
    });
  });

  it('wants each threshold above the one before, and says which level is wrong', () => {
    expect(readLadder('spend', '365', [gold, silver])).toEqual({ ok: false, message: '第 2 级的门槛应高于第 1 级' });
    expect(readLadder('spend', '365', [silver, { ...gold, threshold: '1000' }])).toEqual({
      ok: false,
      message: '第 2 级的门槛应高于第 1 级',
    });
    expect(readLadder('spend', '365', [silver, { ...gold, name: '银卡' }])).toEqual({
      ok: false,
      message: '第 2 级：等级名称重复',
    });
    expect(readLadder('spend', '365', [{ ...silver, discountPercent: '60' }])).toMatchObject({ ok: false });
    expect(readLadder('spend', '365', [{ ...silver, multiplierPercent: '90' }])).toMatchObject({ ok: false });
    expect(readLadder('spend', '10', [silver])).toEqual({ ok: false, message: '统计天数应为 30–1095 的整数' });
  });

  it('round-trips the stored ladder', () => {
    const program = {
      basis: 'top_up' as const,
      windowDays: 180,
      levels: [
        { id: silver.id, name: '银卡', thresholdFen: 100_000, discountBasisPoints: 250, pointsMultiplierPercent: 120 },
      ],
    };
    expect(readLadder(program.basis, '180', levelDrafts(program))).toEqual({ ok: true, program });
  });

  it('keeps percents with two decimals exact (2.55 % is 255 basis points, not 254.99…)', () => {
    const stored = [255, 29, 115, 995, 1250].map((discountBasisPoints, i) => ({
      id: `00000000-0000-4000-8000-00000000010${i}`,
      name: `第${i + 1}级`,
      thresholdFen: (i + 1) * 100_000,
      discountBasisPoints,
      pointsMultiplierPercent: 100,
    }));
    const program = { basis: 'spend' as const, windowDays: 365, levels: stored };
    expect(levelDrafts(program).map((d) => d.discountPercent)).toEqual(['2.55', '0.29', '1.15', '9.95', '12.5']);
    expect(readLadder('spend', '365', levelDrafts(program))).toEqual({ ok: true, program });
    expect(readLadder('spend', '365', [{ ...silver, discountPercent: '2.555' }])).toEqual({
      ok: false,
      message: '第 1 级：优惠应为 0–50（%），最多两位小数',
    });
  });
});
