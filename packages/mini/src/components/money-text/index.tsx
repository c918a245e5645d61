import { Text } from '@tarojs/components';
import { formatFen } from '../../money.ts';

export interface MoneyTextProps {
  /** Integer fen */
  fen: number;
  grouping?: boolean;
  className?: string;
}

/** "¥1,234.50" from fen; negative amounts get a modifier class so ledgers can colour them. */
export function MoneyText({ fen, grouping, className }: MoneyTextProps) {
  const classes = ['lumi-money', fen < 0 ? 'lumi-money--negative' : '', className ?? ''].filter(Boolean).join(' ');
  return <Text className={classes}>{formatFen(fen, { grouping })}</Text>;
}
