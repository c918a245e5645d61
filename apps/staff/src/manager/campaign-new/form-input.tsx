import { Input } from '@tarojs/components';

/** One of the form's text fields, its block the class a test or a stylesheet finds it by. */
export function FormInput(p: {
  block: string;
  value: string;
  onValue(value: string): void;
  type?: 'text' | 'digit' | 'number';
  placeholder?: string;
}) {
  return (
    <Input
      className={`mg__input ${p.block}`}
      type={p.type ?? 'text'}
      placeholder={p.placeholder ?? ''}
      value={p.value}
      onInput={(e) => p.onValue(e.detail.value)}
    />
  );
}
