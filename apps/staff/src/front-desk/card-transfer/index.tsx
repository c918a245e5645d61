import { Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import {
  ActionButton,
  ApiError,
  createAttemptKeys,
  formatCount,
  formatDate,
  formatDateTime,
  InlineError,
  PageShell,
  useAsync,
} from '@lumi/mini';
import type { ApprovalRequest, CustomerProfile, StaffProfile } from '@lumi/shared';
import { approvalStatusLabel } from '../../approval-status.ts';
import { CustomerSearch } from '../../customer-search.tsx';
import { isManagerRole } from '../../roles.ts';
import { FRONT_DESK_PAGE } from '../../routes.ts';
import { filePackageTransferApproval, getApprovalRequest, listApprovals } from '../../services/approvals.ts';
import { getCustomer, getCustomerWallet } from '../../services/customers.ts';
import { transferPackageCard } from '../../services/front-desk.ts';
import { getMyStaffProfile } from '../../services/profile.ts';
import { StoreChips } from '../store-chips.tsx';
import '../front-desk.scss';

async function loadTransfer(customerId: string, cardId: string) {
  const [me, customer, wallet, requests] = await Promise.all([
    getMyStaffProfile(),
    getCustomer(customerId),
    getCustomerWallet(customerId),
    listApprovals({ kind: 'package_transfer', customerId }),
  ]);
  const card = wallet.packageCards.find((c) => c.id === cardId) ?? null;
  const latest = requests.find((r) => r.packageTransfer?.card.id === cardId) ?? null;
  return { me, customer, card, latest };
}

/** How often a waiting request is looked at again, so her screen shows the manager's decision. */
const POLL_MS = 5_000;

/**
 * 转卡: the sessions left on a customer's card go to another customer. A beautician asks the manager (请店长审批),
 * who approves on the phone and the ledger moves them; a manager transfers directly.
 */
export default function CardTransferPage() {
  const { customerId = '', cardId = '' } = useRouter().params;
  const { data, error, loading, reload } = useAsync(() => loadTransfer(customerId, cardId), [customerId, cardId]);
  const [to, setTo] = useState<CustomerProfile | null>(null);
  const [reason, setReason] = useState('');
  const [storeId, setStoreId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [request, setRequest] = useState<ApprovalRequest | null>(null);
  const [moved, setMoved] = useState(false);
  // Null until changed: every session left (the whole card), as most transfers are.
  const [count, setCount] = useState<number | null>(null);
  const keys = useRef(createAttemptKeys('card-transfer')).current;

  const shown = request ?? data?.latest ?? null;
  const pendingId = shown?.status === 'pending' ? shown.id : null;
  useEffect(() => {
    if (!pendingId) return;
    const timer = setInterval(() => {
      getApprovalRequest(pendingId).then(setRequest, () => {});
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [pendingId]);

  /** The receiver, found as at the desk (member code, or search paged with 加载更多); never the card's owner. */
  async function pick(id: string) {
    if (id === customerId) return setProblem('不能转给持卡人本人，请选择另一位顾客');
    setProblem(null);
    try {
      setTo(await getCustomer(id));
    } catch (cause) {
      setProblem(cause instanceof ApiError ? cause.message : '查找失败，请重试');
    }
  }

  async function submit(me: StaffProfile, sessions: number) {
    if (busy) return;
    if (!to) return setProblem('请选择转入的顾客');
    if (reason.trim().length < 2) return setProblem('请填写转卡原因（至少 2 个字）');
    setBusy(true);
    setProblem(null);
    try {
      if (isManagerRole(me.role)) {
        const body = { toCustomerId: to.id, reason: reason.trim(), sessions };
        await transferPackageCard(customerId, cardId, body, keys.keyFor(body));
        keys.finish();
        setMoved(true);
        void Taro.showToast({ title: '已转卡', icon: 'none', duration: 2000 });
      } else {
        const store = storeId ?? me.stores[0]?.id ?? '';
        setRequest(
          await filePackageTransferApproval({
            storeId: store,
            customerId,
            packageCardId: cardId,
            toCustomerId: to.id,
            reason: reason.trim(),
            sessions,
          }),
        );
        void Taro.showToast({ title: '已提交店长审批', icon: 'none', duration: 2000 });
      }
    } catch (cause) {
      setProblem(cause instanceof ApiError ? cause.message : '提交失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  const card = data?.card;
  const asking = data && !isManagerRole(data.me.role);
  const left = card?.sessionsLeft ?? 0;
  const sessions = Math.min(count ?? left, left);
  const step = (delta: number) => setCount(Math.min(left, Math.max(1, sessions + delta)));
  return (
    <PageShell loading={loading} error={error} onRetry={reload} backTo={FRONT_DESK_PAGE} className="fd">
      {data && card ? (
        <>
          <View className="fd__card">
            <Text className="fd__title">{card.name}</Text>
            <Text className="fd__muted">
              {data.customer.name ?? '未填写姓名'} · 剩余 {formatCount(card.sessionsLeft)} 次 · 有效期至{' '}
              {formatDate(card.expiresOn)}
            </Text>
            <Text className="fd__muted">可转出部分或全部剩余次数给另一位顾客，有效期不变。</Text>
          </View>
          {shown ? <TransferStatus request={shown} /> : null}
          {moved ? <Text className="fd__card fd__ok">已转入对方账户，双方会员卡已更新。</Text> : null}
          {shown?.status === 'pending' || moved || card.sessionsLeft === 0 ? null : !to ? (
            <>
              <Text className="fd__label fd__transfer-pick">选择转入顾客</Text>
              <CustomerSearch block="fd" action="转入" onPick={pick} />
            </>
          ) : (
            <View className="fd__card fd__transfer-form">
              <Text className="fd__label">转入顾客</Text>
              <View className="fd__row fd__transfer-to">
                <Text>
                  {to.name ?? '未填写姓名'} {to.phone ?? ''}
                </Text>
                <Text className="fd__link fd__transfer-change" onClick={() => setTo(null)}>
                  更换
                </Text>
              </View>
              <Text className="fd__label">转出次数</Text>
              <View className="fd__stepper fd__transfer-count">
                <Text className="fd__step fd__step--minus" onClick={() => step(-1)}>
                  −
                </Text>
                <Text className="fd__count fd__transfer-sessions">{formatCount(sessions)}</Text>
                <Text className="fd__step fd__step--plus" onClick={() => step(1)}>
                  ＋
                </Text>
                <Text className="fd__muted">次（共 {formatCount(left)} 次）</Text>
                <Text className="fd__link fd__transfer-all" onClick={() => setCount(left)}>
                  全部
                </Text>
              </View>
              <Text className="fd__muted fd__transfer-keeps">
                {sessions === left ? '全部转出，本卡剩余 0 次' : `本卡保留 ${formatCount(left - sessions)} 次`}
              </Text>
              <Input
                className="fd__input fd__transfer-reason"
                placeholder="转卡原因（必填）"
                maxlength={200}
                value={reason}
                onInput={(event) => setReason(event.detail.value)}
              />
              {asking ? (
                <StoreChips me={data.me} storeId={storeId ?? data.me.stores[0]?.id ?? ''} onChange={setStoreId} />
              ) : null}
              <ActionButton
                className="fd__submit fd__transfer-submit"
                type="primary"
                disabled={busy}
                onClick={() => void submit(data.me, sessions)}
              >
                {busy ? '提交中…' : asking ? '请店长审批' : '确认转卡'}
              </ActionButton>
            </View>
          )}
          <InlineError className="fd__error" message={problem} />
        </>
      ) : null}
    </PageShell>
  );
}

/** The request's state for the beautician who filed it: waiting, transferred, or refused with the note. */
function TransferStatus({ request }: { request: ApprovalRequest }) {
  const transfer = request.packageTransfer;
  return (
    <View className={`fd__card fd__transfer-status fd__transfer-status--${request.status}`}>
      <Text className="fd__title">{approvalStatusLabel(request)}</Text>
      {transfer ? (
        <Text className="fd__muted">
          {transfer.from.name ?? '顾客'} → {transfer.to.name ?? '顾客'} · {formatCount(transfer.sessions)} 次
          {transfer.sessionsLeft > transfer.sessions
            ? `，原卡保留 ${formatCount(transfer.sessionsLeft - transfer.sessions)} 次`
            : ''}
        </Text>
      ) : null}
      <Text className="fd__muted">
        提交于 {formatDateTime(request.createdAt)} · {request.reason}
      </Text>
      {request.decidedBy ? (
        <Text className="fd__muted fd__transfer-note">
          {request.decidedBy.name ?? '店长'}
          {request.decisionNote ? `：${request.decisionNote}` : ''}
        </Text>
      ) : null}
    </View>
  );
}
