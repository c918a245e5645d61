import type { Campaign, CustomerList } from '@lumi/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectText, launchChromium, loadAfresh, saveScreenshot } from './browser.ts';
import type { StaffApi } from './staff-api.ts';
import { openWakeUpSalon, WAKE_UP_MANAGER, type WakeUpSalon } from './wake-up-salon.ts';

/**
 * Creating a campaign on the manager's phone with every part of 新建唤醒活动 (issue 16), in 晨曦美容
 * (apps/api/src/seed/wake-up-salon.ts: eight 沉睡 customers whose one visit was 290–297 days ago, four regulars):
 * a custom group (last visit 200+ days ago, spent at most ¥300) with its live count, a frequency cap of one
 * message a month that leaves out 韩梦瑶 (an earlier campaign reached her), a schedule inside quiet hours and the
 * note saying it waits, the WeChat channel with its text edited and the preview. Sent from the campaign page, it
 * reaches 何雨萱's phone as the banner in her 消息 — two browser contexts. At a 30% holdout the salon's fixed draw
 * holds out 苏婉清 and 罗思琪 (campaign.test.ts).
 */
const TREATED = { name: '何雨萱', openid: 'wake-up-customer-2' };
/** Her one visit was 297 days ago, the longest: an earlier campaign for "297 days or more" reaches only her. */
const CAPPED = '韩梦瑶';
const CAMPAIGN = '冬日护肤季';

describe('a campaign built on the phone: custom group, cap, schedule, WeChat text, preview, and her banner', () => {
  let browser: Browser;
  let salon: WakeUpSalon;
  let manager: StaffApi;

  beforeAll(async () => {
    browser = await launchChromium();
    salon = await openWakeUpSalon(browser);
    manager = salon.manager;
  }, 300_000);
  afterAll(async () => {
    await salon?.close();
    await browser?.close();
  });

  /** A campaign the manager already sent, through the API: one SMS to whoever visited last 297+ days ago. */
  async function earlierCampaign(): Promise<void> {
    const group = await manager.send<{ id: string }>('POST', '/staff/segmentation/groups', {
      name: '最久未到店',
      rules: { lastVisitDaysAgo: { min: 297 } },
    });
    const draft = await manager.send<Campaign>('POST', '/staff/segmentation/campaigns', {
      name: '秋季问候',
      audience: { type: 'group', groupId: group.id },
      offer: { default: null, byCategory: [] },
      message: { sms: { template: 'wakeup', text: '{name}您好，秋季护肤季欢迎回店' } },
      channels: ['sms'],
      quietHours: null,
      frequencyCap: null,
      holdoutBasisPoints: 0,
    });
    await manager.send('POST', `/staff/segmentation/campaigns/${draft.id}/schedule`, {});
    await expect
      .poll(async () => (await manager.send<Campaign>('GET', `/staff/segmentation/campaigns/${draft.id}`)).progress, {
        timeout: 30_000,
      })
      .toMatchObject({ recipients: 1, sent: 1, pending: 0 });
  }

  it('the manager builds it step by step and sends it; the cap leaves one customer without a message', async () => {
    await earlierCampaign();
    const phone = await salon.staffPhone(WAKE_UP_MANAGER);
    const { page } = phone;
    const visible = (selector: string) => page.locator(selector).filter({ visible: true });
    await page.locator('.home__entry--campaigns').click();
    await visible('.mg__new-campaign').click();
    await expectText(phone, /^共 \d+ 位顾客/);

    // 1. The audience: a custom group, counted live by the API as the filters change.
    await visible('.mg__audience-custom').click();
    await expectText(phone, '共 12 位顾客，其中约 2 位作为对照组不发送');
    await visible('.mg__filter-days input').fill('200');
    await expectText(phone, '共 8 位顾客，其中约 1 位作为对照组不发送');
    await visible('.mg__filter-spend-max input').fill('300');
    await visible('.mg__holdout-3000').click();
    await expectText(phone, '共 8 位顾客，其中约 2 位作为对照组不发送');
    // The cap at one message a month: 韩梦瑶 already had one, so this campaign sends her none.
    await visible('.mg__cap-messages input').fill('1');
    await expectText(phone, `1 位已达发送频次上限，不会收到消息：${CAPPED}`);
    // Filling in the cap scrolled Taro's page (it scrolls inside itself) down to 发送设置: back to the audience.
    await visible('.mg__audience-custom').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'campaign-create-1-audience');

    // 2. The offer and the name.
    await visible('.mg__campaign-name input').fill(CAMPAIGN);
    await visible('.mg__offer-title input').fill('冬日礼');
    await visible('.mg__offer-amount input').fill('60');
    await visible('.mg__offer-min input').fill('180');
    await expectText(phone, '冬日礼：立减 ¥60.00 · 满 ¥180.00 可用 · 30 天有效');

    // 3. Channels and texts: the WeChat subscribe message added and its hint rewritten; the banner retitled.
    await visible('.mg__channel-wechat').click();
    await visible('.mg__wechat-body textarea').fill('{name}，冬天也要好好护肤');
    await visible('.mg__banner-title textarea').fill('{name}，冬日护肤季邀您回店');
    const example = (await visible('.mg__preview .mg__title').textContent())?.match(/以 (.+) 为例/)?.[1];
    expect(example).toBeTruthy();
    await expectText(phone, `订阅消息：冬日礼 · ${example}，冬天也要好好护肤`);
    await expectText(phone, `${example}，冬日护肤季邀您回店`);
    await saveScreenshot(page, 'campaign-create-2-message');

    // 4. The schedule: 22:00 falls inside the quiet hours, and the form says the send waits until 09:00.
    await visible('.mg__timing-scheduled').click();
    await visible('.mg__send-time input').fill('22:00');
    await expectText(phone, '该时间在免打扰时段内，将于 09:00 开始发送');
    await saveScreenshot(page, 'campaign-create-3-schedule');
    // The test runs at any hour: without quiet hours the send it starts below goes out at once.
    await visible('.mg__quiet-off').click();
    await expect.poll(() => visible('.mg__send-waits').count()).toBe(0);
    await visible('.mg__create-campaign').click();
    await expectText(phone, `${CAMPAIGN} · 待发送`);
    await expectText(phone, /^定时发送 \d{4}-\d{2}-\d{2} 22:00$/);
    await expectText(phone, '每位顾客 30 天内最多 1 条活动消息');
    // The texts as an example customer reads them (each customer gets hers filled in when sent).
    await expectText(phone, '示例：以 林小雅 为例，发送时按每位顾客填入');
    await expectText(phone, '订阅消息：冬日礼 · 林小雅，冬天也要好好护肤');
    await saveScreenshot(page, 'campaign-create-4-scheduled');

    const [listed] = (await manager.send<{ items: Campaign[] }>('GET', '/staff/segmentation/campaigns')).items;
    if (listed?.audience.type !== 'group') throw new Error(`not the campaign made: ${JSON.stringify(listed)}`);
    expect(listed).toMatchObject({
      name: CAMPAIGN,
      status: 'scheduled',
      audience: { type: 'group' },
      channels: ['in_app', 'sms', 'wechat'],
      frequencyCap: { maxMessages: 1, perDays: 30 },
      holdoutBasisPoints: 3_000,
      quietHours: null,
    });
    const group = await manager.send<{ rules: unknown }>(
      'GET',
      `/staff/segmentation/groups/${listed.audience.groupId}`,
    );
    expect(group.rules).toMatchObject({ lastVisitDaysAgo: { min: 200 }, spendFen: { max: 30_000 } });

    // 5. Sent now rather than tomorrow night; the page follows the job to the end.
    await visible('.mg__send').click();
    await expectText(phone, `${CAMPAIGN} · 已完成`, 60_000);
    await saveScreenshot(page, 'campaign-create-5-sent');

    const { items: people } = await manager.send<CustomerList>('GET', '/staff/customers?limit=50');
    const nameOf = (id: string) => people.find((c) => c.id === id)?.name;
    const { items: messages } = await manager.send<{
      items: { customerId: string; status: string; reason: string | null }[];
    }>('GET', `/staff/segmentation/campaigns/${listed.id}/messages`);
    const byName = Object.fromEntries(messages.map((m) => [nameOf(m.customerId), [m.status, m.reason]]));
    expect(Object.keys(byName).sort()).toEqual(
      ['苏婉清', '何雨萱', '郭静怡', '罗思琪', '梁欣怡', '宋佳怡', '唐诗涵', '韩梦瑶'].sort(),
    );
    expect(byName[CAPPED]).toEqual(['skipped', 'frequency_cap']);
    expect(byName['苏婉清']).toEqual(['skipped', 'holdout']);
    expect(byName[TREATED.name]).toEqual(['sent', null]);
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  }, 240_000);

  it('何雨萱 finds the banner with the edited title on her phone', async () => {
    const mobile = await salon.customerPhone(TREATED);
    const { page } = mobile;
    await loadAfresh(mobile, `${salon.customerUrl}/#/messages/index/index`);
    await page
      .locator('.message', { hasText: `${TREATED.name}，冬日护肤季邀您回店` })
      .filter({ visible: true })
      .click();
    // The list shows the banner's body too: wait for the campaign page itself before its screenshot.
    await expectText(mobile, '优惠券已放入您的券包');
    await expectText(mobile, /冬日礼 已放入卡包/);
    await saveScreenshot(page, 'campaign-create-6-customer-banner');
    expect(mobile.problems).toEqual([]);
    await mobile.context.close();
  }, 120_000);
});
