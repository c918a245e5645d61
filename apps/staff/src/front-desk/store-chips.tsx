import { Text, View } from '@tarojs/components';
import type { StaffProfile } from '@lumi/shared';

/** Which of my stores takes the money; shown only to someone who works at more than one. */
export function StoreChips({
  me,
  storeId,
  onChange,
}: {
  me: StaffProfile;
  storeId: string;
  onChange: (id: string) => void;
}) {
  if (me.stores.length < 2) return null;
  return (
    <View className="fd__chips fd__stores">
      {me.stores.map((store) => (
        <Text
          key={store.id}
          className={`fd__chip${store.id === storeId ? ' fd__chip--on' : ''}`}
          onClick={() => onChange(store.id)}
        >
          {store.name}
        </Text>
      ))}
    </View>
  );
}

/** The counter's tenders for a top-up or a card sale; stored value only where it makes sense. */
export const COUNTER_METHODS = { cash: '现金', card: '银行卡', wechat: '微信扫码', stored_value: '储值' } as const;
export type CounterMethod = keyof typeof COUNTER_METHODS;

export function MethodChips<M extends CounterMethod>({
  methods,
  method,
  onChange,
}: {
  methods: readonly M[];
  method: M;
  onChange: (method: M) => void;
}) {
  return (
    <View className="fd__chips fd__methods">
      {methods.map((m) => (
        <Text key={m} className={`fd__chip${m === method ? ' fd__chip--on' : ''}`} onClick={() => onChange(m)}>
          {COUNTER_METHODS[m]}
        </Text>
      ))}
    </View>
  );
}
