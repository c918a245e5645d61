import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton } from '@lumi/mini';
import type { Bill } from '@lumi/shared';
import { cancelBill } from '../../services/checkout.ts';
import { checkoutErrorMessage } from '../errors.ts';
import { ReasonConfirm } from '../reason-confirm.tsx';

/**
 * 取消账单 for a bill never paid (the customer left, it was opened by mistake): asked twice, with a reason, because
 * it closes the bill for good; what it held, its coupon and a manager's discount approval go back.
 */
export function CancelBill({ billId, onCancelled }: { billId: string; onCancelled: (bill: Bill) => void }) {
  const [asking, setAsking] = useState(false);

  async function cancel(reason: string): Promise<string | null> {
    try {
      const cancelled = await cancelBill(billId, reason);
      void Taro.showToast({ title: '账单已取消', icon: 'none', duration: 2000 });
      onCancelled(cancelled);
      return null;
    } catch (cause) {
      return checkoutErrorMessage(cause, '取消失败，请重试');
    }
  }

  if (!asking) {
    return (
      <ActionButton className="ck__submit ck__cancel-bill" onClick={() => setAsking(true)}>
        取消账单
      </ActionButton>
    );
  }
  return (
    <View className="ck__card">
      <ReasonConfirm
        act="取消"
        hint="账单未收款，取消后不扣任何款项；待确认的扣款和使用的优惠券退回顾客账户，店长批准的折扣可再次开单使用。"
        confirmLabel="确认取消账单"
        busyLabel="取消中…"
        classPrefix="ck__cancel"
        onConfirm={cancel}
      />
    </View>
  );
}
