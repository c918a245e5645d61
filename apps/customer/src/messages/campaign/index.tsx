import { Input, Text, Textarea, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, ApiError, InlineError, PageShell, useAsync, userMessage } from '@lumi/mini';
import type { Survey } from '@lumi/shared';
import { openPage } from '../../navigation.ts';
import { COUPONS_PAGE, MESSAGES_PAGE } from '../../routes.ts';
import { getMyCampaigns, markCampaignOpened, sendCampaignFeedback } from '../../services/messages.ts';
import './index.scss';

async function loadCampaign(campaignId: string) {
  const campaign = (await getMyCampaigns()).find((c) => c.id === campaignId);
  if (!campaign) throw new ApiError('CAMPAIGN_NOT_FOUND', userMessage('CAMPAIGN_NOT_FOUND'), 404);
  // Counted once by the API however often she opens it; a failure here must not hide the offer.
  await markCampaignOpened(campaignId).catch(() => undefined);
  return campaign;
}

export default function CampaignPage() {
  const campaignId = useRouter().params.id ?? '';
  const { data, error, loading, reload } = useAsync(() => loadCampaign(campaignId), [campaignId]);

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={MESSAGES_PAGE} className="campaign m-page">
      {data ? (
        <>
          <View className="m-hero">
            <Text className="campaign__title">{data.title}</Text>
            <Text className="m-hero__note campaign__body">{data.body}</Text>
          </View>
          {data.couponId ? (
            <View className="m-card" onClick={() => void openPage(COUPONS_PAGE)}>
              <View className="m-row">
                <Text className="m-strong">优惠券已放入您的券包</Text>
                <Text className="m-meta">查看 ›</Text>
              </View>
            </View>
          ) : null}
          {data.survey ? <SurveyForm campaignId={data.id} survey={data.survey} /> : null}
          <ConsultationForm campaignId={data.id} />
        </>
      ) : null}
    </PageShell>
  );
}

function SurveyForm({ campaignId, survey }: { campaignId: string; survey: Survey }) {
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const set = (id: string, value: string) => setAnswers((a) => ({ ...a, [id]: value }));

  async function submit() {
    const given = Object.fromEntries(Object.entries(answers).filter(([, v]) => v.trim() !== ''));
    if (Object.keys(given).length === 0) {
      setFormError('请至少回答一个问题');
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      await sendCampaignFeedback(campaignId, { type: 'survey', answers: given });
      setSent(true);
      void Taro.showToast({ title: '感谢您的反馈', icon: 'success', duration: 2000 });
    } catch (cause) {
      setFormError(cause instanceof ApiError ? cause.message : userMessage('INTERNAL'));
    } finally {
      setBusy(false);
    }
  }

  if (sent) {
    return (
      <View className="m-card">
        <Text className="m-strong">问卷已提交，感谢您的反馈</Text>
      </View>
    );
  }
  return (
    <View className="m-card">
      <Text className="m-title">问卷</Text>
      {survey.questions.map((q) => (
        <View key={q.id} className="campaign__question">
          <Text>{q.text}</Text>
          {q.options ? (
            <View className="campaign__options">
              {q.options.map((option) => (
                <Text
                  key={option}
                  className={answers[q.id] === option ? 'campaign__option campaign__option--on' : 'campaign__option'}
                  onClick={() => set(q.id, option)}
                >
                  {option}
                </Text>
              ))}
            </View>
          ) : (
            <Input
              className="campaign__input"
              value={answers[q.id] ?? ''}
              maxlength={200}
              placeholder="请输入"
              onInput={(event) => set(q.id, event.detail.value)}
            />
          )}
        </View>
      ))}
      <InlineError className="campaign__error" message={formError} />
      <ActionButton className="m-button" type="primary" disabled={busy} onClick={() => void submit()}>
        提交问卷
      </ActionButton>
    </View>
  );
}

function ConsultationForm({ campaignId }: { campaignId: string }) {
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  async function submit() {
    if (message.trim() === '') {
      setFormError('请写下您想咨询的内容');
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      await sendCampaignFeedback(campaignId, {
        type: 'consultation',
        message: message.trim(),
        preferredContact: 'phone',
      });
      setSent(true);
    } catch (cause) {
      setFormError(cause instanceof ApiError ? cause.message : userMessage('INTERNAL'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="m-card">
      <Text className="m-title">想了解更多</Text>
      {sent ? (
        <Text>已收到，门店会电话联系您</Text>
      ) : (
        <>
          <Textarea
            className="campaign__textarea"
            value={message}
            maxlength={500}
            placeholder="想了解的项目或问题"
            onInput={(event) => setMessage(event.detail.value)}
          />
          <InlineError className="campaign__error" message={formError} />
          <ActionButton className="m-button" disabled={busy} onClick={() => void submit()}>
            请门店联系我
          </ActionButton>
        </>
      )}
    </View>
  );
}
