import { Button, Text, View } from '@tarojs/components';
import { type EntryGroup, groupEntries, PageShell, useKeysetList } from '@lumi/mini';
import { useMemo } from 'react';
import { HOME_PAGE } from '../../routes.ts';
import { getMyEntries } from '../../services/wallet.ts';
import './index.scss';

export default function EntriesPage() {
  const list = useKeysetList(getMyEntries);
  // Grouped over the whole list, so a transfer split across two pages still shows as one event.
  const groups = useMemo(() => groupEntries(list.items), [list.items]);

  return (
    <PageShell
      loading={list.loading}
      error={list.error}
      onRetry={list.reload}
      backTo={HOME_PAGE}
      empty={groups.length === 0}
      emptyText="暂无明细"
      className="entries"
    >
      {groups.map((group) => (
        <EntryCard key={group.transferId} group={group} />
      ))}
      {list.hasMore ? (
        // No `disabled`/`loading` needed: useKeysetList ignores taps while a page is on its way, and the label
        // says so (Taro's H5 spinner breaks when the label changes with it; see ActionButton).
        <Button className="entries__more" onClick={list.loadMore}>
          {list.loadingMore ? '加载中…' : '加载更多'}
        </Button>
      ) : (
        <Text className="entries__end">没有更多了</Text>
      )}
    </PageShell>
  );
}

function EntryCard({ group }: { group: EntryGroup }) {
  const where = [group.storeName, group.staffName].filter(Boolean).join(' · ');
  return (
    <View className="entry">
      <View className="entry__head">
        <Text className="entry__kind">{group.kindLabel}</Text>
        <Text className="entry__time">{group.timeText}</Text>
      </View>
      {group.lines.map((line) => (
        <View key={line.entryId} className="entry__line">
          <Text className="entry__bucket">{line.bucketLabel}</Text>
          <Text className={`entry__amount entry__amount--${line.direction}`}>{line.amountText}</Text>
          <Text className="entry__balance">{line.balanceText}</Text>
        </View>
      ))}
      {group.itemTexts.length > 0 ? (
        <View className="entry__items">
          {group.itemTexts.map((text, i) => (
            // Items have no id; a transfer's item list never changes, so the position is a stable key.
            <Text key={i} className="entry__item">
              {text}
            </Text>
          ))}
        </View>
      ) : null}
      {where ? <Text className="entry__where">{where}</Text> : null}
    </View>
  );
}
