import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ActionButton } from '../action-button/index.tsx';
import './index.scss';

export interface CodeEntryProps {
  /** Called with what was scanned or typed, trimmed and non-empty; a rejection is shown under the entry. */
  onCode(code: string): void | Promise<void>;
  /** The scan button's label, e.g. 扫会员码. */
  scanLabel?: string;
  placeholder?: string;
  /**
   * `scan`: the camera (Taro.scanCode), in the mini-program at the till. `field`: a text field for what a
   * scanner gun or a person types, and for H5, which has no camera (the end-to-end tests fill it).
   * Defaults by platform.
   */
  mode?: 'scan' | 'field';
}

const defaultMode = (): 'scan' | 'field' => (process.env.TARO_ENV === 'h5' ? 'field' : 'scan');

/** WeChat reports a closed camera as a failure; it is the user changing her mind, not an error. */
const cancelled = (error: unknown) => /cancel/i.test((error as { errMsg?: string } | null)?.errMsg ?? '');

/**
 * The one way both apps take a code from a customer's phone (member code, pickup code): scan it, or type it.
 * Shows the error of the last attempt (the message of what onCode threw) until the next one.
 */
export function CodeEntry({ onCode, scanLabel = '扫码', placeholder = '输入或粘贴码', mode }: CodeEntryProps) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(raw: string) {
    const code = raw.trim();
    if (!code || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onCode(code);
      setText('');
    } catch (failure) {
      setError((failure as Error).message || '无法识别该码');
    } finally {
      setBusy(false);
    }
  }

  async function scan() {
    setError(null);
    try {
      const { result } = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode', 'barCode'] });
      await submit(result);
    } catch (failure) {
      if (!cancelled(failure)) setError('扫码失败，请重试');
    }
  }

  return (
    <View className="lumi-code-entry">
      {(mode ?? defaultMode()) === 'scan' ? (
        <ActionButton className="lumi-code-entry__scan" type="primary" disabled={busy} onClick={() => void scan()}>
          {busy ? '识别中…' : scanLabel}
        </ActionButton>
      ) : (
        <View className="lumi-code-entry__field">
          <Input
            className="lumi-code-entry__input"
            placeholder={placeholder}
            value={text}
            maxlength={200}
            confirmType="done"
            onInput={(event) => setText(event.detail.value)}
            onConfirm={(event) => void submit(event.detail.value)}
          />
          <ActionButton
            className="lumi-code-entry__submit"
            type="primary"
            size="mini"
            disabled={busy || !text.trim()}
            onClick={() => void submit(text)}
          >
            {busy ? '识别中…' : '确定'}
          </ActionButton>
        </View>
      )}
      {error ? (
        <View className="lumi-code-entry__error" role="alert">
          <Text>{error}</Text>
        </View>
      ) : null}
    </View>
  );
}
