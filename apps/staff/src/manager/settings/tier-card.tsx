import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, InlineError, useAsync } from '@lumi/mini';
import type { TierProgram } from '@lumi/shared';
import { getTierProgram, putTierProgram } from '../../services/settings.ts';
import { decisionErrorMessage } from '../decision.ts';
import { emptyLevel, type LevelDraft, levelDrafts, MAX_LEVELS, readLadder } from './tier-form.ts';
import './tier-card.scss';

/** 设置 → 会员等级: the ladder of levels, what reaches each and what each gives (its own load and save). */
export function TierCard() {
  const { data, error } = useAsync(getTierProgram);
  if (error) return <InlineError className="mg__error" message="会员等级加载失败" />;
  return data ? <TierForm program={data} /> : null;
}

function TierForm({ program }: { program: TierProgram }) {
  const [basis, setBasis] = useState(program.basis);
  const [windowDays, setWindowDays] = useState(String(program.windowDays));
  const [levels, setLevels] = useState<LevelDraft[]>(levelDrafts(program));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const change = (i: number, field: keyof LevelDraft, value: string) =>
    setLevels(levels.map((l, j) => (j === i ? { ...l, [field]: value } : l)));

  async function save() {
    const read = readLadder(basis, windowDays, levels);
    if (!read.ok) return setProblem(read.message);
    setBusy(true);
    setProblem(null);
    try {
      // Fresh ids for new levels come back, so a second save updates rather than adds them again.
      setLevels(levelDrafts(await putTierProgram(read.program)));
      void Taro.showToast({ title: '会员等级已保存', icon: 'none', duration: 2000 });
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '保存失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  const input = (i: number, field: keyof LevelDraft, label: string, type: 'text' | 'digit' = 'digit') => (
    <View className="tier-ladder__field">
      <Text className="mg__muted">{label}</Text>
      <Input
        className={`mg__input tier-ladder__${field}`}
        type={type}
        value={levels[i]?.[field] ?? ''}
        onInput={(e) => change(i, field, e.detail.value)}
      />
    </View>
  );

  return (
    <View className="mg__card tier-ladder">
      <Text className="mg__title">会员等级</Text>
      <Text className="mg__muted">按统计期内的金额定级（每晚重新计算）</Text>
      <View className="mg__chips">
        <Text
          className={`mg__chip tier-ladder__basis-spend ${basis === 'spend' ? 'mg__chip--on' : ''}`}
          onClick={() => setBasis('spend')}
        >
          按消费
        </Text>
        <Text
          className={`mg__chip tier-ladder__basis-top-up ${basis === 'top_up' ? 'mg__chip--on' : ''}`}
          onClick={() => setBasis('top_up')}
        >
          按充值
        </Text>
      </View>
      <Text className="mg__muted">统计天数</Text>
      <Input
        className="mg__input tier-ladder__window"
        type="number"
        value={windowDays}
        onInput={(e) => setWindowDays(e.detail.value)}
      />
      {levels.map((level, i) => (
        <View key={level.id ?? `new-${i}`} className="tier-ladder__level">
          <Text className="tier-ladder__rank">第 {i + 1} 级</Text>
          <View className="tier-ladder__row">
            {input(i, 'name', '名称', 'text')}
            {input(i, 'threshold', '门槛（元）')}
          </View>
          <View className="tier-ladder__row">
            {input(i, 'discountPercent', '优惠（%）')}
            {input(i, 'multiplierPercent', '积分倍数（%）')}
          </View>
          <Text className="mg__chip tier-ladder__remove" onClick={() => setLevels(levels.filter((_, j) => j !== i))}>
            删除此级
          </Text>
        </View>
      ))}
      <View className="mg__actions">
        {levels.length < MAX_LEVELS ? (
          <ActionButton className="tier-ladder__add" onClick={() => setLevels([...levels, emptyLevel()])}>
            添加等级
          </ActionButton>
        ) : null}
        <ActionButton className="tier-ladder__save" type="primary" disabled={busy} onClick={() => void save()}>
          保存等级（记入审计）
        </ActionButton>
      </View>
      <InlineError className="mg__error" message={problem} />
    </View>
  );
}
