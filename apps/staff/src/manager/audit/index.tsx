import { Picker, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { ActionButton, formatDateTime, PageShell, todayInShanghai, useAsync, useKeysetList } from '@lumi/mini';
import { AUDIT_ACTIONS } from '@lumi/shared';
import { getAuditPage } from '../../services/audit.ts';
import { getMyStaffProfile, getStoreTeam } from '../../services/profile.ts';
import { AUDIT_SUBJECTS, actionLabel, changedFields, snapshotText, subjectLabel } from '../audit-format.ts';
import { ManagerOnly } from '../manager-only.tsx';
import '../manager.scss';

interface Person {
  id: string;
  name: string;
}

/** Me and the people of my stores (the team lists are store-scoped): who did what, and whose doings to list. */
async function loadPeople(): Promise<{ me: Person; team: Person[]; names: Map<string, string> }> {
  const profile = await getMyStaffProfile();
  const teams = await Promise.all(profile.stores.map((s) => getStoreTeam(s.id)));
  const names = new Map(teams.flatMap((t) => t.items.map((m) => [m.id, m.name] as const)));
  names.set(profile.id, profile.name);
  const team = [...names].filter(([id]) => id !== profile.id).map(([id, name]) => ({ id, name }));
  return { me: { id: profile.id, name: profile.name }, team, names };
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

/** The page title as passed; query values may arrive still percent-encoded (a bare % is kept as it is). */
function titleOf(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    return raw ?? '';
  }
}

const ACTION_NAMES = AUDIT_ACTIONS.map(actionLabel);

function Audit() {
  // Opened from a customer card or a bill (操作记录): only what was done to that one.
  const params = useRouter().params;
  const subjectId = params.subjectId || undefined;
  const [subjectType, setSubjectType] = useState<string | undefined>(undefined);
  const [staffId, setStaffId] = useState<string | undefined>(undefined);
  const [action, setAction] = useState<string | undefined>(undefined);
  const [range, setRange] = useState<RangeKey>('all');
  const people = useAsync(loadPeople);
  const list = useKeysetList((cursor: number | undefined) =>
    getAuditPage({ subjectType, subjectId, action, from: rangeFrom(range), staffId }, cursor),
  );
  const { reload } = list;
  // A new filter reads the first page again (the list loads its first page by itself on mount).
  const mounted = useRef(false);
  useEffect(() => {
    if (mounted.current) reload();
    mounted.current = true;
  }, [subjectType, staffId, action, range, reload]);

  return (
    <PageShell
      loading={list.loading && list.items.length === 0}
      error={list.error}
      onRetry={list.reload}
      className="mg"
    >
      {subjectId ? (
        <Text className="mg__title mg__audit-subject">操作记录 · {titleOf(params.title)}</Text>
      ) : (
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
        </View>
      )}
      {people.data ? <WhoChips {...people.data} staffId={staffId} onPick={setStaffId} /> : null}
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

/** 操作人: everyone, me, or one of my stores' team. */
function WhoChips({
  me,
  team,
  staffId,
  onPick,
}: {
  me: Person;
  team: Person[];
  staffId: string | undefined;
  onPick: (id: string | undefined) => void;
}) {
  const chip = (id: string | undefined, label: string) => (
    <Text
      key={id ?? 'all'}
      className={`mg__chip mg__who ${staffId === id ? 'mg__chip--on' : ''}`}
      onClick={() => onPick(id)}
    >
      {label}
    </Text>
  );
  return (
    <View className="mg__chips mg__who-chips">
      {chip(undefined, '全部人员')}
      {chip(me.id, '我的操作')}
      {team.map((p) => chip(p.id, p.name))}
    </View>
  );
}

export default function AuditPage() {
  return (
    <ManagerOnly>
      <Audit />
    </ManagerOnly>
  );
}
