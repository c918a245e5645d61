import { Input, Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, formatDate, formatFen, InlineError, PageShell, todayInShanghai, useAsync } from '@lumi/mini';
import type { CollectionBoard, CollectionOutcome, CollectionTask } from '@lumi/shared';
import { getCollectionBoard, recordCollectionOutcome, unfreezeCreditLine } from '../../services/credit.ts';
import { OUTCOME_LABELS } from '../aging.ts';
import { ChartCard } from '../chart/chart-card.tsx';
import { agingBuckets } from '../chart/chart-data.ts';
import { decisionErrorMessage, noteProblem } from '../decision.ts';
import { ManagerOnly } from '../manager-only.tsx';
import '../manager.scss';

type OverdueCustomer = CollectionBoard['customers'][number];
const OUTCOMES = Object.keys(OUTCOME_LABELS) as CollectionOutcome[];

function Overdue() {
  const { data, error, loading, reload } = useAsync(getCollectionBoard);
  return (
    <PageShell loading={loading && !data} error={error} onRetry={reload} className="mg">
      {data ? (
        <>
          <ChartCard
            id="aging"
            title={`账龄（截至 ${formatDate(data.asOf)}）`}
            kind="bar"
            data={agingBuckets(data.totals, formatFen)}
            note={`逾期合计 ${formatFen(data.totals.overdueFen)} · 未到期 ${formatFen(data.totals.notDueFen)}`}
          />
          {data.customers.length === 0 ? (
            <View className="mg__card">
              <Text className="mg__muted">没有逾期的顾客</Text>
            </View>
          ) : null}
          {data.customers.map((c) => (
            <OverdueCard key={c.customer.id} customer={c} onChanged={reload} />
          ))}
        </>
      ) : null}
    </PageShell>
  );
}

function OverdueCard({ customer: c, onChanged }: { customer: OverdueCustomer; onChanged: () => void }) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const frozen = c.lineStatus === 'frozen';

  async function unfreeze() {
    const missing = noteProblem(reason, '解冻原因');
    if (missing) return setProblem(missing);
    setBusy(true);
    try {
      await unfreezeCreditLine(c.customer.id, reason.trim());
      void Taro.showToast({ title: '已解冻', icon: 'none', duration: 2000 });
      onChanged();
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '解冻失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className={`mg__card mg__debtor ${frozen ? 'mg__debtor--frozen' : ''}`}>
      <View className="mg__row">
        <View className="mg__main">
          <Text>
            {c.customer.name ?? '未留名顾客'} {frozen ? '· 已冻结' : ''}
          </Text>
          <Text className="mg__muted">
            {c.customer.phone ?? ''} · 最长逾期 {c.oldestOverdueDays} 天 · 额度 {formatFen(c.limitFen)}
          </Text>
        </View>
        <Text className="mg__amount">{formatFen(c.buckets.overdueFen)}</Text>
      </View>
      {c.lastContact ? (
        <Text className="mg__muted">
          上次联系：{OUTCOME_LABELS[c.lastContact.outcome]}
          {c.lastContact.promisedDate ? `（承诺 ${formatDate(c.lastContact.promisedDate)} 还款）` : ''}
          {c.lastContact.note ? ` · ${c.lastContact.note}` : ''}
        </Text>
      ) : null}
      {c.openTasks.map((task) => (
        <TaskOutcome key={task.id} task={task} onDone={onChanged} />
      ))}
      {frozen ? (
        <>
          <Input
            className="mg__input mg__unfreeze-reason"
            placeholder="解冻原因"
            maxlength={200}
            value={reason}
            onInput={(event) => {
              setReason(event.detail.value);
              setProblem(null);
            }}
          />
          <ActionButton className="mg__unfreeze" disabled={busy} onClick={() => void unfreeze()}>
            解冻额度
          </ActionButton>
        </>
      ) : null}
      <InlineError className="mg__error" message={problem} />
    </View>
  );
}

/** 催收任务: record what happened — called, promised to pay on a date, paid, disputed. */
function TaskOutcome({ task, onDone }: { task: CollectionTask; onDone: () => void }) {
  const [outcome, setOutcome] = useState<CollectionOutcome>('called');
  const [promisedDate, setPromisedDate] = useState(todayInShanghai());
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function record() {
    setBusy(true);
    setProblem(null);
    try {
      await recordCollectionOutcome(task.id, {
        outcome,
        ...(outcome === 'promised' ? { promisedDate } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      void Taro.showToast({ title: '已记录', icon: 'none', duration: 2000 });
      onDone();
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '记录失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="mg__task">
      <Text className="mg__muted">
        催收任务 · {formatDate(task.dueDate)} 前 · {task.note}
        {task.assignee?.name ? ` · ${task.assignee.name}` : ''}
      </Text>
      <View className="mg__chips">
        {OUTCOMES.map((o) => (
          <Text
            key={o}
            className={`mg__chip mg__outcome-${o} ${outcome === o ? 'mg__chip--on' : ''}`}
            onClick={() => setOutcome(o)}
          >
            {OUTCOME_LABELS[o]}
          </Text>
        ))}
      </View>
      {outcome === 'promised' ? (
        <Picker mode="date" value={promisedDate} onChange={(event) => setPromisedDate(String(event.detail.value))}>
          <Text className="mg__input mg__promised-date">承诺还款日 {promisedDate}</Text>
        </Picker>
      ) : null}
      <Input
        className="mg__input mg__outcome-note"
        placeholder="备注（可选）"
        maxlength={200}
        value={note}
        onInput={(event) => setNote(event.detail.value)}
      />
      <ActionButton className="mg__record" disabled={busy} onClick={() => void record()}>
        记录结果
      </ActionButton>
      <InlineError className="mg__error" message={problem} />
    </View>
  );
}

export default function OverduePage() {
  return (
    <ManagerOnly>
      <Overdue />
    </ManagerOnly>
  );
}
