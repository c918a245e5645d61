import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import {
  ActionButton,
  basisPointsToPercentString,
  fenToYuanString,
  InlineError,
  PageShell,
  parsePercentInput,
  parseYuanInput,
  useAsync,
} from '@lumi/mini';
import type { CheckoutSettings, TenantCreditSettings } from '@lumi/shared';
import {
  getCheckoutSettings,
  getCreditSettings,
  updateCheckoutSettings,
  updateCreditSettings,
} from '../../services/settings.ts';
import { decisionErrorMessage } from '../decision.ts';
import { BrandCard } from './brand-card.tsx';
import { dayListText, parseDayList } from './day-list.ts';
import { MessageCard } from './message-card.tsx';
import { MessageTextCard } from './message-text-card.tsx';
import { TierCard } from './tier-card.tsx';
import { TopUpPlanCard } from './top-up-plan-card.tsx';
import { ManagerOnly } from '../manager-only.tsx';
import '../manager.scss';

async function load() {
  const [checkout, credit] = await Promise.all([getCheckoutSettings(), getCreditSettings()]);
  return { checkout, credit };
}

/** A whole number of days (or percent) in a range, or what is wrong with it. */
function wholeIn(text: string, min: number, max: number, what: string): number | string {
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : `${what}应为 ${min}–${max} 的整数`;
}

/** Whether any of `changes` differs from the value it replaces. */
function differs(changes: object, current: object): boolean {
  const now = current as Record<string, unknown>;
  return Object.entries(changes).some(([key, value]) => JSON.stringify(value) !== JSON.stringify(now[key]));
}

function Settings({
  checkout,
  credit,
  onSaved,
}: {
  checkout: CheckoutSettings;
  credit: TenantCreditSettings;
  onSaved: () => void;
}) {
  const [confirmFirst, setConfirmFirst] = useState(checkout.confirmationMode === 'confirm_first');
  const [threshold, setThreshold] = useState(fenToYuanString(checkout.voidApprovalThresholdFen));
  const [discountPercent, setDiscountPercent] = useState(
    basisPointsToPercentString(checkout.discountApprovalBasisPoints),
  );
  const [disputeDays, setDisputeDays] = useState(String(checkout.disputeWindowDays));
  const [dueDays, setDueDays] = useState(String(credit.defaultDueDays));
  const [freezeDays, setFreezeDays] = useState(
    credit.autoFreezeOverdueDays === null ? '' : String(credit.autoFreezeOverdueDays),
  );
  const [remindBefore, setRemindBefore] = useState(dayListText(credit.remindDaysBeforeDue));
  const [remindOnDue, setRemindOnDue] = useState(credit.remindOnDueDate);
  const [remindOverdue, setRemindOverdue] = useState(dayListText(credit.remindOverdueDays));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    const thresholdFen = parseYuanInput(threshold);
    if (!thresholdFen.ok) return setProblem(thresholdFen.message);
    const checks = {
      discount: parsePercentInput(discountPercent, 0, 100) ?? '手工优惠比例应为 0–100，最多两位小数',
      dispute: wholeIn(disputeDays, 1, 90, '异议期'),
      due: wholeIn(dueDays, 1, 365, '默认账期'),
      freeze: freezeDays.trim() === '' ? null : wholeIn(freezeDays, 1, 365, '自动冻结天数'),
    };
    const wrong = Object.values(checks).find((v) => typeof v === 'string');
    if (typeof wrong === 'string') return setProblem(wrong);
    const before = parseDayList(remindBefore, 1, 60, 5, '到期前提醒');
    if (typeof before === 'string') return setProblem(before);
    const overdue = parseDayList(remindOverdue, 1, 365, 10, '逾期提醒');
    if (typeof overdue === 'string') return setProblem(overdue);
    const checkoutChanges = {
      confirmationMode: confirmFirst ? ('confirm_first' as const) : ('notify' as const),
      voidApprovalThresholdFen: thresholdFen.fen,
      discountApprovalBasisPoints: checks.discount as number,
      disputeWindowDays: checks.dispute as number,
    };
    const creditChanges = {
      defaultDueDays: checks.due as number,
      autoFreezeOverdueDays: checks.freeze as number | null,
      remindDaysBeforeDue: before,
      remindOnDueDate: remindOnDue,
      remindOverdueDays: overdue,
    };
    // Only a section that changed is saved, so 审计 records changes, not saves.
    const saveCheckout = differs(checkoutChanges, checkout);
    const saveCredit = differs(creditChanges, credit);
    if (!saveCheckout && !saveCredit) return setProblem('没有改动');
    setBusy(true);
    setProblem(null);
    try {
      if (saveCheckout) await updateCheckoutSettings(checkoutChanges);
      if (saveCredit) await updateCreditSettings(creditChanges);
      void Taro.showToast({ title: '已保存', icon: 'none', duration: 2000 });
      onSaved();
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '保存失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  // Day lists need a comma, which the digit keyboard lacks.
  const field = (label: string, cls: string, value: string, set: (v: string) => void, list = false) => (
    <>
      <Text className="mg__muted">{label}</Text>
      <Input
        className={`mg__input ${cls}`}
        type={list ? 'text' : 'digit'}
        value={value}
        onInput={(e) => set(e.detail.value)}
      />
    </>
  );

  return (
    <>
      <View className="mg__card">
        <Text className="mg__title">收银</Text>
        <View className="mg__chips">
          <Text
            className={`mg__chip mg__notify ${confirmFirst ? '' : 'mg__chip--on'}`}
            onClick={() => setConfirmFirst(false)}
          >
            直接扣款，顾客可提异议
          </Text>
          <Text
            className={`mg__chip mg__confirm-first ${confirmFirst ? 'mg__chip--on' : ''}`}
            onClick={() => setConfirmFirst(true)}
          >
            顾客确认后扣款
          </Text>
        </View>
        {field('撤销/退款超过此金额需店长审批（元）', 'mg__threshold', threshold, setThreshold)}
        {field('手工优惠超过小计的百分比需店长（%）', 'mg__discount', discountPercent, setDiscountPercent)}
        {field('顾客可提异议的天数', 'mg__dispute-days', disputeDays, setDisputeDays)}
      </View>
      <View className="mg__card">
        <Text className="mg__title">挂账</Text>
        {field('默认账期（天）', 'mg__due-days', dueDays, setDueDays)}
        {field('逾期多少天自动冻结（留空：不自动冻结）', 'mg__freeze-days', freezeDays, setFreezeDays)}
        <Text className="mg__muted">还款提醒（按天数，用逗号分隔；留空：不提醒）</Text>
        {field('到期前几天提醒', 'mg__remind-before', remindBefore, setRemindBefore, true)}
        <View className="mg__chips">
          <Text
            className={`mg__chip mg__remind-on-due ${remindOnDue ? 'mg__chip--on' : ''}`}
            onClick={() => setRemindOnDue(!remindOnDue)}
          >
            {remindOnDue ? '到期当天提醒：开' : '到期当天提醒：关'}
          </Text>
        </View>
        {field('逾期第几天提醒', 'mg__remind-overdue', remindOverdue, setRemindOverdue, true)}
      </View>
      <ActionButton className="mg__save" type="primary" disabled={busy} onClick={() => void save()}>
        保存（记入审计）
      </ActionButton>
      <InlineError className="mg__error" message={problem} />
    </>
  );
}

function SettingsScreen() {
  const { data, error, loading, reload } = useAsync(load);
  return (
    <PageShell loading={loading} error={error} onRetry={reload} className="mg">
      {data ? <Settings checkout={data.checkout} credit={data.credit} onSaved={reload} /> : null}
      {data ? <TopUpPlanCard /> : null}
      {data ? <TierCard /> : null}
      {data ? <MessageCard /> : null}
      {data ? <MessageTextCard /> : null}
      {data ? <BrandCard /> : null}
    </PageShell>
  );
}

export default function SettingsPage() {
  return (
    <ManagerOnly>
      <SettingsScreen />
    </ManagerOnly>
  );
}
