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
});
