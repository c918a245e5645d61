import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, InlineError, useAsync } from '@lumi/mini';
import type { BillEvent, MessagingSettings } from '@lumi/shared';
import { getMessagingSettings, updateMessagingSettings } from '../../services/settings.ts';
import { decisionErrorMessage } from '../decision.ts';

/** Every bill event a customer can be told about, in the words of the customer's own inbox. */
const EVENT_LABELS: Record<BillEvent, string> = {
  bill_to_confirm: '账单待确认',
  bill_settled: '消费已结账',
  bill_voided: '账单已撤销',
  bill_refunded: '账单已退款',
  dispute_answered: '异议已答复',
};
const EVENTS = Object.keys(EVENT_LABELS) as BillEvent[];

/** 设置 → 顾客消息: which bill events customers hear about, and the paid SMS fallback (its own load and save). */
export function MessageCard() {
  const { data, error } = useAsync(getMessagingSettings);
  if (error) return <InlineError className="mg__error" message="消息设置加载失败" />;
  return data ? <MessageForm settings={data} /> : null;
}

function MessageForm({ settings }: { settings: MessagingSettings }) {
  const [muted, setMuted] = useState<ReadonlySet<BillEvent>>(new Set(settings.mutedBillEvents));
  const [smsFallback, setSmsFallback] = useState(settings.billSmsFallback);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function toggle(event: BillEvent) {
    const next = new Set(muted);
    if (!next.delete(event)) next.add(event);
    setMuted(next);
  }

  async function save() {
    setBusy(true);
    setProblem(null);
    try {
      // Sent in the screen's order so the audit's before/after compare like with like.
      await updateMessagingSettings({
        mutedBillEvents: EVENTS.filter((event) => muted.has(event)),
        billSmsFallback: smsFallback,
      });
      void Taro.showToast({ title: '消息设置已保存', icon: 'none', duration: 2000 });
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '保存失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="mg__card message-card">
      <Text className="mg__title">顾客消息</Text>
      <Text className="mg__muted">账单有以下变化时通知顾客（点选开关）</Text>
      <View className="mg__chips">
        {EVENTS.map((event) => (
          <Text
            key={event}
            className={`mg__chip message-card__event-${event} ${muted.has(event) ? '' : 'mg__chip--on'}`}
            onClick={() => toggle(event)}
          >
            {EVENT_LABELS[event]}
          </Text>
        ))}
      </View>
      {muted.has('bill_to_confirm') ? (
        <Text className="mg__muted message-card__warning">
          关闭「账单待确认」后，需要顾客确认的账单不再通知顾客，请当面提醒顾客确认
        </Text>
      ) : null}
      <Text className="mg__muted">微信消息发不出时（顾客未授权或微信拒绝）</Text>
      <View className="mg__chips">
        <Text
          className={`mg__chip message-card__sms-on ${smsFallback ? 'mg__chip--on' : ''}`}
          onClick={() => setSmsFallback(true)}
        >
          改发短信（按条计费）
        </Text>
        <Text
          className={`mg__chip message-card__sms-off ${smsFallback ? '' : 'mg__chip--on'}`}
          onClick={() => setSmsFallback(false)}
        >
          不发短信
        </Text>
      </View>
      <ActionButton className="message-card__save" disabled={busy} onClick={() => void save()}>
        保存消息设置（记入审计）
      </ActionButton>
      <InlineError className="mg__error" message={problem} />
    </View>
  );
}
