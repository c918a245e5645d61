import { Text } from '@tarojs/components';
import type { CampaignMessage } from '@lumi/shared';
import { type PreviewExample, previewText } from './campaign-format.ts';

/**
 * A campaign's texts as one customer reads them, each channel's placeholders filled in for an example customer:
 * 新建唤醒活动's preview while the manager writes, and the campaign page afterwards (its texts are stored with the
 * placeholders, which each customer gets filled in when sent).
 */
export function CampaignPreview({ message, example }: { message: CampaignMessage; example: PreviewExample }) {
  const show = (text: string) => previewText(text, example);
  return (
    <>
      {message.banner ? (
        <>
          <Text className="mg__preview-title">{show(message.banner.title)}</Text>
          <Text className="mg__reason">{show(message.banner.body)}</Text>
        </>
      ) : null}
      {message.wechat ? (
        <Text className="mg__muted mg__preview-wechat">
          订阅消息：{Object.values(message.wechat.data).map(show).join(' · ')}
        </Text>
      ) : null}
      {message.sms ? <Text className="mg__muted mg__preview-sms">短信：{show(message.sms.text)}</Text> : null}
    </>
  );
}
