import { Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useAsync } from '@lumi/mini';
import { isManagerRole } from './roles.ts';
import { auditTrailPage } from './routes.ts';
import { getMyStaffProfile } from './services/profile.ts';

/**
 * 操作记录: opens 审计 on one customer or bill. Only managers read the audit log (the API refuses others), so
 * nobody else sees the link. In the main package: the front desk and checkout subpackages both show it.
 */
export function AuditTrailLink({
  subjectId,
  title,
  className,
}: {
  subjectId: string;
  title: string;
  className: string;
}) {
  const { data: me } = useAsync(getMyStaffProfile);
  if (!isManagerRole(me?.role)) return null;
  return (
    <Text
      className={`${className} audit-trail-link`}
      onClick={() => void Taro.navigateTo({ url: auditTrailPage(subjectId, title) })}
    >
      操作记录
    </Text>
  );
}
