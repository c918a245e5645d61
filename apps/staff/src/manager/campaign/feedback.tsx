import { Text, View } from '@tarojs/components';
import { formatDateTime, InlineError, useAsync } from '@lumi/mini';
import type { CampaignFeedback, Survey } from '@lumi/shared';
import { getCampaignFeedback } from '../../services/campaign-feedback.ts';
import './feedback.scss';

const CONTACT_LABELS: Record<string, string> = { phone: '电话', wechat: '微信', in_store: '到店面谈' };

/**
 * 顾客反馈 on a campaign's results: each survey answer next to its question, and each consultation request with how
 * the customer wants to be contacted. Loads on its own, so a failure here leaves the results readable.
 */
export function CampaignFeedbackCard({ campaignId, survey }: { campaignId: string; survey: Survey | null }) {
  const { data, error } = useAsync(() => getCampaignFeedback(campaignId), [campaignId]);
  if (error) return <InlineError className="mg__error" message="顾客反馈加载失败" />;
  if (!data) return null;
  const questions = new Map((survey?.questions ?? []).map((q) => [q.id, q.text]));
  return (
    <View className="mg__card feedback">
      <Text className="mg__title">顾客反馈（{data.items.length}）</Text>
      {data.items.length === 0 ? <Text className="mg__muted">暂无顾客回答问卷或预约咨询</Text> : null}
      {data.items.map((item) => (
        <FeedbackItem key={item.id} item={item} questions={questions} />
      ))}
    </View>
  );
}

function FeedbackItem({ item, questions }: { item: CampaignFeedback; questions: Map<string, string> }) {
  return (
    <View className={`feedback__item feedback__item--${item.type}`}>
      <View className="feedback__head">
        <Text className="feedback__who">{item.customerName ?? '顾客'}</Text>
        <Text className="mg__muted">
          {item.type === 'survey' ? '问卷' : '咨询'} · {formatDateTime(item.createdAt)}
        </Text>
      </View>
      {Object.entries(item.answers ?? {}).map(([id, answer]) => (
        <View key={id} className="feedback__answer">
          <Text className="mg__muted feedback__question">{questions.get(id) ?? id}</Text>
          <Text className="feedback__text">{answer}</Text>
        </View>
      ))}
      {item.message ? <Text className="feedback__text">{item.message}</Text> : null}
      {item.preferredContact ? (
        <Text className="mg__muted">
          希望联系方式：{CONTACT_LABELS[item.preferredContact] ?? item.preferredContact}
        </Text>
      ) : null}
    </View>
  );
}
