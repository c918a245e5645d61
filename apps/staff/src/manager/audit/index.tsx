import { Text, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { ActionButton, formatDateTime, PageShell, useAsync, useKeysetList } from '@lumi/mini';
import { getAuditPage } from '../../services/audit.ts';
import { getMyStaffProfile, getStoreTeam } from '../../services/profile.ts';
import { AUDIT_SUBJECTS, actionLabel, snapshotText, subjectLabel } from '../audit-format.ts';
import { ManagerOnly } from '../manager-only.tsx';
import '../manager.scss';

/** Names of the people of my stores, to say who did what. */
async function staffNames(): Promise<{ me: string; names: Map<string, string> }> {
  const profile = await getMyStaffProfile();
  const teams = await Promise.all(profile.stores.map((s) => getStoreTeam(s.id)));
  const names = new Map(teams.flatMap((t) => t.items.map((m) => [m.id, m.name] as const)));
  names.set(profile.id, profile.name);
  return { me: profile.id, names };
}

function Audit() {
  const [subjectType, setSubjectType] = useState<string | undefined>(undefined);
  const [mineOnly, setMineOnly] = useState(false);
  const people = useAsync(staffNames);
  const me = people.data?.me;
  const list = useKeysetList((cursor: number | undefined) =>
    getAuditPage({ ...(subjectType ? { subjectType } : {}), ...(mineOnly && me ? { staffId: me } : {}) }, cursor),
  );
  const { reload } = list;
  // A new filter reads the first page again (the list loads its first page by itself on mount).
  const mounted = useRef(false);
  useEffect(() => {
    if (mounted.current) reload();
    mounted.current = true;
  }, [subjectType, mineOnly, reload]);

  return (
    <PageShell
      loading={list.loading && list.items.length === 0}
      error={list.error}
      onRetry={list.reload}
      className="mg"
    >
      <View className="mg__chips">
        <Text className={`mg__chip ${subjectType ? '' : 'mg__chip--on'}`} onClick={() => setSubjectType(undefined)}>
          全部
        </Text>
        {AUDIT_SUBJECTS.map((s) => (
          <Text
            key={s.type}
            className={`mg__chip mg__subject-${s.type} ${subjectType === s.type ? 'mg__chip--on' : ''}`}
            onClick={() => setSubjectType(s.type)}
          >
            {s.label}
          </Text>
        ))}
        <Text className={`mg__chip mg__mine ${mineOnly ? 'mg__chip--on' : ''}`} onClick={() => setMineOnly(!mineOnly)}>
          只看我的
        </Text>
      </View>
      <View className="mg__card">
        {list.items.length === 0 ? <Text className="mg__muted">没有记录</Text> : null}
        {list.items.map((entry) => (
          <View key={entry.id} className="mg__row mg__audit-entry">
            <View className="mg__main">
              <Text>
                {actionLabel(entry.action)} ·{' '}
                {entry.actorStaffId ? (people.data?.names.get(entry.actorStaffId) ?? '员工') : '顾客/系统'}
              </Text>
              <Text className="mg__muted">
                {formatDateTime(entry.at)} · {subjectLabel(entry.subjectType)} {entry.subjectId.slice(0, 8)}
              </Text>
              {entry.reason ? <Text className="mg__muted">原因：{entry.reason}</Text> : null}
              <Text className="mg__muted mg__before">之前：{snapshotText(entry.before)}</Text>
              <Text className="mg__muted mg__after">之后：{snapshotText(entry.after)}</Text>
            </View>
          </View>
        ))}
      </View>
      {list.hasMore ? (
        <ActionButton className="mg__more" disabled={list.loadingMore} onClick={list.loadMore}>
          加载更多
        </ActionButton>
      ) : null}
    </PageShell>
  );
}

export default function AuditPage() {
  return (
    <ManagerOnly>
      <Audit />
    </ManagerOnly>
  );
}
