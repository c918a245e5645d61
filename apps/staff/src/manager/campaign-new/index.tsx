import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { ActionButton, InlineError, PageShell, todayInShanghai, useAsync } from '@lumi/mini';
import type { CampaignChannel, CreateCampaignRequest, GroupPreview, GroupRules, SegmentCode } from '@lumi/shared';
import { CAMPAIGN_PAGE } from '../../routes.ts';
import { getMyStaffProfile } from '../../services/profile.ts';
import { createCampaign, createGroup, getTierProgram, previewAudience } from '../../services/segmentation.ts';
import { offerText, previewExample } from '../campaign-format.ts';
import { decisionErrorMessage } from '../decision.ts';
import { ManagerOnly } from '../manager-only.tsx';
import { type AudienceMode, AudienceCard } from './audience-card.tsx';
import { capOf, type GroupFilters, NO_FILTERS, offerOf, rulesOf, sendTimeOf } from './form.ts';
import { DEFAULT_TEXTS, MessageCard, messageOf, missingText } from './message-card.tsx';
import { OfferCard } from './offer-card.tsx';
import { QUIET_HOURS, SendCard, type SendSettings } from './send-card.tsx';
import '../manager.scss';

const tomorrow = () =>
  new Date(Date.parse(`${todayInShanghai()}T12:00:00+08:00`) + 86_400_000).toISOString().slice(0, 10);

async function loadChoices() {
  const [profile, tiers] = await Promise.all([getMyStaffProfile(), getTierProgram().catch(() => null)]);
  return { stores: profile.stores, tiers: tiers?.levels ?? [] };
}

function NewCampaign() {
  const { data: choices } = useAsync(loadChoices);
  const [name, setName] = useState(`唤醒活动 ${todayInShanghai().slice(5)}`);
  const [mode, setMode] = useState<AudienceMode>('segments');
  const [segments, setSegments] = useState<SegmentCode[]>(['at_risk', 'dormant']);
  const [filters, setFilters] = useState<GroupFilters>(NO_FILTERS);
  const [preview, setPreview] = useState<GroupPreview | null>(null);
  const [coupon, setCoupon] = useState({ title: '回店礼', amount: '50', minSpend: '200', days: '30' });
  const [channels, setChannels] = useState<CampaignChannel[]>(['in_app', 'sms']);
  const [texts, setTexts] = useState(DEFAULT_TEXTS);
  const [send, setSend] = useState<SendSettings>({
    timing: 'later',
    date: tomorrow(),
    time: '10:00',
    quiet: true,
    capMessages: '2',
    capDays: '30',
    holdoutBasisPoints: 2_000,
  });
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const rules: GroupRules | string = mode === 'segments' ? { segments } : rulesOf(filters);
  const cap = capOf(send.capMessages, send.capDays);
  const rulesKey = JSON.stringify([rules, cap]);

  // The live count: who the audience holds now, and who of them the frequency cap would leave without a message.
  useEffect(() => {
    let current = true;
    setPreview(null);
    if (typeof rules === 'string' || (mode === 'segments' && segments.length === 0)) return;
    previewAudience(rules, typeof cap === 'string' ? null : cap).then(
      (found) => current && setPreview(found),
      () => current && setPreview(null),
    );
    return () => {
      current = false;
    };
  }, [rulesKey]);

  const offer = offerOf(coupon.title, coupon.amount, coupon.minSpend, coupon.days);
  const example = previewExample(
    preview?.sample.find((m) => m.name)?.name ?? undefined,
    typeof offer === 'string' ? null : offer,
  );

  /** The request, or what is wrong with the form. */
  function request(): Omit<CreateCampaignRequest, 'audience'> | string {
    if (!name.trim()) return '请填写活动名称';
    if (mode === 'segments' && segments.length === 0) return '请至少选择一个客群';
    if (typeof rules === 'string') return rules;
    if (typeof offer === 'string') return offer;
    const missing = missingText(texts, channels);
    if (missing) return missing;
    if (typeof cap === 'string') return cap;
    const at = send.timing === 'scheduled' ? sendTimeOf(send.date, send.time, new Date()) : null;
    if (at && typeof at !== 'string') return at.problem;
    return {
      name: name.trim(),
      offer: { default: offer, byCategory: [] },
      message: messageOf(texts, channels),
      channels,
      scheduledAt: at,
      quietHours: send.quiet ? QUIET_HOURS : null,
      frequencyCap: cap,
      holdoutBasisPoints: send.holdoutBasisPoints,
      returnWindowDays: 30,
      survey: null,
    };
  }

  async function create() {
    if (busy) return;
    const body = request();
    if (typeof body === 'string') return setProblem(body);
    setBusy(true);
    setProblem(null);
    try {
      // A custom audience is saved as a group first; the campaign reads it when it starts.
      const audience: CreateCampaignRequest['audience'] =
        mode === 'segments'
          ? { type: 'segments', segments }
          : {
              type: 'group',
              groupId: (await createGroup({ name: `${body.name} 客群`.slice(0, 40), rules: rules as GroupRules })).id,
            };
      const created = await createCampaign({ ...body, audience });
      await Taro.redirectTo({ url: `${CAMPAIGN_PAGE}?id=${created.id}` });
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '创建失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageShell className="mg">
      <AudienceCard
        mode={mode}
        onMode={setMode}
        segments={segments}
        onSegments={setSegments}
        filters={filters}
        onFilters={setFilters}
        tiers={choices?.tiers ?? []}
        stores={choices?.stores ?? []}
        preview={preview}
        holdoutBasisPoints={send.holdoutBasisPoints}
      />
      <OfferCard
        name={name}
        onName={setName}
        coupon={coupon}
        onCoupon={setCoupon}
        summary={typeof offer === 'string' ? offer : offerText(offer)}
      />
      <MessageCard channels={channels} onChannels={setChannels} texts={texts} onTexts={setTexts} example={example} />
      <SendCard value={send} onChange={setSend} />
      <ActionButton className="mg__create-campaign" type="primary" disabled={busy} onClick={() => void create()}>
        {send.timing === 'scheduled' ? '创建并定时发送' : '创建活动（稍后发送）'}
      </ActionButton>
      <InlineError className="mg__error" message={problem} />
    </PageShell>
  );
}

export default function NewCampaignPage() {
  return (
    <ManagerOnly>
      <NewCampaign />
    </ManagerOnly>
  );
}
