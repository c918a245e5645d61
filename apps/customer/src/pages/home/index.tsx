import { Button, Text, View } from '@tarojs/components';
import { formatChineseDate, logout, PageShell, useAsync } from '@lumi/mini';
import { getMyProfile } from '../../services/profile.ts';
import './index.scss';

export default function HomePage() {
  const { data: profile, error, loading, reload } = useAsync(getMyProfile);

  return (
    <PageShell loading={loading} error={error} onRetry={reload} className="home">
      {profile ? (
        <View className="home__card">
          <Text className="home__tenant">{profile.tenantName}</Text>
          <Text className="home__greeting">您好，{profile.name ?? '新会员'}</Text>
          <Text className="home__since">入会时间：{formatChineseDate(profile.memberSince)}</Text>
        </View>
      ) : null}
      <Button className="home__logout" onClick={() => void logout()}>
        退出登录
      </Button>
    </PageShell>
  );
}
