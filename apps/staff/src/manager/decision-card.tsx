import { Input, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { ActionButton, InlineError } from '@lumi/mini';

export interface DecisionAction {
  className: string;
  label: string;
  type: 'primary' | 'warn';
  onClick: () => void;
}

interface DecisionCardProps {
  /** What the note is for and who reads it, shown in the empty field. */
  placeholder: string;
  maxlength: number;
  note: string;
  /** A new note; the page clears its problem message here too. */
  onNote: (note: string) => void;
  /** The two ways to decide, in the order a manager reads them (the one that goes ahead first). */
  actions: [DecisionAction, DecisionAction];
  busy: boolean;
  problem: string | null;
  /** Fields asked before the note (the credit limit to grant). */
  children?: ReactNode;
}

/** The foot of every decision page: a note, the two decisions, and why the last one did not go through. */
export function DecisionCard({
  placeholder,
  maxlength,
  note,
  onNote,
  actions,
  busy,
  problem,
  children,
}: DecisionCardProps) {
  return (
    <View className="mg__card mg__decision">
      {children}
      <Input
        className="mg__input mg__note"
        placeholder={placeholder}
        maxlength={maxlength}
        value={note}
        onInput={(event) => onNote(event.detail.value)}
      />
      <View className="mg__actions">
        {actions.map((action) => (
          <ActionButton
            key={action.className}
            className={action.className}
            type={action.type}
            disabled={busy}
            onClick={action.onClick}
          >
            {action.label}
          </ActionButton>
        ))}
      </View>
      <InlineError className="mg__error" message={problem} />
    </View>
  );
}
