import { View } from '@tarojs/components';
import { Loading, useAsync } from '@lumi/mini';
import type { ReactNode } from 'react';
import { isManagerRole } from '../roles.ts';
import { getMyStaffProfile } from '../services/profile.ts';

/**
 * The manager's screens show nothing to anyone else: a beautician who opens one by its address sees an empty
 * page (and the API refuses her its data with 403 whatever the page does).
 */
export function ManagerOnly({ children }: { children: ReactNode }) {
  const { data: profile, loading } = useAsync(getMyStaffProfile);
  if (loading) return <Loading />;
  if (!isManagerRole(profile?.role)) return <View className="mg mg--denied" />;
  return <>{children}</>;
}
