import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { formatFen, InlineError, useAsync } from '@lumi/mini';
import type { ApprovalRequest } from '@lumi/shared';
import { validThrough } from '../approval-status.ts';
import { SETTLE_PAGE } from '../routes.ts';
import { listApprovals } from '../services/approvals.ts';
import { openBill } from '../services/checkout.ts';
import { checkoutErrorMessage } from './errors.ts';

/**
 * 待开单的折扣审批: her large discounts a manager approved that have not opened their bill yet and are still good
 * today (the API lists only those: approved, unused, asked on this business day). She may have left the page
 * while the manager decided; one tap opens the approved bill exactly as drafted and goes on to settle it.
 * With `customerId`, only that customer's.
 */
export function ApprovedDiscounts({ customerId }: { customerId?: string }) {
  const { data } = useAsync(
    () => listApprovals({ kind: 'discount', usable: 'true', ...(customerId ? { customerId } : {}) }),
    [customerId],
  );
  const [opening, setOpening] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function open(request: ApprovalRequest) {
    const draft = request.discount?.draft;
    if (!draft || opening) return;
    setOpening(request.id);
    setProblem(null);
    try {
      const bill = await openBill({ ...draft, approvalRequestId: request.id });
      // The bill exists now: going back must not offer to open it a second time.
      void Taro.redirectTo({ url: `${SETTLE_PAGE}?id=${bill.id}` });
    } catch (cause) {
      setProblem(checkoutErrorMessage(cause, '开单失败，请重试'));
    } finally {
      setOpening(null);
    }
  }

  if (!data || data.length === 0) return null;
  return (
    <View className="ck__card ck__approved-discounts">
      <Text className="ck__title">待开单的折扣审批</Text>
      <Text className="ck__hint">店长已批准、尚未开单的折扣，当日 24:00 前有效。点一下按批准内容开单。</Text>
      {data.map((request) => (
        <View key={request.id} className="ck__row ck__approved-discount" onClick={() => void open(request)}>
          <View className="ck__main">
            <Text>{request.customer.name ?? '未填写姓名'}</Text>
            <Text className="ck__muted">
              优惠 {formatFen(request.amountFen)}
              {request.discount ? `（原价 ${formatFen(request.discount.subtotalFen)}）` : ''}
              {request.discount ? ` · 有效至 ${validThrough(request.discount.expiresAt)}` : ''}
            </Text>
          </View>
          <Text className="ck__link">{opening === request.id ? '开单中…' : '开单 ›'}</Text>
        </View>
      ))}
      <InlineError className="ck__error" message={problem} />
    </View>
  );
}
