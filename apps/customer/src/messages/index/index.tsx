import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PageShell, useAsync, useRefreshOnReturn } from '@lumi/mini';
import { ME_PAGE } from '../../routes.ts';
import { getMyCampaigns, getMyMessages, markMessagesRead } from '../../services/messages.ts';
import { type InboxItem, inboxItems } from '../inbox.ts';
import './index.scss';

async function loadInbox(): Promise<InboxItem[]> {
  const [messages, campaigns] = await Promise.all([getMyMessages(), getMyCampaigns()]);
  return inboxItems(messages.items, campaigns);
}

export default function MessagesPage() {
  const { data, error, loading, reload, refresh } = useAsync(loadInbox);
  // Back from a notice's page, it shows as read.
  useRefreshOnReturn(refresh);

  async function open(item: InboxItem) {
    // Marking read must not stop her from reaching the page; the list corrects itself on return.
    if (item.messageId !== null && item.unread) await markMessagesRead([item.messageId]).catch(() => undefined);
    if (item.url) await Taro.navigateTo({ url: item.url });
    else refresh();
  }

  return (
    <PageShell
      loading={loading}
      error={error}
      onRetry={reload}
      backTo={ME_PAGE}
      empty={data?.length === 0}
      emptyText="暂无消息"
      className="messages m-page"
    >
      {(data ?? []).map((item) => (
        <View
          key={item.key}
          className={item.unread ? 'm-card message message--unread' : 'm-card message'}
          onClick={() => void open(item)}
        >
          <View className="m-row">
            <Text className="m-strong message__title">
              {item.unread ? <Text className="message__dot">●</Text> : null}
              {item.title}
            </Text>
            {item.campaignId ? <Text className="m-badge m-badge--brand">活动</Text> : null}
          </View>
          {item.note ? <Text className="message__note">{item.note}</Text> : null}
          <View className="m-row">
            <Text className="m-meta">{item.timeText}</Text>
            <Text className="m-meta">{item.unread ? '未读' : '已读'}</Text>
          </View>
        </View>
      ))}
    </PageShell>
  );
}
