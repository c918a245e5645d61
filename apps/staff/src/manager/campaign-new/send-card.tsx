import { Text, View } from '@tarojs/components';
import { insideQuietHours } from './form.ts';
import { FormInput } from './form-input.tsx';

/** Shanghai time; a campaign due inside them waits until they end. */
export const QUIET_HOURS = { start: '21:00', end: '09:00' };
const HOLDOUTS = [0, 1_000, 2_000, 3_000];

export interface SendSettings {
  /** Created as a draft to send from its page, or scheduled for a date and time (Shanghai). */
  timing: 'later' | 'scheduled';
  date: string;
  time: string;
  quiet: boolean;
  capMessages: string;
  capDays: string;
  holdoutBasisPoints: number;
}

interface Props {
  value: SendSettings;
  onChange(value: SendSettings): void;
}

/** 发送设置: when, quiet hours, the frequency cap and the holdout share. */
export function SendCard({ value: v, onChange }: Props) {
  const set = (patch: Partial<SendSettings>) => onChange({ ...v, ...patch });
  const chip = (block: string, on: boolean, label: string, patch: Partial<SendSettings>) => (
    <Text key={block} className={`mg__chip ${block} ${on ? 'mg__chip--on' : ''}`} onClick={() => set(patch)}>
      {label}
    </Text>
  );
  const waits =
    v.timing === 'scheduled' && v.quiet && /^\d{2}:\d{2}$/.test(v.time) && insideQuietHours(v.time, QUIET_HOURS);
  return (
    <View className="mg__card">
      <Text className="mg__title">发送设置</Text>
      <View className="mg__chips">
        {chip('mg__timing-later', v.timing === 'later', '稍后手动发送', { timing: 'later' })}
        {chip('mg__timing-scheduled', v.timing === 'scheduled', '定时发送', { timing: 'scheduled' })}
      </View>
      {v.timing === 'scheduled' ? (
        <View className="mg__row">
          <FormInput block="mg__send-date" placeholder="2026-05-01" value={v.date} onValue={(date) => set({ date })} />
          <FormInput block="mg__send-time" placeholder="10:00" value={v.time} onValue={(time) => set({ time })} />
        </View>
      ) : null}
      {waits ? (
        <Text className="mg__muted mg__send-waits">该时间在免打扰时段内，将于 {QUIET_HOURS.end} 开始发送</Text>
      ) : null}
      <View className="mg__chips">
        {chip('mg__quiet-on', v.quiet, `${QUIET_HOURS.start}–${QUIET_HOURS.end} 免打扰`, { quiet: true })}
        {chip('mg__quiet-off', !v.quiet, '随时发送', { quiet: false })}
      </View>
      <Text className="mg__muted">发送频次上限</Text>
      <View className="mg__cap">
        <Text>每位顾客</Text>
        <FormInput
          block="mg__cap-field mg__cap-days"
          type="number"
          value={v.capDays}
          onValue={(capDays) => set({ capDays })}
        />
        <Text>天内最多收到</Text>
        <FormInput
          block="mg__cap-field mg__cap-messages"
          type="number"
          value={v.capMessages}
          onValue={(capMessages) => set({ capMessages })}
        />
        <Text>条活动消息</Text>
      </View>
      <View className="mg__chips">
        {HOLDOUTS.map((bp) =>
          chip(`mg__holdout-${bp}`, v.holdoutBasisPoints === bp, `对照组 ${bp / 100}%`, { holdoutBasisPoints: bp }),
        )}
      </View>
      <Text className="mg__muted">
        对照组不收到消息和优惠，用来衡量活动带来的真实回店。
        {v.quiet ? `${QUIET_HOURS.start}–${QUIET_HOURS.end} 不发送，` : '不设免打扰时段，'}
        {v.capDays} 天内最多 {v.capMessages} 条。
      </Text>
    </View>
  );
}
