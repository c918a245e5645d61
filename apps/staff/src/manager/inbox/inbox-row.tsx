import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import type { InboxItem } from '@lumi/shared';
import { INBOX_KIND_LABELS, inboxAmountText, inboxItemUrl } from '../inbox-format.ts';

/** One inbox item, waiting or decided: what and whose, the summary, its figure; a tap opens the item's page. */
export function InboxRow({ item, className, children }: { item: InboxItem; className: string; children: ReactNode }) {
  return (
    <View className={`mg__row ${className}`} onClick={() => void Taro.navigateTo({ url: inboxItemUrl(item) })}>
      <View className="mg__main">
        <Text>
          {INBOX_KIND_LABELS[item.kind]} · {item.customerName ?? '未留名顾客'}
        </Text>
        <Text className="mg__muted">{item.summary}</Text>
        {children}
      </View>
      <Text className="mg__amount">{inboxAmountText(item)}</Text>
    </View>
  );
}
