import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { ActionButton, formatDateTime, formatFen, PageShell, tenderText, useAsync } from '@lumi/mini';
import { BILLS_PAGE } from '../../routes.ts';
import { getBill } from '../../services/checkout.ts';
import { BillLines } from '../bill-lines.tsx';
import { canPrint, printReceipt } from './print.ts';
import '../checkout.scss';
import './index.scss';

/** 小票: the bill as the customer takes it home — lines, discounts, how it was paid, refunds; printable on H5. */
export default function ReceiptPage() {
  const id = useRouter().params.id ?? '';
  const { data: bill, error, loading, reload } = useAsync(() => getBill(id), [id]);
  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={BILLS_PAGE} className="ck receipt">
      {bill ? (
        <View className="receipt__paper">
          <Text className="receipt__shop">{bill.storeName}</Text>
          <Text className="receipt__heading">消费小票</Text>
          <BillLines bill={bill} />
          <View className="ck__card">
            <Text className="ck__title">支付方式</Text>
            {bill.tenders.map((tender, i) => (
              // A bill's tenders never change once set: the position is a stable key.
              <View key={i} className="ck__row receipt__tender">
                <Text>{tenderText(tender)}</Text>
              </View>
            ))}
            {bill.tenders.length === 0 ? <Text className="ck__muted">未结账</Text> : null}
            {bill.refunds.map((refund) => (
              <View key={refund.id} className="ck__row receipt__refund">
                <Text>
                  {refund.kind === 'void' ? '撤销' : '部分退款'} {formatDateTime(refund.createdAt)}
                </Text>
                <Text className="ck__amount">-{formatFen(refund.amountFen)}</Text>
              </View>
            ))}
          </View>
          <Text className="receipt__foot">
            收银 {bill.openedBy.name} · {formatDateTime(bill.settledAt ?? bill.createdAt)}
          </Text>
          <Text className="receipt__foot">谢谢光临，欢迎再来</Text>
        </View>
      ) : null}
      {bill && canPrint() ? (
        <ActionButton className="receipt__print" type="primary" onClick={printReceipt}>
          打印小票
        </ActionButton>
      ) : null}
    </PageShell>
  );
}
