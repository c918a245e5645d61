import { Text, View } from '@tarojs/components';

/** One figure of the 报表: a label (with a note under it) and its value on the right. */
export function Row(props: { label: string; value: string; note?: string; className?: string }) {
  return (
    <View className={`mg__row${props.className ? ` ${props.className}` : ''}`}>
      <View className="mg__main">
        <Text>{props.label}</Text>
        {props.note ? <Text className="mg__muted">{props.note}</Text> : null}
      </View>
      <Text className="mg__amount">{props.value}</Text>
    </View>
  );
}
