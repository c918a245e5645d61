import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, InlineError, useAsync } from '@lumi/mini';
import type { BrandSettings } from '@lumi/shared';
import { getBrandSettings, updateBrandSettings } from '../../services/settings.ts';
import { decisionErrorMessage } from '../decision.ts';
import './brand-card.scss';

/** A few colours that read well on white in both customer builds; any #rrggbb may be typed instead. */
const SUGGESTED = ['#a97c50', '#c2185b', '#8e24aa', '#2e7d32', '#00838f', '#37474f'];
const HEX = /^#[0-9a-fA-F]{6}$/;

/** 设置 → 品牌: what customers see of the salon in the customer mini-program (its own load and save). */
export function BrandCard() {
  const { data, error } = useAsync(getBrandSettings);
  if (error) return <InlineError className="mg__error" message="品牌设置加载失败" />;
  return data ? <BrandForm brand={data} /> : null;
}

function BrandForm({ brand }: { brand: BrandSettings }) {
  const [color, setColor] = useState(brand.color);
  const [name, setName] = useState(brand.name ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const valid = HEX.test(color.trim());

  async function save() {
    if (!valid) return setProblem('颜色应为 #RRGGBB，例如 #a97c50');
    if (name.trim().length > 20) return setProblem('显示名称最多 20 个字');
    setBusy(true);
    setProblem(null);
    try {
      await updateBrandSettings({ color: color.trim(), name: name.trim() === '' ? null : name.trim() });
      void Taro.showToast({ title: '品牌已保存', icon: 'none', duration: 2000 });
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '保存失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="mg__card brand-card">
      <Text className="mg__title">品牌（顾客小程序）</Text>
      <Text className="mg__muted">主题色</Text>
      <View className="brand-card__row">
        <View className="brand-card__swatch" style={{ background: valid ? color.trim() : '#ffffff' }} />
        <Input className="mg__input brand-card__color" value={color} onInput={(e) => setColor(e.detail.value)} />
      </View>
      <View className="mg__chips">
        {SUGGESTED.map((c) => (
          <View
            key={c}
            className={`brand-card__preset brand-card__preset-${c.slice(1)} ${c === color ? 'brand-card__preset--on' : ''}`}
            style={{ background: c }}
            onClick={() => setColor(c)}
          />
        ))}
      </View>
      <Text className="mg__muted">顾客看到的店名（留空：用注册名称）</Text>
      <Input
        className="mg__input brand-card__name"
        value={name}
        maxlength={20}
        onInput={(e) => setName(e.detail.value)}
      />
      <ActionButton className="brand-card__save" disabled={busy} onClick={() => void save()}>
        保存品牌（记入审计）
      </ActionButton>
      <InlineError className="mg__error" message={problem} />
    </View>
  );
}
