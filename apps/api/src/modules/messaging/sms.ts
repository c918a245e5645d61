import type { Database } from '../../db/database.ts';
import { smsMessages } from './tables.ts';

export interface SmsMessage {
  tenantId: string;
  customerId: string | null;
  phone: string;
  /** Provider template code. */
  template: string;
  params: Record<string, string>;
  /** The text as the customer reads it (providers render it from template + params). */
  body: string;
}

/** An SMS provider (Aliyun, Tencent Cloud …). Throws when the provider refuses the message. */
export interface SmsSender {
  send(message: SmsMessage): Promise<{ id: string }>;
}

/** The local provider: records every message in sms_messages, which tests and the demo read back. */
export function createRecordingSmsSender(db: Database): SmsSender {
  return {
    async send(message) {
      const [row] = await db
        .insert(smsMessages)
        .values({
          tenantId: message.tenantId,
          customerId: message.customerId,
          phone: message.phone,
          template: message.template,
          params: message.params,
          body: message.body,
        })
        .returning({ id: smsMessages.id });
      return { id: String(row?.id ?? '') };
    },
  };
}
