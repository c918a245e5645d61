import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { ActionButton, formatDateTime, formatFen, InlineError, PageShell, useAsync } from '@lumi/mini';
import type { Campaign, CampaignArmResult, CampaignResults } from '@lumi/shared';
import { cancelCampaign, getCampaign, getCampaignResults, scheduleCampaign } from '../../services/segmentation.ts';
import {
  audienceText,
  CAMPAIGN_STATUS_LABELS,
  CHANNEL_LABELS,
  capText,
  offerText,
  previewExample,
  scheduleText,
} from '../campaign-format.ts';
import { CampaignPreview } from '../campaign-preview.tsx';
import { rateText, returnUplift } from '../campaign-stats.ts';
import { decisionErrorMessage } from '../decision.ts';
import { ManagerOnly } from '../manager-only.tsx';
import { CampaignFeedbackCard } from './feedback.tsx';
import '../manager.scss';

async function load(id: string) {
  const campaign = await getCampaign(id);
  const results = campaign.startedAt ? await getCampaignResults(id) : null;
  return { campaign, results };
}

const SENDING_REFRESH_MS = 3_000;

const ROWS: { label: string; value: (arm: CampaignArmResult) => string }[] = [
  { label: '人数', value: (a) => String(a.customers) },
  { label: '送达', value: (a) => String(a.delivered) },
  { label: '打开', value: (a) => String(a.opened) },
  { label: '用券', value: (a) => String(a.couponsRedeemed) },
  { label: '回店', value: rateText },
  { label: '消费', value: (a) => formatFen(a.revenueFen) },
  { label: '人均', value: (a) => (a.revenuePerCustomerFen === null ? '—' : formatFen(a.revenuePerCustomerFen)) },
];

function Results({ results }: { results: CampaignResults }) {
  const uplift = returnUplift(results.treated, results.holdout);
  return (
    <View className="mg__card mg__results">
      <Text className="mg__title">效果（发送后 {results.returnWindowDays} 天内回店）</Text>
      <View className="mg__row">
        <Text className="mg__muted"> </Text>
        <Text className="mg__muted">活动组</Text>
        <Text className="mg__muted">对照组</Text>
      </View>
      {ROWS.map((row) => (
        <View key={row.label} className={`mg__row mg__arm-row mg__arm-row--${row.label}`}>
          <Text>{row.label}</Text>
          <Text className="mg__amount mg__treated">{row.value(results.treated)}</Text>
          <Text className="mg__amount mg__holdout">{row.value(results.holdout)}</Text>
        </View>
      ))}
      {results.holdout.customers > 0 ? (
        <View className="mg__muted mg__holdout-note">对照组按设计不发送消息和优惠券，用来对比活动组的回店率</View>
      ) : null}
      {uplift ? (
        // One fact a line: the uplift, how sure it is, and what the manager may conclude from it.
        <View className="mg__uplift">
          <View className="mg__title mg__uplift-points">
            回店率提升 {uplift.points > 0 ? '+' : ''}
            {uplift.points} 个百分点
          </View>
          <View className="mg__muted mg__uplift-range">
            95% 区间 {uplift.low} 至 {uplift.high} 个百分点
          </View>
          <View className={`mg__reason mg__verdict ${uplift.small ? 'mg__verdict--small' : ''}`}>{uplift.verdict}</View>
          {results.uplift.incrementalRevenueFen !== null ? (
            <View className="mg__muted mg__uplift-revenue">
              估算新增消费 {formatFen(results.uplift.incrementalRevenueFen)}（同样存在不确定性）
            </View>
          ) : null}
        </View>
      ) : (
        <Text className="mg__muted">没有对照组，无法衡量活动带来的提升</Text>
      )}
    </View>
  );
}

/**
 * Where the send job stands, for the two groups apart: the customers meant to get the offer (sent, waiting, not
 * delivered: failed, or skipped for consent, frequency cap or quiet hours), and the 对照组, who get nothing on purpose
 * and so are never "not delivered".
 */
function SendProgress({ progress }: { progress: Campaign['progress'] }) {
  return (
    <View className="mg__progress">
      <View className="mg__muted mg__progress-treated">
        活动组 {progress.recipients - progress.holdout} 人：已发 {progress.sent} · 待发 {progress.pending} · 未送达{' '}
        {progress.failed + progress.skipped}
      </View>
      <View className="mg__muted mg__progress-holdout">对照组 {progress.holdout} 人：按设计不发送</View>
    </View>
  );
}

/** The texts as a customer reads them; the stored ones keep the placeholders each customer gets filled in. */
function MessagePreview({ campaign }: { campaign: Campaign }) {
  const example = previewExample(undefined, campaign.offer.default);
  return (
    <View className="mg__card mg__campaign-texts">
      <Text className="mg__title">消息预览</Text>
      <Text className="mg__muted mg__campaign-example">示例：以 {example.name} 为例，发送时按每位顾客填入</Text>
      <CampaignPreview message={campaign.message} example={example} />
    </View>
  );
}

function CampaignDetail() {
  const id = useRouter().params.id ?? '';
  const { data, error, loading, reload, refresh } = useAsync(() => load(id), [id]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const status = data?.campaign.status;

  // While the send job works through the audience, the progress line follows it (not while it waits for its time).
  const due = !data?.campaign.scheduledAt || Date.parse(data.campaign.scheduledAt) <= Date.now();
  useEffect(() => {
    if (status !== 'sending' && !(status === 'scheduled' && due)) return;
    const timer = setTimeout(refresh, SENDING_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [status, data]);

  async function act(run: () => Promise<unknown>, done: string, failed: string) {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      await run();
      void Taro.showToast({ title: done, icon: 'none', duration: 2000 });
      reload();
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, failed));
    } finally {
      setBusy(false);
    }
  }
  const send = () => act(() => scheduleCampaign(id), '已开始发送', '发送失败，请重试');
  const cancel = () => act(() => cancelCampaign(id), '活动已取消', '取消失败，请重试');

  const campaign = data?.campaign;
  return (
    <PageShell loading={loading && !data} error={error} onRetry={reload} className="mg">
      {campaign && data ? (
        <>
          <View className="mg__card">
            <Text className="mg__title">
              {campaign.name} · {CAMPAIGN_STATUS_LABELS[campaign.status]}
            </Text>
            <Text className="mg__muted">客群：{audienceText(campaign.audience)}</Text>
            <Text className="mg__muted">{offerText(campaign.offer.default)}</Text>
            <Text className="mg__muted">
              渠道：{campaign.channels.map((c) => CHANNEL_LABELS[c]).join('、')} · 对照组{' '}
              {campaign.holdoutBasisPoints / 100}% ·{' '}
              {campaign.quietHours ? `${campaign.quietHours.start}–${campaign.quietHours.end} 免打扰` : '不设免打扰'}
            </Text>
            <Text className="mg__muted mg__campaign-cap">{capText(campaign.frequencyCap)}</Text>
            {campaign.startedAt ? (
              <Text className="mg__muted">发送于 {formatDateTime(campaign.startedAt)}</Text>
            ) : (
              <Text className="mg__muted mg__campaign-schedule">{scheduleText(campaign)}</Text>
            )}
            <SendProgress progress={campaign.progress} />
          </View>
          <MessagePreview campaign={campaign} />
          {campaign.status === 'draft' || (campaign.status === 'scheduled' && !due) ? (
            <>
              <ActionButton className="mg__send" type="primary" disabled={busy} onClick={() => void send()}>
                立即发送
              </ActionButton>
              <ActionButton className="mg__cancel-campaign" disabled={busy} onClick={() => void cancel()}>
                取消活动
              </ActionButton>
              <InlineError className="mg__error" message={problem} />
            </>
          ) : null}
          {data.results ? <Results results={data.results} /> : null}
          {data.results ? <CampaignFeedbackCard campaignId={id} survey={campaign.survey} /> : null}
        </>
      ) : null}
    </PageShell>
  );
}

export default function CampaignPage() {
  return (
    <ManagerOnly>
      <CampaignDetail />
    </ManagerOnly>
  );
}
