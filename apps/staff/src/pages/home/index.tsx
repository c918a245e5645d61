import { Button, Text, View } from '@tarojs/components';
import { logout, PageShell, useAsync } from '@lumi/mini';
import { ROLE_LABELS } from '../../roles.ts';
import { getMyStaffProfile } from '../../services/profile.ts';
import './index.scss';

export default function HomePage() {
  const { data: profile, error, loading, reload } = useAsync(getMyStaffProfile);

  return (
    <PageShell loading={loading} error={error} onRetry={reload} className="home">
      {profile ? (
        <View className="home__card">
          <Text className="home__tenant">{profile.tenantName}</Text>
          <View className="home__who">
            <Text className="home__name">{profile.name}</Text>
            <Text className="home__role">{ROLE_LABELS[profile.role]}</Text>
          </View>
          <View className="home__stores">
            {profile.stores.map((store) => (
              <Text key={store.id} className="home__store">
                {store.name}
              </Text>
            ))}
          </View>
        </View>
      ) : null}
      <Button className="home__logout" onClick={() => void logout()}>
        退出登录
      </Button>
    </PageShell>
  );
}
