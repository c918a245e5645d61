import { Button, type ButtonProps } from '@tarojs/components';

/**
 * Taro's Button with its boolean props passed only when true. On H5, React writes `disabled={false}` onto
 * Taro's button element as the attribute disabled="false", and the button's CSS matches on the attribute
 * being there at all — so a button that was ever disabled, or given loading={false}, keeps looking disabled
 * (or loading) although it works. Leaving the prop out when false keeps the attribute off. WeChat is unaffected.
 *
 * Changing the label while `loading` turns on also breaks on H5 (the spinner is inserted beside text React is
 * replacing); a button whose label says what is happening should not use `loading`.
 */
export function ActionButton({ disabled, loading, plain, ...rest }: ButtonProps) {
  return (
    <Button {...rest} disabled={disabled || undefined} loading={loading || undefined} plain={plain || undefined} />
  );
}
