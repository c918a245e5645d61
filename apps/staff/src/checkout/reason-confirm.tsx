import { Input, Text } from '@tarojs/components';
import { useState } from 'react';
import { ActionButton, InlineError } from '@lumi/mini';

/** The shortest reason the till accepts for an act that cannot be undone (two characters say something). */
export const REASON_MIN = 2;

export interface ReasonConfirmProps {
  /** The act in one word, as the rest of the app names it (撤销, 取消): labels the field and its error. */
  act: string;
  /** What the act does to the money, read before confirming. */
  hint: string;
  /** The warning button's label, and its label while the act is under way. */
  confirmLabel: string;
  busyLabel: string;
  /** Class prefix the page styles and the e2e tests find: `<prefix>-reason`, `<prefix>-confirm`, `<prefix>-error`. */
  classPrefix: string;
  /**
   * Performs the act with the trimmed reason; answers the problem to show under the button, or null (done, or
   * the page offers something else, such as 请店长审批).
   */
  onConfirm: (reason: string) => Promise<string | null>;
}

/**
 * An act at the till that closes a bill for good (撤销, 取消账单): the reason asked, what it does said, confirmed with a
 * warning button, and what went wrong shown in place. One tap while it runs; typing again clears the last problem.
 */
export function ReasonConfirm({ act, hint, confirmLabel, busyLabel, classPrefix, onConfirm }: ReasonConfirmProps) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function confirm() {
    if (busy) return;
    const trimmed = reason.trim();
    if (trimmed.length < REASON_MIN) return setProblem(`请填写${act}原因（至少 ${REASON_MIN} 个字）`);
    setBusy(true);
    setProblem(null);
    try {
      setProblem(await onConfirm(trimmed));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Input
        className={`ck__input ck__input--wide ${classPrefix}-reason`}
        placeholder={`${act}原因`}
        maxlength={200}
        value={reason}
        onInput={(event) => {
          setReason(event.detail.value);
          setProblem(null);
        }}
      />
      <Text className="ck__hint">{hint}</Text>
      <ActionButton
        className={`ck__submit ${classPrefix}-confirm`}
        type="warn"
        disabled={busy}
        onClick={() => void confirm()}
      >
        {busy ? busyLabel : confirmLabel}
      </ActionButton>
      <InlineError className={`ck__error ${classPrefix}-error`} message={problem} />
    </>
  );
}
