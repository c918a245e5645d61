import { Text, View } from '@tarojs/components';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { ActionButton, formatDateTime, PageShell, useKeysetList } from '@lumi/mini';
import type { DecidedInboxItem, InboxKind } from '@lumi/shared';
import { getDecidedInbox } from '../../services/approvals.ts';
import { decisionText, INBOX_KIND_LABELS, INBOX_KINDS } from '../inbox-format.ts';
import { InboxRow } from './inbox-row.tsx';

/**
 * 已处理: what left the inbox, latest decision first, so a decision stays findable without the audit log; a tap
 * opens the item's own page.
 */
export function DecidedList({ tabs }: { tabs: ReactNode }) {
  const [kind, setKind] = useState<InboxKind | undefined>(undefined);
  const list = useKeysetList<DecidedInboxItem, string>((cursor) => getDecidedInbox(kind, cursor));
  const { reload } = list;
  // Another kind reads the first page again (the list loads its first page by itself on mount).
  const mounted = useRef(false);
  useEffect(() => {
    if (mounted.current) reload();
    mounted.current = true;
  }, [kind, reload]);

  return (
    <PageShell loading={list.loading && list.items.length === 0} error={list.error} onRetry={reload} className="mg">
      {tabs}
      <View className="mg__chips">
        <Text className={`mg__chip ${kind ? '' : 'mg__chip--on'}`} onClick={() => setKind(undefined)}>
          全部
        </Text>
        {INBOX_KINDS.map((k) => (
          <Text
            key={k}
            className={`mg__chip mg__decided-kind-${k} ${kind === k ? 'mg__chip--on' : ''}`}
            onClick={() => setKind(k)}
          >
            {INBOX_KIND_LABELS[k]}
          </Text>
        ))}
      </View>
      <View className="mg__card">
        {list.items.length === 0 ? <Text className="mg__muted">还没有处理过的事项</Text> : null}
        {list.items.map((item) => (
          <InboxRow key={item.id} item={item} className={`mg__decided mg__decided--${item.decision}`}>
            <Text className="mg__decision">
              {decisionText(item)} · {item.decidedBy ?? '系统'} · {formatDateTime(item.decidedAt)}
            </Text>
            {item.note ? (
              <Text className="mg__muted">
                {item.kind === 'dispute' ? '答复' : '备注'}：{item.note}
              </Text>
            ) : null}
          </InboxRow>
        ))}
      </View>
      {list.hasMore ? (
        <ActionButton className="mg__more" disabled={list.loadingMore} onClick={list.loadMore}>
          加载更多
        </ActionButton>
      ) : null}
    </PageShell>
  );
}
