import { Text, View } from '@tarojs/components';
import { InlineError, useAsync } from '@lumi/mini';
import type { TeamMember } from '@lumi/shared';
import { getStoreTeam } from '../../services/profile.ts';

/** The API takes at most this many performers on a line. */
export const MAX_PERFORMERS = 5;

/**
 * Who did the work (服务人员): the store's active staff as chips; the commission of every line of the bill
 * follows the ones picked. The signed-in member is shown even if the team cannot be loaded.
 */
export function PerformerPicker(props: {
  storeId: string;
  me: TeamMember;
  picked: string[];
  onToggle: (member: TeamMember) => void;
}) {
  const team = useAsync(() => getStoreTeam(props.storeId), [props.storeId]);
  const members = team.data?.items.some((m) => m.id === props.me.id)
    ? team.data.items
    : [props.me, ...(team.data?.items ?? [])];
  return (
    <View className="ck__card ck__performers">
      <Text className="ck__title">服务人员</Text>
      <View className="ck__chips">
        {members.map((m) => (
          <Text
            key={m.id}
            className={props.picked.includes(m.id) ? 'ck__chip ck__chip--on' : 'ck__chip'}
            onClick={() => props.onToggle(m)}
          >
            {m.name}
          </Text>
        ))}
      </View>
      <Text className="ck__hint">提成按所选人员平分，最多 {MAX_PERFORMERS} 位。</Text>
      <InlineError className="ck__error" message={team.error ? '同事名单加载失败，仅可选择本人' : null} />
    </View>
  );
}
