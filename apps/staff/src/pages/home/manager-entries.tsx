import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useAsync, useRefreshOnReturn } from '@lumi/mini';
import {
  AUDIT_PAGE,
  CAMPAIGNS_PAGE,
  INBOX_PAGE,
  OVERDUE_PAGE,
  REPORTS_PAGE,
  SEGMENTS_PAGE,
  SETTINGS_PAGE,
} from '../../routes.ts';
import { getInbox } from '../../services/approvals.ts';

const ENTRIES = [
  { key: 'inbox', title: '审批', note: '额度 · 撤销退款 · 异议 · 售后', url: INBOX_PAGE },
  { key: 'overdue', title: '逾期', note: '账龄 · 催收 · 解冻', url: OVERDUE_PAGE },
  { key: 'segments', title: '客群', note: '分群 · 流转 · 负债', url: SEGMENTS_PAGE },
  { key: 'campaigns', title: '唤醒活动', note: '新建 · 发送 · 效果', url: CAMPAIGNS_PAGE },
  { key: 'reports', title: '报表', note: '营收 · 充值 · 负债 · 提成', url: REPORTS_PAGE },
  { key: 'audit', title: '审计', note: '谁 · 做了什么 · 前后', url: AUDIT_PAGE },
  { key: 'settings', title: '设置', note: '收银 · 挂账规则', url: SETTINGS_PAGE },
] as const;

/** The manager's tiles on home, 审批 with the number of things waiting (shown to managers and the owner only). */
export function ManagerEntries() {
  const { data, refresh } = useAsync(() => getInbox());
  // Back from the inbox the count must be the new one.
  useRefreshOnReturn(refresh);
  const waiting = data?.counts.total ?? 0;
  return (
    <View className="home__entries home__entries--manager">
      {ENTRIES.map((entry) => (
        <View
          key={entry.key}
          className={`home__entry home__entry--${entry.key}`}
          onClick={() => void Taro.navigateTo({ url: entry.url })}
        >
          <View className="home__entry-head">
            <Text className="home__entry-title">{entry.title}</Text>
            {entry.key === 'inbox' && waiting > 0 ? <Text className="home__badge">{waiting}</Text> : null}
          </View>
          <Text className="home__entry-note">{entry.note}</Text>
        </View>
      ))}
    </View>
  );
}
