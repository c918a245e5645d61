import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, InlineError } from '@lumi/mini';
import type { Bill } from '@lumi/shared';
import { cancelBill } from '../../services/checkout.ts';
import { checkoutErrorMessage } from '../errors.ts';

/**
 * 取消账单 for a bill never paid (the customer left, it was opened by mistake): asked twice, with a reason, because
 * it closes the bill for good; what it held and its coupon go back to the customer.
 */
export function CancelBill({ billId, onCancelled }: { billId: string; onCancelled: (bill: Bill) => void }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function handleCancel() {
    if (busy) return;
    const trimmed = reason.trim();
    if (trimmed.length < 2) return setProblem('请填写取消原因（至少 2 个字）');
    setBusy(true);
    setProblem(null);
    try {
      const cancelled = await cancelBill(billId, trimmed);
      void Taro.showToast({ title: '账单已取消', icon: 'none', duration: 2000 });
      onCancelled(cancelled);
    } catch (cause) {
      setProblem(checkoutErrorMessage(cause, '取消失败，请重试'));
    } finally {
      setBusy(false);
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
      <Input
        className="ck__input ck__input--wide ck__cancel-reason"
        placeholder="取消原因"
        maxlength={200}
        value={reason}
        onInput={(event) => {
          setReason(event.detail.value);
          setProblem(null);
        }}
      />
      <Text className="ck__hint">账单未收款，取消后不扣任何款项；待确认的扣款和使用的优惠券退回顾客账户。</Text>
      <ActionButton
        className="ck__submit ck__cancel-confirm"
        type="warn"
        disabled={busy}
        onClick={() => void handleCancel()}
      >
        {busy ? '取消中…' : '确认取消账单'}
      </ActionButton>
      <InlineError className="ck__error ck__cancel-error" message={problem} />
    </View>
  );
}
