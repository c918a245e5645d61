import { Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton, InlineError, useAsync } from '@lumi/mini';
import { type MessageText, placeholdersIn } from '@lumi/shared';
import { listMessageTexts, resetMessageText, updateMessageText } from '../../services/settings.ts';
import { decisionErrorMessage } from '../decision.ts';
import './message-text-card.scss';

/** 设置 → 消息模板: the words customers read in each reminder (its own load and save). */
export function MessageTextCard() {
  const { data, error } = useAsync(listMessageTexts);
  if (error) return <InlineError className="mg__error" message="消息模板加载失败" />;
  if (!data) return null;
  return (
    <View className="mg__card message-texts">
      <Text className="mg__title">消息模板</Text>
      <Text className="mg__muted">短信和消息里顾客读到的文字；花括号里的内容会换成实际信息</Text>
      {data.map((t) => (
        <PurposeText key={t.purpose} initial={t} />
      ))}
    </View>
  );
}

function PurposeText({ initial }: { initial: MessageText }) {
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState(initial.text);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** The API checks the same; said here in words the manager can act on. */
  function save() {
    const unknown = placeholdersIn(draft).find((p) => !saved.placeholders.includes(p));
    if (unknown) return setProblem(`不能使用 {${unknown}}，可用：${saved.placeholders.map((p) => `{${p}}`).join(' ')}`);
    if (draft.trim() === '') return setProblem('请填写消息内容');
    void apply(() => updateMessageText(saved.purpose, draft), '消息模板已保存');
  }

  async function apply(change: () => Promise<MessageText>, done: string) {
    setBusy(true);
    setProblem(null);
    try {
      const after = await change();
      setSaved(after);
      setDraft(after.text);
      void Taro.showToast({ title: done, icon: 'none', duration: 2000 });
    } catch (cause) {
      setProblem(decisionErrorMessage(cause, '保存失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className={`message-texts__purpose message-texts__purpose--${saved.purpose}`}>
      <Text className="message-texts__label">
        {saved.label}
        {saved.custom ? ' · 已修改' : ' · 默认'}
      </Text>
      <Text className="mg__muted">可用：{saved.placeholders.map((p) => `{${p}}`).join(' ')}</Text>
      <Textarea
        className="mg__input message-texts__text"
        value={draft}
        maxlength={134}
        onInput={(e) => setDraft(e.detail.value)}
      />
      <Text className="mg__muted message-texts__preview">预览（林小雅）：{saved.preview}</Text>
      <View className="mg__actions">
        <ActionButton
          className="message-texts__save"
          type="primary"
          disabled={busy || draft.trim() === saved.text}
          onClick={save}
        >
          保存（记入审计）
        </ActionButton>
        {saved.custom ? (
          <ActionButton
            className="message-texts__reset"
            disabled={busy}
            onClick={() => void apply(() => resetMessageText(saved.purpose), '已恢复默认')}
          >
            恢复默认
          </ActionButton>
        ) : null}
      </View>
      <InlineError className="mg__error" message={problem} />
    </View>
  );
}
