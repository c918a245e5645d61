import { Picker, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { ActionButton, ApiError, InlineError, PageShell, todayInShanghai } from '@lumi/mini';
import { deliverStatement, type StatementFormat } from '../statement-file.ts';
import './index.scss';

/** The first day of the month, a month ago: the range most customers want (last month and this). */
function monthAgo(today: string): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const month = m === 1 ? 12 : m - 1;
  const year = m === 1 ? y - 1 : y;
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

export default function StatementPage() {
  // Read here, not when the module loads, so a test can render the WeChat build's page too.
  const isH5 = process.env.TARO_ENV === 'h5';
  const today = todayInShanghai();
  const [from, setFrom] = useState(() => monthAgo(today));
  const [to, setTo] = useState(today);
  const [busy, setBusy] = useState<StatementFormat | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function get(format: StatementFormat) {
    if (busy) return;
    if (from > to) {
      setError('开始日期不能晚于结束日期');
      return;
    }
    setBusy(format);
    setError(null);
    try {
      await deliverStatement(from, to, format);
    } catch (cause) {
      setError(cause instanceof ApiError ? cause.message : '导出失败，请稍后重试');
    } finally {
      setBusy(null);
    }
  }

  return (
    <PageShell className="statement m-page">
      <View className="m-card">
        <Text className="m-title">选择日期</Text>
        <Picker mode="date" value={from} end={today} onChange={(e) => setFrom(e.detail.value)}>
          <View className="m-row m-row--link">
            <Text>开始日期</Text>
            <Text className="statement__date">{from}</Text>
          </View>
        </Picker>
        <Picker mode="date" value={to} end={today} onChange={(e) => setTo(e.detail.value)}>
          <View className="m-row m-row--link">
            <Text>结束日期</Text>
            <Text className="statement__date">{to}</Text>
          </View>
        </Picker>
        <InlineError className="statement__error" message={error} />
        {isH5 ? (
          <ActionButton className="m-button" type="primary" disabled={busy !== null} onClick={() => void get('html')}>
            {busy === 'html' ? '正在生成…' : '打开可打印对账单'}
          </ActionButton>
        ) : null}
        <ActionButton className="m-button" disabled={busy !== null} onClick={() => void get('csv')}>
          {busy === 'csv' ? '正在生成…' : isH5 ? '下载 CSV' : '保存 CSV（发送到文件传输助手）'}
        </ActionButton>
        <Text className="m-meta statement__note">对账单包含该期间的储值、积分、次卡与挂账变动。</Text>
      </View>
    </PageShell>
  );
}
