import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_ACTIONS, AUDIT_SUBJECT_TYPES } from '@lumi/shared';
import { describe, expect, it } from 'vitest';
import {
  ACTION_LABELS,
  actionLabel,
  changedFields,
  SUBJECT_LABELS,
  snapshotText,
  subjectLabel,
} from './audit-format.ts';

const CHINESE = /^[\u4e00-\u9fff（）/]+$/;
const API_MODULES = join(__dirname, '../../../api/src/modules');

/** Every 'domain.verb' string on a line that sets an audit action in the API's production code. */
function actionsInApiSource(): Set<string> {
  const found = new Set<string>();
  const files = readdirSync(API_MODULES, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
  );
  for (const file of files) {
    for (const line of readFileSync(join(API_MODULES, file), 'utf8').split('\n')) {
      if (!/\baction\b|audit\(/.test(line)) continue;
      for (const m of line.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) found.add(m[1] as string);
    }
  }
  return found;
}

describe('the 审计 screen speaks Chinese', () => {
  it('has a Chinese label for every audited action and every kind of record', () => {
    for (const action of AUDIT_ACTIONS) expect(actionLabel(action), action).toMatch(CHINESE);
    for (const type of AUDIT_SUBJECT_TYPES) expect(subjectLabel(type), type).toMatch(CHINESE);
    expect(Object.keys(ACTION_LABELS).sort()).toEqual([...AUDIT_ACTIONS].sort());
    expect(Object.keys(SUBJECT_LABELS).sort()).toEqual([...AUDIT_SUBJECT_TYPES].sort());
  });

  it('labels every action the API writes (read from its source)', () => {
    const written = actionsInApiSource();
    // The walk must see the API at all: these are written as plain literals, in three different modules.
    for (const known of ['bill.voided', 'customer.merged', 'shop.after_sale_approved'])
      expect(written).toContain(known);
    const unlabelled = [...written].filter((a) => !(a in ACTION_LABELS));
    expect(unlabelled).toEqual([]);
  });

  it('says 撤销 for a void, never 作废', () => {
    expect(actionLabel('bill.voided')).toBe('撤销账单');
    expect(Object.values(ACTION_LABELS).join('')).not.toContain('作废');
  });

  it('never shows a bare code for an action or record newer than the app', () => {
    expect(actionLabel('loyalty.points_granted')).toBe('其他操作（loyalty.points_granted）');
    expect(subjectLabel('loyalty_card')).toBe('其他记录');
  });
});

describe('before and after', () => {
  it('names fields in Chinese in the label list order, money as ¥, shares as %, codes and moments in words', () => {
    expect(
      snapshotText({
        voidApprovalThresholdFen: 50_000,
        discountApprovalBasisPoints: 1_500,
        confirmationMode: 'confirm_first',
        remindOnDueDate: false,
        validTo: '2026-05-01T04:00:00Z',
        giftPackagePlanId: null,
      }),
    ).toBe(
      '扣款方式：顾客确认后扣款，撤销/退款审批门槛：¥500.00，手工优惠审批比例：15%，到期当天提醒：否，赠送次卡：无，截止：2026-05-01 12:00',
    );
  });

  it('reads a field it has no label for as words, never as a camelCase key', () => {
    expect(snapshotText({ loyaltyCardStyle: 'gold', spare_key: 1 })).toBe('loyalty card style：gold，spare key：1');
  });

  it('shows only the fields that changed, and lists of records one by one', () => {
    const before = { basis: 'spend', levels: [{ name: '银卡', thresholdFen: 100_000 }] };
    const after = { basis: 'spend', levels: [{ name: '银卡', thresholdFen: 200_000 }] };
    const changed = changedFields(before, after);
    expect(snapshotText(before, changed)).toBe('等级：（名称：银卡，门槛：¥1,000.00）');
    expect(snapshotText(after, changed)).toBe('等级：（名称：银卡，门槛：¥2,000.00）');
    expect(changedFields(before, before)).toBeUndefined();
    expect(changedFields(null, after)).toBeUndefined();
  });
});
