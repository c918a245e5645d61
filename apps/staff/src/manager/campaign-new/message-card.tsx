import { Text, Textarea, View } from '@tarojs/components';
import type { CampaignChannel, CampaignMessage } from '@lumi/shared';
import { CHANNEL_LABELS, type PreviewExample } from '../campaign-format.ts';
import { CampaignPreview } from '../campaign-preview.tsx';

/** What the manager writes: the banner, the SMS and the two lines of the subscribe message. */
export interface MessageTexts {
  bannerTitle: string;
  bannerBody: string;
  sms: string;
  wechatTitle: string;
  wechatBody: string;
}

export const DEFAULT_TEXTS: MessageTexts = {
  bannerTitle: '{name}，我们想您了',
  bannerBody: '{coupon} 已放入卡包，30 天内到店可用',
  sms: '{name}您好，好久不见！送您{coupon}，欢迎回店',
  wechatTitle: '{coupon}',
  wechatBody: '{name}，好久不见，欢迎回店',
};

export const CHANNELS: CampaignChannel[] = ['in_app', 'wechat', 'sms'];

/** The message of each chosen channel (the subscribe message uses the salon's campaign template). */
export function messageOf(texts: MessageTexts, channels: CampaignChannel[]): CampaignMessage {
  return {
    ...(channels.includes('in_app')
      ? { banner: { title: texts.bannerTitle.trim(), body: texts.bannerBody.trim() } }
      : {}),
    ...(channels.includes('sms') ? { sms: { template: 'wakeup', text: texts.sms.trim() } } : {}),
    ...(channels.includes('wechat')
      ? { wechat: { data: { thing1: texts.wechatTitle.trim(), thing2: texts.wechatBody.trim() } } }
      : {}),
  };
}

/** An empty text of a chosen channel, in words; null when every chosen channel has its text. */
export function missingText(texts: MessageTexts, channels: CampaignChannel[]): string | null {
  if (channels.length === 0) return '请至少选择一个渠道';
  if (channels.includes('in_app') && (!texts.bannerTitle.trim() || !texts.bannerBody.trim()))
    return '请填写横幅标题和内容';
  if (channels.includes('sms') && !texts.sms.trim()) return '请填写短信内容';
  if (channels.includes('wechat') && (!texts.wechatTitle.trim() || !texts.wechatBody.trim()))
    return '请填写订阅消息内容';
  return null;
}

interface Props {
  channels: CampaignChannel[];
  onChannels(channels: CampaignChannel[]): void;
  texts: MessageTexts;
  onTexts(texts: MessageTexts): void;
  /** Whose name and coupon the preview shows. */
  example: PreviewExample;
}

/** The texts each channel needs, in the order they are written. */
const FIELDS: Record<CampaignChannel, { key: keyof MessageTexts; block: string; label: string; max: number }[]> = {
  in_app: [
    { key: 'bannerTitle', block: 'mg__banner-title', label: '横幅标题', max: 30 },
    { key: 'bannerBody', block: 'mg__banner-body', label: '横幅内容', max: 300 },
  ],
  wechat: [
    { key: 'wechatTitle', block: 'mg__wechat-title', label: '订阅消息·优惠', max: 100 },
    { key: 'wechatBody', block: 'mg__wechat-body', label: '订阅消息·提示', max: 100 },
  ],
  sms: [{ key: 'sms', block: 'mg__sms-text', label: '短信内容', max: 300 }],
};

function Field(p: { block: string; label: string; value: string; max: number; onInput(value: string): void }) {
  return (
    <>
      <Text className="mg__muted">{p.label}</Text>
      <Textarea
        className={`mg__input mg__text ${p.block}`}
        maxlength={p.max}
        autoHeight
        value={p.value}
        onInput={(e) => p.onInput(e.detail.value)}
      />
    </>
  );
}

/** 渠道与文案: which channels, each one's text with {name} {coupon} {category}, and how a customer reads it. */
export function MessageCard(p: Props) {
  const t = p.texts;
  const set = (patch: Partial<MessageTexts>) => p.onTexts({ ...t, ...patch });
  const on = (c: CampaignChannel) => p.channels.includes(c);
  return (
    <>
      <View className="mg__card">
        <Text className="mg__title">渠道与文案</Text>
        <View className="mg__chips">
          {CHANNELS.map((c) => (
            <Text
              key={c}
              className={`mg__chip mg__channel-${c} ${on(c) ? 'mg__chip--on' : ''}`}
              onClick={() => p.onChannels(on(c) ? p.channels.filter((x) => x !== c) : [...p.channels, c])}
            >
              {CHANNEL_LABELS[c]}
            </Text>
          ))}
        </View>
        <Text className="mg__muted">
          可用 {'{name}'} 顾客姓名、{'{coupon}'} 优惠券、{'{category}'} 常做项目
        </Text>
        {CHANNELS.filter(on).flatMap((c) =>
          FIELDS[c].map(({ key, ...f }) => (
            <Field key={key} {...f} value={t[key]} onInput={(v) => set({ [key]: v })} />
          )),
        )}
        {on('wechat') ? (
          <Text className="mg__muted">订阅消息仅发给已在小程序订阅活动消息的顾客；每项最多显示 20 字</Text>
        ) : null}
      </View>
      <View className="mg__card mg__preview">
        <Text className="mg__title">预览（以 {p.example.name} 为例）</Text>
        <CampaignPreview message={messageOf(t, p.channels)} example={p.example} />
      </View>
    </>
  );
}
