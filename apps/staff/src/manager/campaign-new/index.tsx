import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { ActionButton, InlineError, PageShell, parseYuanInput, todayInShanghai } from '@lumi/mini';
import {
  type CouponOffer,
  type CreateCampaignRequest,
  SEGMENT_CODES,
  SEGMENT_LABELS,
  type SegmentCode,
} from '@lumi/shared';
import { CAMPAIGN_PAGE } from '../../routes.ts';
import { countAudience, createCampaign } from '../../services/segmentation.ts';
import { offerText, previewText } from '../campaign-format.ts';
import { decisionErrorMessage } from '../decision.ts';
import { ManagerOnly } from '../manager-only.tsx';
import '../manager.scss';

const HOLDOUTS = [0, 1_000, 2_000, 3_000];
const BANNER = { title: '{name}，我们想您了', body: '{coupon} 已放入卡包，30 天内到店可用' };
const SMS = '{name}您好，好久不见！送您{coupon}，欢迎回店';
const EXAMPLE = { name: '林小雅', category: '面部护理' };
/** Shanghai time; a campaign due inside them waits until they end. */
const QUIET_HOURS = { start: '21:00', end: '09:00' };

/** The form's money fields as fen, or what is wrong with them. */
function offerOf(title: string, amount: string, minSpend: string, days: string): CouponOffer | string {
  const off = parseYuanInput(amount);
  const min = parseYuanInput(minSpend);
  if (!off.ok) return off.message;
  if (!min.ok) return min.message;
  if (off.fen <= 0) return '请填写减免金额';
  const validDays = Number(days);
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > 365) return '有效天数为 1–365 天';
  return {
    kind: 'amount_off',
    title: title.trim() || '回店礼',
    amountOffFen: off.fen,
    minSpendFen: min.fen,
    validDays,
  };
}

function NewCampaign() {
  const [name, setName] = useState(`唤醒活动 ${todayInShanghai().slice(5)}`);
  const [segments, setSegments] = useState<SegmentCode[]>(['at_risk', 'dormant']);
  const [count, setCount] = useState<number | null>(null);
  const [title, setTitle] = useState('回店礼');
  const [amount, setAmount] = useState('50');
  const [minSpend, setMinSpend] = useState('200');
  const [days, setDays] = useState('30');
  const [sms, setSms] = useState(true);
  const [holdout, setHoldout] = useState(2_000);
  const [quiet, setQuiet] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The live count: how many customers the chosen segments hold now.
  useEffect(() => {
    let current = true;
    setCount(null);
    if (segments.length === 0) return;
    countAudience(segments).then(
      (preview) => current && setCount(preview.count),
      () => current && setCount(null),
    );
    return () => {
      current = false;
    };
  }, [segments.join(',')]);

  const offer = offerOf(title, amount, minSpend, days);
  const coupon = typeof offer === 'string' ? '优惠券' : offer.title;
  const example = { ...EXAMPLE, coupon };
  const held = count === null ? null : Math.floor((count * holdout) / 10_000);

  async function create() {
    if (busy) return;
    if (segments.length === 0) return setProblem('请至少选择一个客群');
    if (typeof offer === 'string') return setProblem(offer);
    if (!name.trim()) return setProblem('请填写活动名称');
    const body: CreateCampaignRequest = {
      name: name.trim(),
      audience: { type: 'segments', segments },
      offer: { default: offer, byCategory: [] },
      message: { banner: BANNER, ...(sms ? { sms: { template: 'wakeup', text: SMS } } : {}) },
      channels: sms ? ['in_app', 'sms'] : ['in_app'],
      scheduledAt: null,
      quietHours: quiet ? QUIET_HOURS : null,
      frequencyCap: { maxMessages: 2, perDays: 30 },
      holdoutBasisPoints: holdout,
      returnWindowDays: 30,
      survey: null,
    };
    setBusy(true);
    setProblem(null);
    try {
      const created = await createCampaign(body);
      await Taro.redirectTo({ url: `${CAMPAIGN_PAGE}?id=${created.id}` });
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '创建失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  const toggle = (s: SegmentCode) =>
    setSegments((current) => (current.includes(s) ? current.filter((x) => x !== s) : [...current, s]));

  return (
    <PageShell className="mg">
      <View className="mg__card">
        <Text className="mg__title">活动名称</Text>
        <Input
          className="mg__input mg__campaign-name"
          maxlength={60}
          value={name}
          onInput={(e) => setName(e.detail.value)}
        />
        <Text className="mg__title">目标客群</Text>
        <View className="mg__chips">
          {SEGMENT_CODES.map((s) => (
            <Text
              key={s}
              className={`mg__chip mg__segment-${s} ${segments.includes(s) ? 'mg__chip--on' : ''}`}
              onClick={() => toggle(s)}
            >
              {SEGMENT_LABELS[s]}
            </Text>
          ))}
        </View>
        <Text className="mg__audience-count">
          {count === null ? '人数计算中…' : `共 ${count} 位顾客，其中约 ${held} 位作为对照组不发送`}
        </Text>
      </View>
      <View className="mg__card">
        <Text className="mg__title">优惠券</Text>
        <Input
          className="mg__input mg__offer-title"
          maxlength={30}
          value={title}
          onInput={(e) => setTitle(e.detail.value)}
        />
        <Text className="mg__muted">减免金额（元）</Text>
        <Input
          className="mg__input mg__offer-amount"
          type="digit"
          value={amount}
          onInput={(e) => setAmount(e.detail.value)}
        />
        <Text className="mg__muted">最低消费（元）</Text>
        <Input
          className="mg__input mg__offer-min"
          type="digit"
          value={minSpend}
          onInput={(e) => setMinSpend(e.detail.value)}
        />
        <Text className="mg__muted">有效天数</Text>
        <Input
          className="mg__input mg__offer-days"
          type="number"
          value={days}
          onInput={(e) => setDays(e.detail.value)}
        />
      </View>
      <View className="mg__card">
        <Text className="mg__title">渠道与对照组</Text>
        <View className="mg__chips">
          <Text className="mg__chip mg__chip--on">小程序横幅</Text>
          <Text className={`mg__chip mg__channel-sms ${sms ? 'mg__chip--on' : ''}`} onClick={() => setSms(!sms)}>
            短信
          </Text>
        </View>
        <View className="mg__chips">
          {HOLDOUTS.map((bp) => (
            <Text
              key={bp}
              className={`mg__chip mg__holdout-${bp} ${holdout === bp ? 'mg__chip--on' : ''}`}
              onClick={() => setHoldout(bp)}
            >
              对照组 {bp / 100}%
            </Text>
          ))}
        </View>
        <View className="mg__chips">
          <Text className={`mg__chip mg__quiet-on ${quiet ? 'mg__chip--on' : ''}`} onClick={() => setQuiet(true)}>
            {QUIET_HOURS.start}–{QUIET_HOURS.end} 免打扰
          </Text>
          <Text className={`mg__chip mg__quiet-off ${quiet ? '' : 'mg__chip--on'}`} onClick={() => setQuiet(false)}>
            随时发送
          </Text>
        </View>
        <Text className="mg__muted">
          对照组不收到消息和优惠，用来衡量活动带来的真实回店。
          {quiet ? `${QUIET_HOURS.start}–${QUIET_HOURS.end} 不发送，` : '不设免打扰时段，'}30 天内最多 2 条。
        </Text>
      </View>
      <View className="mg__card mg__preview">
        <Text className="mg__title">预览（以 {EXAMPLE.name} 为例）</Text>
        <Text className="mg__preview-title">{previewText(BANNER.title, example)}</Text>
        <Text className="mg__reason">{previewText(BANNER.body, example)}</Text>
        {sms ? <Text className="mg__muted">短信：{previewText(SMS, example)}</Text> : null}
        <Text className="mg__muted">{typeof offer === 'string' ? offer : offerText(offer)}</Text>
      </View>
      <ActionButton className="mg__create-campaign" type="primary" disabled={busy} onClick={() => void create()}>
        创建活动（稍后发送）
      </ActionButton>
      <InlineError className="mg__error" message={problem} />
    </PageShell>
  );
}

export default function NewCampaignPage() {
  return (
    <ManagerOnly>
      <NewCampaign />
    </ManagerOnly>
  );
}
