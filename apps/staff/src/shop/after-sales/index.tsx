import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import {
  ActionButton,
  ApiError,
  formatDateTime,
  formatFen,
  InlineError,
  MoneyText,
  newIdempotencyKey,
  PageShell,
  tenderAmountText,
  tenderLabel,
  useAsync,
  useKeysetList,
} from '@lumi/mini';
import { AFTER_SALE_STATUS_LABELS, type AfterSale } from '@lumi/shared';
import { useState } from 'react';
import { decideAfterSale, getAfterSale, listAfterSales } from '../../services/shop.ts';
import '../shop.scss';

/**
 * 售后审核 (managers): the customers' refund requests of their stores, waiting ones first, a page at a time. The
 * request the page was opened for (审批 已处理 links `?id=`) is read by its id — however far down the list it is —
 * and shown first, marked.
 */
export default function AfterSalesPage() {
  const openedId = useRouter().params.id;
  const list = useKeysetList(listAfterSales);
  const opened = useAsync(() => (openedId ? getAfterSale(openedId) : Promise.resolve(null)), [openedId]);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  // One key per request decided, kept across retries of the same tap.
  const [keys] = useState(() => new Map<string, string>());

  async function decide(afterSale: AfterSale, approve: boolean, note: string) {
    if (busy) return;
    setBusy(afterSale.id);
    setActionError(null);
    const key = keys.get(afterSale.id) ?? newIdempotencyKey('after-sale');
    keys.set(afterSale.id, key);
    try {
      await decideAfterSale(afterSale.id, { approve, note }, key);
      void Taro.showToast({ title: approve ? '已退款' : '已拒绝', icon: 'success', duration: 2000 });
    } catch (cause) {
      setActionError(cause instanceof ApiError ? cause.message : '操作失败，请重试');
    } finally {
      setBusy(null);
      list.reload();
      opened.refresh();
    }
  }

  const shown = [...(opened.data ? [opened.data] : []), ...list.items.filter((a) => a.id !== opened.data?.id)];
  return (
    <PageShell
      // A reload after a decision keeps the cards on screen until the new first page arrives.
      loading={(list.loading && list.items.length === 0) || opened.loading}
      error={list.error ?? opened.error}
      onRetry={() => {
        list.reload();
        opened.reload();
      }}
      empty={!list.loading && shown.length === 0}
      emptyText="暂无售后申请"
    >
      <View className="staff-shop">
        <InlineError className="staff-shop__error" message={actionError} />
        {shown.map((a) => (
          <AfterSaleCard
            key={a.id}
            afterSale={a}
            opened={a.id === openedId}
            busy={busy === a.id}
            onDecide={(approve, note) => void decide(a, approve, note)}
          />
        ))}
        {list.hasMore ? (
          <ActionButton disabled={list.loadingMore} onClick={list.loadMore}>
            加载更多
          </ActionButton>
        ) : null}
      </View>
    </PageShell>
  );
}

function AfterSaleCard({
  afterSale: a,
  opened,
  busy,
  onDecide,
}: {
  afterSale: AfterSale;
  opened: boolean;
  busy: boolean;
  onDecide: (approve: boolean, note: string) => void;
}) {
  const [note, setNote] = useState('');
  return (
    <View className={opened ? 'staff-shop__section staff-shop__section--opened' : 'staff-shop__section'}>
      {opened ? <Text className="staff-shop__opened">审批中查看的申请</Text> : null}
      <View className="staff-shop__row">
        <Text>{a.orderNumber}</Text>
        <Text className="staff-shop__status">{AFTER_SALE_STATUS_LABELS[a.status]}</Text>
      </View>
      <Text>{a.lines.map((l) => `${l.name} × ${l.quantity}`).join('、')}</Text>
      <View className="staff-shop__row">
        <Text>{`原因：${a.reason}`}</Text>
        <MoneyText fen={a.amountFen} />
      </View>
      <Text>{formatDateTime(a.createdAt)}</Text>
      {a.tenders.map((t) => (
        <View key={t.method} className="staff-shop__row">
          <Text>{`退回${tenderLabel(t.method)}`}</Text>
          <Text>{tenderAmountText(t)}</Text>
        </View>
      ))}
      {a.decisionNote ? <Text>{`备注：${a.decisionNote}`}</Text> : null}
      {a.status === 'requested' ? (
        <View>
          <Input
            className="staff-shop__input"
            placeholder="备注（选填）"
            value={note}
            onInput={(e) => setNote(e.detail.value)}
          />
          <View className="staff-shop__row">
            <Button size="mini" disabled={busy} onClick={() => onDecide(false, note.trim())}>
              拒绝
            </Button>
            <Button size="mini" type="primary" disabled={busy} onClick={() => onDecide(true, note.trim())}>
              {`同意退款 ${formatFen(a.amountFen)}`}
            </Button>
          </View>
        </View>
      ) : null}
    </View>
  );
}
