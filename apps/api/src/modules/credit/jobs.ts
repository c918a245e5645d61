import type { AppConfig } from '../../config/index.ts';
import type { Database } from '../../db/database.ts';
import { createRecordingSmsSender, createSubscribeMessageClient } from './notify.ts';
import type { CreditReminderDeps } from './reminders.ts';

/** What the reminder job needs, from configuration: the WeChat client, the SMS provider and the template ids. */
export function creditReminderDeps(
  config: AppConfig,
  db: Database,
  now: () => Date = () => new Date(),
): CreditReminderDeps {
  return {
    now,
    wechat: createSubscribeMessageClient({
      baseUrl: config.WECHAT_API_BASE,
      appId: config.WECHAT_CUSTOMER_APPID,
      secret: config.WECHAT_CUSTOMER_SECRET,
      timeoutMs: config.WECHAT_TIMEOUT_MS,
    }),
    sms: createRecordingSmsSender(db),
    templates: {
      due: config.WECHAT_TEMPLATE_CREDIT_DUE,
      overdue: config.WECHAT_TEMPLATE_CREDIT_OVERDUE,
      limit: config.WECHAT_TEMPLATE_CREDIT_LIMIT,
    },
    customerAppId: config.WECHAT_CUSTOMER_APPID,
  };
}
