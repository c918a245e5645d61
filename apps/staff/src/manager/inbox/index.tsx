import { Text, View } from '@tarojs/components';
import { type ReactNode, useState } from 'react';
import { PageShell, requestSubscribeMessage, useAsync, useRefreshOnReturn } from '@lumi/mini';
import type { InboxKind } from '@lumi/shared';
import { bindStaffWechat, getInbox } from '../../services/approvals.ts';
import { INBOX_KIND_LABELS, INBOX_KINDS, waitingText } from '../inbox-format.ts';
import { ManagerOnly } from '../manager-only.tsx';
import { DecidedList } from './decided-list.tsx';
import { InboxRow } from './inbox-row.tsx';
import '../manager.scss';

/**
 * 微信提醒: this phone's WeChat is bound to the manager when the inbox opens; a tap asks WeChat for one more alert
 * (a one-time subscribe message per consent), straight from the tap as WeChat requires.
 */
function AlertSwitch() {
  const binding = useAsync(bindStaffWechat);
  const [granted, setGranted] = useState<number | null>(null);
  const template = binding.data?.approvalTemplateId;
  if (!template) return null;
  const ask = async () => {
    const accepted = await requestSubscribeMessage([template]);
    setGranted((n) => (n ?? 0) + accepted.length);
  };
  return (
    <View className="mg__row mg__alerts" onClick={() => void ask()}>
      <View className="mg__main">
        <Text>微信提醒</Text>
        <Text className="mg__muted">
          {granted === null ? '有新的审批时，通过微信通知我（每次同意可收一条）' : `已同意 ${granted} 次提醒`}
        </Text>
      </View>
      <Text className="mg__chip mg__chip--on">开启</Text>
    </View>
  );
}

function Waiting({ tabs }: { tabs: ReactNode }) {
  const [order, setOrder] = useState<'newest' | 'oldest'>('newest');
  const [kind, setKind] = useState<InboxKind | undefined>(undefined);
  const { data, error, loading, reload, refresh } = useAsync(() => getInbox(order, kind), [order, kind]);
  // Back from a decision the item has left the list.
  useRefreshOnReturn(refresh);
  const now = new Date();

  return (
    <PageShell loading={loading && !data} error={error} onRetry={reload} className="mg">
      {tabs}
      {data ? (
        <>
          <View className="mg__chips">
            <Text
              className={`mg__chip mg__order-newest ${order === 'newest' ? 'mg__chip--on' : ''}`}
              onClick={() => setOrder('newest')}
            >
              最新
            </Text>
            <Text
              className={`mg__chip mg__order-oldest ${order === 'oldest' ? 'mg__chip--on' : ''}`}
              onClick={() => setOrder('oldest')}
            >
              等待最久
            </Text>
          </View>
          <View className="mg__chips">
            <Text className={`mg__chip ${kind ? '' : 'mg__chip--on'}`} onClick={() => setKind(undefined)}>
              全部 {data.counts.total}
            </Text>
            {INBOX_KINDS.map((k) => (
              <Text
                key={k}
                className={`mg__chip mg__kind-${k} ${kind === k ? 'mg__chip--on' : ''}`}
                onClick={() => setKind(k)}
              >
                {INBOX_KIND_LABELS[k]} {data.counts[k]}
              </Text>
            ))}
          </View>
          <AlertSwitch />
          {data.oldestWaitingAt ? (
            <Text className="mg__muted mg__oldest">最久一项已等待 {waitingText(data.oldestWaitingAt, now)}</Text>
          ) : null}
          <View className="mg__card">
            {data.items.length === 0 ? <Text className="mg__muted">没有待处理的事项</Text> : null}
            {data.items.map((item) => (
              <InboxRow key={item.id} item={item} className={`mg__item mg__item--${item.kind}`}>
                <Text className="mg__muted">
                  {item.raisedBy ?? ''} · 已等待 {waitingText(item.createdAt, now)}
                </Text>
              </InboxRow>
            ))}
          </View>
        </>
      ) : null}
    </PageShell>
  );
}

/** 待处理 (what waits) and 已处理 (what was decided), side by side. */
function Inbox() {
  const [view, setView] = useState<'waiting' | 'decided'>('waiting');
  const tabs = (
    <View className="mg__chips mg__tabs">
      <Text
        className={`mg__chip mg__tab-waiting ${view === 'waiting' ? 'mg__chip--on' : ''}`}
        onClick={() => setView('waiting')}
      >
        待处理
      </Text>
      <Text
        className={`mg__chip mg__tab-decided ${view === 'decided' ? 'mg__chip--on' : ''}`}
        onClick={() => setView('decided')}
      >
        已处理
      </Text>
    </View>
  );
  return view === 'waiting' ? <Waiting tabs={tabs} /> : <DecidedList tabs={tabs} />;
}

export default function InboxPage() {
  return (
    <ManagerOnly>
      <Inbox />
    </ManagerOnly>
  );
}
