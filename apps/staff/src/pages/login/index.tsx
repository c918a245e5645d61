import { Input, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, ApiError, InlineError, loginStaffWithPassword, PageShell } from '@lumi/mini';
import { HOME_PAGE } from '../../routes.ts';
import './index.scss';

// Same rule as @lumi/shared's PhoneSchema; checked here so a typo never costs a login attempt
// (the API locks an account after repeated failures).
const PHONE = /^1\d{10}$/;

export default function LoginPage() {
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleSubmit() {
    const trimmedPhone = phone.trim();
    if (!PHONE.test(trimmedPhone)) {
      setError('请输入 11 位手机号');
      return;
    }
    if (!password) {
      setError('请输入密码');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // The page shows the error next to the form, so no toast.
      await loginStaffWithPassword({ phone: trimmedPhone, password }, { toast: false });
      await Taro.reLaunch({ url: HOME_PAGE });
    } catch (cause) {
      setError(cause instanceof ApiError ? cause.message : '登录失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageShell className="login">
      <Text className="login__title">员工登录</Text>
      <Input
        className="login__input login__phone"
        type="number"
        maxlength={11}
        placeholder="手机号"
        value={phone}
        onInput={(event) => setPhone(event.detail.value)}
      />
      <Input
        className="login__input login__password"
        password
        placeholder="密码"
        value={password}
        onInput={(event) => setPassword(event.detail.value)}
        onConfirm={handleSubmit}
      />
      {/* ActionButton: Taro's own Button looks loading/disabled on H5 even when both are false. */}
      <ActionButton className="login__submit" type="primary" loading={busy} disabled={busy} onClick={handleSubmit}>
        登录
      </ActionButton>
      <InlineError className="login__error" message={error} />
    </PageShell>
  );
}
