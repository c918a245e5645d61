import { Input, Text, View } from '@tarojs/components';

/** A labelled one-line field of a shop form (item, category). */
export function Field({
  label,
  value,
  onText,
  type = 'text',
  placeholder,
  disabled,
}: {
  label: string;
  value: string;
  onText: (text: string) => void;
  type?: 'text' | 'number' | 'digit';
  placeholder?: string;
  disabled?: boolean;
}) {
  return (
    <View>
      <Text>{label}</Text>
      <Input
        className="staff-shop__input"
        type={type}
        placeholder={placeholder}
        value={value}
        maxlength={100}
        disabled={disabled}
        onInput={(e) => onText(e.detail.value)}
      />
    </View>
  );
}
