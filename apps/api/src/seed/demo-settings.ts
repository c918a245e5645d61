import type { ManagedTopUpPlan } from '@lumi/shared';
import { DAY_MS, deskNow, shanghaiMidnight } from './demo-clock.ts';
import type { Salon } from './demo-salon.ts';

/**
 * This morning in 设置, audited for 审计: the owner schedules an anniversary offer from tomorrow and withdraws a
 * trial offer a manager created by mistake. Neither is offered at the till or in the customer app today, so the
 * offers the e2e tests pick (充1000送200, 充3000送800) stay as they were.
 */
export async function seedSettingsChanges(salon: Salon, now: Date): Promise<number> {
  const { till } = salon;
  till.now = new Date(deskNow(now.getTime()));
  const owner = till.as(salon.owner);
  const manager = till.as(salon.stores[0]?.manager ?? salon.owner);
  const tomorrow = shanghaiMidnight(now.getTime()) + DAY_MS;
  await owner.post('/staff/settings/top-up-plans', {
    name: '周年庆 充2000送600',
    payFen: 200_000,
    bonusFen: 60_000,
    bonusPoints: 800,
    validFrom: new Date(tomorrow).toISOString(),
    validTo: new Date(tomorrow + 14 * DAY_MS).toISOString(),
  });
  const trial = await manager.post<ManagedTopUpPlan>('/staff/settings/top-up-plans', {
    name: '体验 充300送30',
    payFen: 30_000,
    bonusFen: 3_000,
  });
  await manager.put(`/staff/settings/top-up-plans/${trial.id}`, { bonusFen: 5_000 });
  await owner.post(`/staff/settings/top-up-plans/${trial.id}/withdraw`, { reason: '与新客活动重复，先下架' });
  return 2;
}

/** The words the salon's customers read in a due-date reminder, in its own voice (设置 → 消息模板, audited). */
export const DEMO_DUE_SOON_TEXT = '【{shop}】亲爱的会员，您有 {amount} 挂账将于 {date} 到期，欢迎到店或在小程序还款。';

export async function seedMessageText(salon: Salon): Promise<void> {
  const manager = salon.till.as(salon.stores[0]?.manager ?? salon.owner);
  await manager.put('/staff/settings/message-texts/credit_due_soon', { text: DEMO_DUE_SOON_TEXT });
}
