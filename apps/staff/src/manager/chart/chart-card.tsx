import { Text, View } from '@tarojs/components';
import type { ChartDatum } from './chart-data.ts';
import { F2Chart } from './f2-chart.tsx';

/** A titled chart with the numbers behind it as a list; tapping a bar, slice or row selects its datum. */
export function ChartCard(props: {
  id: string;
  title: string;
  kind: 'bar' | 'pie' | 'line';
  data: ChartDatum[];
  onSelect?: (key: string) => void;
  note?: string;
}) {
  const { id, title, kind, data, onSelect, note } = props;
  return (
    <View className={`mg__card mg__chart-card mg__chart-card--${id}`}>
      <Text className="mg__title">{title}</Text>
      {data.length > 0 ? (
        <F2Chart id={id} kind={kind} data={data} {...(onSelect ? { onSelect } : {})} />
      ) : (
        <Text className="mg__muted">暂无数据</Text>
      )}
      {data.map((d) => (
        <View
          key={d.key}
          className={`mg__row mg__datum mg__datum--${d.key}`}
          onClick={onSelect ? () => onSelect(d.key) : undefined}
        >
          <Text>{d.label}</Text>
          <Text className="mg__amount">{d.text}</Text>
        </View>
      ))}
      {note ? <Text className="mg__muted">{note}</Text> : null}
    </View>
  );
}
