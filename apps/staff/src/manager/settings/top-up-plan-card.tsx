import { Input, Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, InlineError, useAsync } from '@lumi/mini';
import type { CatalogPackagePlan, ManagedTopUpPlan } from '@lumi/shared';
import { getCatalog } from '../../services/checkout.ts';
import { createTopUpPlan, listManagedTopUpPlans, updateTopUpPlan, withdrawTopUpPlan } from '../../services/settings.ts';
import { decisionErrorMessage } from '../decision.ts';
import {
  draftOf,
  PLAN_STATUS_LABELS,
  type PlanDraft,
  planDatesText,
  planTermsText,
  readPlanDraft,
} from './top-up-plan-form.ts';
import './top-up-plan-card.scss';

async function load() {
  const [plans, catalog] = await Promise.all([listManagedTopUpPlans(), getCatalog()]);
  return { plans, packagePlans: catalog.packagePlans };
}

/** 设置 → 充值方案: the offers the till and the customer app show; new, change, withdraw (its own load and save). */
export function TopUpPlanCard() {
  const { data, error, reload } = useAsync(load);
  // The offer being edited, 'new' for a new one, null when the form is closed.
  const [editing, setEditing] = useState<ManagedTopUpPlan | 'new' | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (error) return <InlineError className="mg__error" message="充值方案加载失败" />;
  if (!data) return null;
  const giftName = (id: string | null) => data.packagePlans.find((p) => p.id === id)?.name;

  async function withdraw(plan: ManagedTopUpPlan) {
    if (confirming !== plan.id) return setConfirming(plan.id);
    setConfirming(null);
    try {
      await withdrawTopUpPlan(plan.id);
      void Taro.showToast({ title: '已下架', icon: 'none', duration: 2000 });
      reload();
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '下架失败，请重试'));
    }
  }

  return (
    <View className="mg__card top-up-plans">
      <Text className="mg__title">充值方案</Text>
      {data.plans.length === 0 ? <Text className="mg__muted">还没有充值方案</Text> : null}
      {data.plans.map((plan) => (
        <View key={plan.id} className={`top-up-plans__plan top-up-plans__plan--${plan.status}`}>
          <Text className="top-up-plans__name">
            {plan.name} · {PLAN_STATUS_LABELS[plan.status]}
          </Text>
          <Text className="mg__muted">{planTermsText(plan, giftName(plan.giftPackagePlanId) ?? undefined)}</Text>
          <Text className="mg__muted">
            {[planDatesText(draftOf(plan)), `已使用 ${plan.timesUsed} 次`].filter(Boolean).join(' · ')}
          </Text>
          {plan.status === 'withdrawn' ? null : (
            <View className="top-up-plans__actions">
              <Text className="mg__chip top-up-plans__edit" onClick={() => setEditing(plan)}>
                修改
              </Text>
              <Text className="mg__chip top-up-plans__withdraw" onClick={() => void withdraw(plan)}>
                {confirming === plan.id ? '确认下架' : '下架'}
              </Text>
            </View>
          )}
        </View>
      ))}
      {editing ? (
        <PlanForm
          key={editing === 'new' ? 'new' : editing.id}
          plan={editing === 'new' ? undefined : editing}
          packagePlans={data.packagePlans}
          onDone={() => {
            setEditing(null);
            reload();
          }}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <ActionButton className="top-up-plans__new" onClick={() => setEditing('new')}>
          新建充值方案
        </ActionButton>
      )}
      <InlineError className="mg__error" message={problem} />
    </View>
  );
}

function PlanForm({
  plan,
  packagePlans,
  onDone,
  onCancel,
}: {
  plan: ManagedTopUpPlan | undefined;
  packagePlans: CatalogPackagePlan[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<PlanDraft>(draftOf(plan));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A used offer keeps what it gives: only its name and dates may change here.
  const fixed = plan?.termsFixed ?? false;
  const set = (field: keyof PlanDraft) => (e: { detail: { value: string } }) =>
    setDraft({ ...draft, [field]: e.detail.value });
  const term = (field: 'pay' | 'bonus' | 'points', label: string, type: 'digit' | 'number') => (
    <>
      <Text className="mg__muted">{label}</Text>
      <Input
        className={`mg__input top-up-plans__${field}`}
        type={type}
        disabled={fixed}
        value={draft[field]}
        onInput={set(field)}
      />
    </>
  );

  const dateField = (field: 'starts' | 'ends', label: string, open: string) => (
    <>
      <Text className="mg__muted">{label}</Text>
      <View className="top-up-plans__date">
        <Picker
          mode="date"
          value={draft[field]}
          onChange={(e) => setDraft({ ...draft, [field]: String(e.detail.value) })}
        >
          <Text className={`mg__input top-up-plans__${field}`}>{draft[field] || open}</Text>
        </Picker>
        {draft[field] ? (
          <Text className={`mg__chip top-up-plans__clear-${field}`} onClick={() => setDraft({ ...draft, [field]: '' })}>
            清除
          </Text>
        ) : null}
      </View>
    </>
  );

  async function save() {
    const read = readPlanDraft(draft);
    if (!read.ok) return setProblem(read.message);
    setBusy(true);
    setProblem(null);
    try {
      if (!plan) await createTopUpPlan(read.terms);
      else {
        const { name, validFrom, validTo } = read.terms;
        await updateTopUpPlan(plan.id, fixed ? { name, validFrom, validTo } : read.terms);
      }
      void Taro.showToast({ title: '充值方案已保存', icon: 'none', duration: 2000 });
      onDone();
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '保存失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="top-up-plans__form">
      <Text className="mg__muted">方案名称（顾客看到的）</Text>
      <Input className="mg__input top-up-plans__name-input" value={draft.name} maxlength={30} onInput={set('name')} />
      {fixed ? (
        <Text className="mg__muted top-up-plans__fixed">已有顾客使用：金额和赠送不能再改，可下架后新建</Text>
      ) : null}
      {term('pay', '充值金额（元）', 'digit')}
      {term('bonus', '赠送金额（元，留空：不送）', 'digit')}
      {term('points', '赠送积分（留空：不送）', 'number')}
      <Text className="mg__muted">赠送次卡</Text>
      <View className="mg__chips">
        {[{ id: null, name: '不送' }, ...packagePlans].map((p) => (
          <Text
            key={p.id ?? 'none'}
            className={`mg__chip top-up-plans__gift ${draft.giftPackagePlanId === p.id ? 'mg__chip--on' : ''}`}
            onClick={() => (fixed ? undefined : setDraft({ ...draft, giftPackagePlanId: p.id }))}
          >
            {p.name}
          </Text>
        ))}
      </View>
      {dateField('starts', '开始日期（北京时间，留空：立即）', '立即')}
      {dateField('ends', '结束日期（含当天，留空：长期）', '长期')}
      <View className="mg__actions">
        <ActionButton className="top-up-plans__save" type="primary" disabled={busy} onClick={() => void save()}>
          保存方案（记入审计）
        </ActionButton>
        <ActionButton className="top-up-plans__cancel" onClick={onCancel}>
          取消
        </ActionButton>
      </View>
      <InlineError className="mg__error" message={problem} />
    </View>
  );
}
