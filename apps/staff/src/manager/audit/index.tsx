import { Picker, Text, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { ActionButton, formatDateTime, PageShell, todayInShanghai, useAsync, useKeysetList } from '@lumi/mini';
import { AUDIT_ACTIONS } from '@lumi/shared';
import { getAuditPage } from '../../services/audit.ts';
import { getMyStaffProfile, getStoreTeam } from '../../services/profile.ts';
import { AUDIT_SUBJECTS, actionLabel, changedFields, snapshotText, subjectLabel } from '../audit-format.ts';
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

/** The time ranges a manager picks from: today, and the last 7 or 30 days, each from a Beijing midnight. */
const RANGES = [
  { key: 'all', label: '全部时间', days: 0 },
  { key: 'today', label: '今天', days: 1 },
  { key: 'week', label: '近7天', days: 7 },
  { key: 'month', label: '近30天', days: 30 },
] as const;
type RangeKey = (typeof RANGES)[number]['key'];

function rangeFrom(key: RangeKey): string | undefined {
  const days = RANGES.find((r) => r.key === key)?.days ?? 0;
  if (days === 0) return undefined;
  const midnight = Date.parse(`${todayInShanghai()}T00:00:00+08:00`);
  return new Date(midnight - (days - 1) * 86_400_000).toISOString();
}

const ACTION_NAMES = AUDIT_ACTIONS.map(actionLabel);

function Audit() {
  const [subjectType, setSubjectType] = useState<string | undefined>(undefined);
  const [mineOnly, setMineOnly] = useState(false);
  const [action, setAction] = useState<string | undefined>(undefined);
  const [range, setRange] = useState<RangeKey>('all');
  const people = useAsync(staffNames);
  const me = people.data?.me;
  const list = useKeysetList((cursor: number | undefined) =>
    getAuditPage({ subjectType, action, from: rangeFrom(range), ...(mineOnly && me ? { staffId: me } : {}) }, cursor),
  );
  const { reload } = list;
  // A new filter reads the first page again (the list loads its first page by itself on mount).
  const mounted = useRef(false);
  useEffect(() => {
    if (mounted.current) reload();
    mounted.current = true;
  }, [subjectType, mineOnly, action, range, reload]);

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
      <View className="mg__chips">
        {RANGES.map((r) => (
          <Text
            key={r.key}
            className={`mg__chip mg__range--${r.key} ${range === r.key ? 'mg__chip--on' : ''}`}
            onClick={() => setRange(r.key)}
          >
            {r.label}
          </Text>
        ))}
        <Picker
          mode="selector"
          range={ACTION_NAMES}
          onChange={(event) => setAction(AUDIT_ACTIONS[Number(event.detail.value)])}
        >
          <Text className="mg__chip mg__action-pick">选择操作</Text>
        </Picker>
        {action ? (
          <Text className="mg__chip mg__chip--on mg__action-on" onClick={() => setAction(undefined)}>
            {actionLabel(action)} ✕
          </Text>
        ) : null}
      </View>
      <View className="mg__card">
        {list.items.length === 0 ? <Text className="mg__muted">没有记录</Text> : null}
        {list.items.map((entry) => {
          const changed = changedFields(entry.before, entry.after);
          return (
            <View key={entry.id} className="mg__row mg__audit-entry">
              <View className="mg__main">
                <Text>
                  {/* Tapping what was done shows only entries of that kind. */}
                  <Text className="mg__audit-action" onClick={() => setAction(entry.action)}>
                    {actionLabel(entry.action)}
                  </Text>{' '}
                  · {entry.actorStaffId ? (people.data?.names.get(entry.actorStaffId) ?? '员工') : '顾客/系统'}
                </Text>
                <Text className="mg__muted">
                  {formatDateTime(entry.at)} · {subjectLabel(entry.subjectType)} {entry.subjectId.slice(0, 8)}
                </Text>
                {entry.reason ? <Text className="mg__muted">原因：{entry.reason}</Text> : null}
                <Text className="mg__muted mg__before">之前：{snapshotText(entry.before, changed)}</Text>
                <Text className="mg__muted mg__after">之后：{snapshotText(entry.after, changed)}</Text>
              </View>
            </View>
          );
        })}
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
