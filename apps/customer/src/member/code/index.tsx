import { Text, View } from '@tarojs/components';
import { useDidHide, useDidShow } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { formatDateTime, PageShell, QrCode, useAsync, useRefreshOnReturn } from '@lumi/mini';
import { ME_PAGE } from '../../routes.ts';
import { createMemberCode } from '../../services/member-code.ts';
import { refreshDelay } from '../refresh.ts';
import './index.scss';

/**
 * 会员码: the beautician scans it at the till. The token expires within minutes, so the page fetches a new
 * one shortly before, and again whenever the customer comes back to the page; hidden, it stops asking.
 */
export default function MemberCodePage() {
  const { data, error, loading, reload, refresh } = useAsync(createMemberCode);
  const [visible, setVisible] = useState(true);
  useDidShow(() => setVisible(true));
  useDidHide(() => setVisible(false));
  // Back on the page (from WeChat's background, or another page), the code may have expired meanwhile.
  useRefreshOnReturn(refresh);

  useEffect(() => {
    if (!data || !visible) return;
    const timer = setTimeout(refresh, refreshDelay(data.expiresAt, Date.now()));
    return () => clearTimeout(timer);
  }, [data, visible, refresh]);

  return (
    <PageShell
      loading={loading && !data}
      error={error}
      onRetry={reload}
      backTo={ME_PAGE}
      className="member-code m-page"
    >
      {data ? (
        <View className="m-card member-code__card">
          <Text className="m-title">请向美容师出示</Text>
          <QrCode value={data.code} className="member-code__qr" />
          <Text className="m-meta">二维码定时自动刷新，截图无效</Text>
          <Text className="m-meta">本码有效至 {formatDateTime(data.expiresAt)}</Text>
        </View>
      ) : null}
    </PageShell>
  );
}
