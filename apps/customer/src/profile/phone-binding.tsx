import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, ApiError, InlineError, simulatedPhoneCode } from '@lumi/mini';
import { bindPhone } from '../services/profile.ts';

// Decided at build time, so the weapp bundle carries no simulator code.
const IS_H5 = process.env.TARO_ENV === 'h5';

/**
 * 绑定手机号 with WeChat's getPhoneNumber: WeChat shows the number it holds and hands the page a one-time code
 * the API exchanges. In H5 (tests, the demo) the simulator issues the code for a number typed here.
 */
export function PhoneBinding({ onBound }: { onBound: (merged: boolean) => void }) {
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function bind(code: () => Promise<string>) {
    setBusy(true);
    setError(null);
    try {
      const binding = await bindPhone(await code());
      void Taro.showToast({ title: binding.merged ? '已关联门店会员资料' : '手机号已绑定', icon: 'success' });
      onBound(binding.merged);
    } catch (cause) {
      setError(cause instanceof ApiError ? cause.message : '绑定失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="phone-binding">
      <Text className="m-meta">绑定手机号后，在门店登记过的会员资料会自动关联</Text>
      {IS_H5 ? (
        <>
          <Input
            className="phone-binding__input"
            type="number"
            value={phone}
            maxlength={11}
            placeholder="模拟微信手机号"
            onInput={(event) => setPhone(event.detail.value)}
          />
          <ActionButton
            className="m-button"
            type="primary"
            disabled={busy || !/^1\d{10}$/.test(phone)}
            onClick={() => void bind(() => simulatedPhoneCode(phone))}
          >
            微信手机号授权（模拟）
          </ActionButton>
        </>
      ) : (
        <Button
          className="m-button"
          type="primary"
          openType="getPhoneNumber"
          disabled={busy}
          onGetPhoneNumber={(event) => {
            const code = event.detail.code;
            // No code: she declined, or the mini-program is not allowed the number; nothing to say.
            if (code) void bind(async () => code);
          }}
        >
          微信手机号一键绑定
        </Button>
      )}
      <InlineError className="phone-binding__error" message={error} />
    </View>
  );
}
