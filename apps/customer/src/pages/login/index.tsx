import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, ApiError, getMiniConfig, InlineError, loginCustomerWithWechat, PageShell } from '@lumi/mini';
import { HOME_PAGE } from '../../routes.ts';
import './index.scss';

// Decided at build time, so the weapp bundle carries no simulator code.
const IS_H5 = process.env.TARO_ENV === 'h5';

export default function LoginPage() {
  const [openid, setOpenid] = useState(() => getMiniConfig().demoOpenid);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleLogin() {
    setBusy(true);
    setError(null);
    try {
      await loginCustomerWithWechat({ openid: IS_H5 ? openid.trim() : undefined, toast: false });
      await Taro.reLaunch({ url: HOME_PAGE });
    } catch (cause) {
      setError(cause instanceof ApiError ? cause.message : '登录失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageShell className="login">
      <Text className="login__title">欢迎光临</Text>
      <Text className="login__subtitle">登录后查看储值余额、积分、次卡和账单</Text>
      {IS_H5 ? (
        <View className="login__sim">
          <Text className="login__label">模拟微信用户 openid</Text>
          <Input
            className="login__openid"
            value={openid}
            onInput={(event) => setOpenid(event.detail.value)}
            placeholder="demo-customer-001"
          />
        </View>
      ) : null}
      {/* ActionButton: Taro's own Button looks loading/disabled on H5 even when both are false. */}
      <ActionButton className="login__submit" type="primary" loading={busy} disabled={busy} onClick={handleLogin}>
        {IS_H5 ? '微信一键登录（模拟）' : '微信一键登录'}
      </ActionButton>
      <InlineError className="login__error" message={error} />
    </PageShell>
  );
}
