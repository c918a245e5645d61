import { Text, View } from '@tarojs/components';
import {
  SEGMENT_CODES,
  SEGMENT_LABELS,
  type GroupPreview,
  type SegmentCode,
  type Store,
  type TierLevel,
} from '@lumi/shared';
import type { GroupFilters } from './form.ts';
import { FormInput } from './form-input.tsx';

export type AudienceMode = 'segments' | 'custom';

interface Props {
  mode: AudienceMode;
  onMode(mode: AudienceMode): void;
  segments: SegmentCode[];
  onSegments(segments: SegmentCode[]): void;
  filters: GroupFilters;
  onFilters(filters: GroupFilters): void;
  tiers: TierLevel[];
  stores: Store[];
  /** The live count (null while counting), with those at the frequency cap. */
  preview: GroupPreview | null;
  holdoutBasisPoints: number;
}

const toggled = <T,>(list: T[], value: T) =>
  list.includes(value) ? list.filter((x) => x !== value) : [...list, value];

function Chips<T extends string | null>(p: {
  block: string;
  options: { value: T; label: string }[];
  chosen: T[];
  onChange(chosen: T[]): void;
}) {
  return (
    <View className="mg__chips">
      {p.options.map((o) => (
        <Text
          key={o.value ?? 'none'}
          className={`mg__chip ${p.block}-${o.value ?? 'none'} ${p.chosen.includes(o.value) ? 'mg__chip--on' : ''}`}
          onClick={() => p.onChange(toggled(p.chosen, o.value))}
        >
          {o.label}
        </Text>
      ))}
    </View>
  );
}

const SPEND_BOUNDS = [
  ['spendMin', 'mg__filter-spend-min', '不低于'],
  ['spendMax', 'mg__filter-spend-max', '不高于'],
] as const;

const segmentOptions = SEGMENT_CODES.map((s) => ({ value: s, label: SEGMENT_LABELS[s] }));

/** 目标客群: whole RFM segments, or a custom group of filters; the live count says who gets what. */
export function AudienceCard(p: Props) {
  const f = p.filters;
  const set = (patch: Partial<GroupFilters>) => p.onFilters({ ...f, ...patch });
  const count = p.preview?.count ?? null;
  const capped = p.preview?.capped;
  return (
    <View className="mg__card">
      <Text className="mg__title">目标客群</Text>
      <View className="mg__chips">
        <Text
          className={`mg__chip mg__audience-segments ${p.mode === 'segments' ? 'mg__chip--on' : ''}`}
          onClick={() => p.onMode('segments')}
        >
          按客群
        </Text>
        <Text
          className={`mg__chip mg__audience-custom ${p.mode === 'custom' ? 'mg__chip--on' : ''}`}
          onClick={() => p.onMode('custom')}
        >
          自定义条件
        </Text>
      </View>
      {p.mode === 'segments' ? (
        <Chips block="mg__segment" options={segmentOptions} chosen={p.segments} onChange={p.onSegments} />
      ) : (
        <View className="mg__filters">
          <Text className="mg__muted">客群（不选为不限）</Text>
          <Chips
            block="mg__filter-segment"
            options={segmentOptions}
            chosen={f.segments}
            onChange={(segments) => set({ segments })}
          />
          <Text className="mg__muted">会员等级</Text>
          <Chips
            block="mg__filter-tier"
            options={[
              ...p.tiers.map((t) => ({ value: t.id as string | null, label: t.name })),
              { value: null, label: '无等级' },
            ]}
            chosen={f.tierIds}
            onChange={(tierIds) => set({ tierIds })}
          />
          {p.stores.length > 1 ? (
            <>
              <Text className="mg__muted">所属门店</Text>
              <Chips
                block="mg__filter-store"
                options={p.stores.map((s) => ({ value: s.id, label: s.name }))}
                chosen={f.storeIds}
                onChange={(storeIds) => set({ storeIds })}
              />
            </>
          ) : null}
          <Text className="mg__muted">最近到店在多少天前（含更早）</Text>
          <FormInput
            block="mg__filter-days"
            type="number"
            placeholder="如 60"
            value={f.lastVisitDaysAgo}
            onValue={(v) => set({ lastVisitDaysAgo: v })}
          />
          <Text className="mg__muted">一年内消费（元）</Text>
          <View className="mg__row">
            {SPEND_BOUNDS.map(([key, block, placeholder]) => (
              <FormInput
                key={key}
                block={block}
                type="digit"
                placeholder={placeholder}
                value={f[key]}
                onValue={(v) => set({ [key]: v })}
              />
            ))}
          </View>
        </View>
      )}
      <Text className="mg__audience-count">
        {count === null
          ? '人数计算中…'
          : `共 ${count} 位顾客，其中约 ${Math.floor((count * p.holdoutBasisPoints) / 10_000)} 位作为对照组不发送`}
      </Text>
      {capped && capped.count > 0 ? (
        <View className="mg__capped">
          <Text className="mg__muted mg__capped-count">
            {capped.count} 位已达发送频次上限，不会收到消息：
            {capped.sample.map((m) => m.name ?? '未命名').join('、')}
            {capped.count > capped.sample.length ? ' 等' : ''}
          </Text>
        </View>
      ) : null}
    </View>
  );
}
