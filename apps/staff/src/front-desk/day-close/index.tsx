import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { formatDateTime, formatFen, PageShell, useAsync } from '@lumi/mini';
import { type StaffProfile, type Takings, transferKindLabel } from '@lumi/shared';
import { isManagerRole } from '../../roles.ts';
import { BILL_PAGE, HOME_PAGE } from '../../routes.ts';
import { getTakings } from '../../services/counter.ts';
import { getMyStaffProfile } from '../../services/profile.ts';
import { StoreChips } from '../store-chips.tsx';
import { amountFor, type Figure, formatUsage, itemsBehind, TENDER_NAMES, USAGE_FIGURES } from './takings-filter.ts';
import '../front-desk.scss';

const TENDERS = ['cash', 'card', 'wechat'] as const;

async function loadDay(storeId: string | null): Promise<{ me: StaffProfile; takings: Takings | null }> {
  const me = await getMyStaffProfile();
  const store = storeId ?? me.stores[0]?.id;
  return { me, takings: store ? await getTakings(store) : null };
}

/**
 * 交班/日结: today's takings at the store per tender and per staff member, and what the day consumed beyond money
 * (stored value, sessions, points, credit) and the top-ups taken; tap a figure for the bills and other postings
 * behind it. Managers and the owner see the whole store; a beautician her own handover.
 */
export default function DayClosePage() {
  const [storeId, setStoreId] = useState<string | null>(null);
  const [figure, setFigure] = useState<Figure>({ kind: 'all' });
  const { data, error, loading, reload } = useAsync(() => loadDay(storeId), [storeId]);
  const takings = data?.takings;
  const pick = (next: Figure) => setFigure(JSON.stringify(next) === JSON.stringify(figure) ? { kind: 'all' } : next);
  const on = (f: Figure) => (JSON.stringify(f) === JSON.stringify(figure) ? ' dc__figure--on' : '');
  const items = takings ? itemsBehind(takings, figure) : [];

  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={HOME_PAGE} className="fd dc">
      {data && takings ? (
        <>
          <StoreChips
            me={data.me}
            storeId={takings.storeId}
            onChange={(id) => {
              setStoreId(id);
              setFigure({ kind: 'all' });
            }}
          />
          <View className="fd__card">
            <Text className="fd__muted">
              {takings.date} · {takings.scope === 'store' ? '全店' : '我经手的'}实收
            </Text>
            <Text className="fd__big dc__total" onClick={() => setFigure({ kind: 'all' })}>
              {formatFen(takings.totalFen)}
            </Text>
            {takings.scope === 'own' && !isManagerRole(data.me.role) ? (
              <Text className="fd__muted">全店日结由店长查看</Text>
            ) : null}
          </View>
          <View className="fd__card">
            <Text className="fd__title">按收款方式</Text>
            {TENDERS.map((tender) => (
              <View
                key={tender}
                className={`fd__row dc__figure dc__tender dc__tender--${tender}${on({ kind: 'tender', tender })}`}
                onClick={() => pick({ kind: 'tender', tender })}
              >
                <Text>{TENDER_NAMES[tender]}</Text>
                <Text className="fd__amount">{formatFen(takings.byTender[tender])}</Text>
              </View>
            ))}
          </View>
          <View className="fd__card">
            <Text className="fd__title">非现金消耗与充值</Text>
            {USAGE_FIGURES.map(({ figure: usage, name }) => (
              <View
                key={usage}
                className={`fd__row dc__figure dc__usage dc__usage--${usage}${on({ kind: 'usage', figure: usage })}`}
                onClick={() => pick({ kind: 'usage', figure: usage })}
              >
                <Text>{name}</Text>
                <Text className="fd__amount">{formatUsage(takings.usage, usage)}</Text>
              </View>
            ))}
          </View>
          <View className="fd__card">
            <Text className="fd__title">按员工</Text>
            {takings.byStaff.length === 0 ? <Text className="fd__muted">今天还没有收款</Text> : null}
            {takings.byStaff.map((s) => (
              <View
                key={s.staffId ?? 'none'}
                className={`fd__row dc__figure dc__staff${on({ kind: 'staff', staffId: s.staffId })}`}
                onClick={() => pick({ kind: 'staff', staffId: s.staffId })}
              >
                <Text>
                  {s.name ?? '顾客自助付款'} · {s.count} 笔
                </Text>
                <Text className="fd__amount">{formatFen(s.totalFen)}</Text>
              </View>
            ))}
          </View>
          <View className="fd__card dc__items">
            <Text className="fd__title">
              {figure.kind === 'tender'
                ? `${TENDER_NAMES[figure.tender]}明细`
                : figure.kind === 'usage'
                  ? `${USAGE_FIGURES.find((f) => f.figure === figure.figure)?.name ?? ''}明细`
                  : figure.kind === 'staff'
                    ? `${takings.byStaff.find((s) => s.staffId === figure.staffId)?.name ?? '顾客自助付款'}的明细`
                    : '全部明细'}
              （{items.length} 笔）
            </Text>
            {items.map((item) => (
              <View
                key={item.transferId}
                className="fd__row dc__item"
                onClick={() => {
                  if (item.billId) void Taro.navigateTo({ url: `${BILL_PAGE}?id=${item.billId}` });
                }}
              >
                <View className="fd__main">
                  <Text>
                    {transferKindLabel(item.kind)}
                    {item.billNumber ? ` ${item.billNumber}` : ''} · {item.customerName ?? '顾客'}
                  </Text>
                  <Text className="fd__muted">
                    {formatDateTime(item.at)} · {item.staffName ?? '顾客自助'}
                  </Text>
                </View>
                <Text className="fd__amount">{amountFor(item, figure)}</Text>
              </View>
            ))}
          </View>
        </>
      ) : data ? (
        <Text className="fd__muted">您还没有所属门店</Text>
      ) : null}
    </PageShell>
  );
}
