import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, ApiError, InlineError } from '@lumi/mini';
import type { CustomerSource, CustomerSummary, Gender } from '@lumi/shared';
import { CUSTOMER_CARD_PAGE } from '../../routes.ts';
import { registerCustomer } from '../../services/front-desk.ts';
import '../front-desk.scss';

const GENDERS: [Gender, string][] = [
  ['female', '女'],
  ['male', '男'],
  ['unknown', '不填'],
];

const SOURCES: [CustomerSource, string][] = [
  ['walk_in', '路过进店'],
  ['referral', '朋友介绍'],
  ['meituan', '美团/大众点评'],
  ['douyin', '抖音'],
  ['xiaohongshu', '小红书'],
  ['other', '其他'],
];

const PHONE = /^1\d{10}$/;
const BIRTHDAY = /^\d{4}-\d{2}-\d{2}$/;

/** The customer who already has the phone, from a 409 CUSTOMER_PHONE_TAKEN. */
function existingOf(error: unknown): CustomerSummary | null {
  if (!(error instanceof ApiError) || error.code !== 'CUSTOMER_PHONE_TAKEN') return null;
  return (error.details as { customer?: CustomerSummary } | null)?.customer ?? null;
}

/** 登记新顾客: a walk-in or someone new, with what she agreed to; then straight to her card. */
export default function RegisterPage() {
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [gender, setGender] = useState<Gender>('female');
  const [birthday, setBirthday] = useState('');
  const [source, setSource] = useState<CustomerSource>('walk_in');
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [existing, setExisting] = useState<CustomerSummary | null>(null);

  async function submit() {
    if (busy) return;
    setExisting(null);
    if (!PHONE.test(phone.trim())) return setError('请输入11位手机号');
    if (!name.trim()) return setError('请输入顾客姓名');
    if (birthday.trim() && !BIRTHDAY.test(birthday.trim())) return setError('生日格式：1990-05-20');
    setError(null);
    setBusy(true);
    try {
      const customer = await registerCustomer({
        phone: phone.trim(),
        name: name.trim(),
        gender,
        source,
        marketingConsent: consent,
        ...(birthday.trim() ? { birthday: birthday.trim() } : {}),
      });
      await Taro.redirectTo({ url: `${CUSTOMER_CARD_PAGE}?id=${customer.id}` });
    } catch (failure) {
      setExisting(existingOf(failure));
      setError(failure instanceof ApiError ? failure.message : '登记失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="lumi-page fd">
      <View className="fd__card">
        <Text className="fd__label">手机号</Text>
        <Input
          className="fd__input fd__phone"
          type="number"
          maxlength={11}
          placeholder="11位手机号"
          value={phone}
          onInput={(event) => setPhone(event.detail.value)}
        />
        <Text className="fd__label">姓名</Text>
        <Input
          className="fd__input fd__name"
          maxlength={30}
          placeholder="顾客姓名"
          value={name}
          onInput={(event) => setName(event.detail.value)}
        />
        <Text className="fd__label">性别</Text>
        <View className="fd__chips">
          {GENDERS.map(([value, label]) => (
            <Text
              key={value}
              className={`fd__chip${gender === value ? ' fd__chip--on' : ''}`}
              onClick={() => setGender(value)}
            >
              {label}
            </Text>
          ))}
        </View>
        <Text className="fd__label">生日（选填）</Text>
        <Input
          className="fd__input fd__birthday"
          maxlength={10}
          placeholder="例如 1990-05-20"
          value={birthday}
          onInput={(event) => setBirthday(event.detail.value)}
        />
        <Text className="fd__label">来源</Text>
        <View className="fd__chips">
          {SOURCES.map(([value, label]) => (
            <Text
              key={value}
              className={`fd__chip${source === value ? ' fd__chip--on' : ''}`}
              onClick={() => setSource(value)}
            >
              {label}
            </Text>
          ))}
        </View>
        <Text className="fd__label">营销消息</Text>
        <View className="fd__chips">
          <Text
            className={`fd__chip fd__consent${consent ? ' fd__chip--on' : ''}`}
            onClick={() => setConsent(!consent)}
          >
            {consent ? '✓ 顾客同意接收优惠活动消息' : '顾客同意接收优惠活动消息'}
          </Text>
        </View>
        <InlineError className="fd__error" message={error} />
        {existing ? (
          <View
            className="fd__row fd__existing"
            onClick={() => void Taro.redirectTo({ url: `${CUSTOMER_CARD_PAGE}?id=${existing.id}` })}
          >
            <Text>
              {existing.name ?? '未填写姓名'} · {existing.phone}
            </Text>
            <Text className="fd__link">打开会员卡 ›</Text>
          </View>
        ) : null}
      </View>
      <View className="fd__submit">
        <ActionButton type="primary" disabled={busy} onClick={() => void submit()}>
          {busy ? '登记中…' : '登记'}
        </ActionButton>
      </View>
    </View>
  );
}
