import { forwardRef, type ReactNode } from 'react';

/**
 * DOM stand-ins for `@tarojs/components` in page tests: enough of each component's props (and the
 * `event.detail.value` shape of input events) for Testing Library to drive the pages.
 */

interface BaseProps {
  className?: string;
  children?: ReactNode;
  role?: string;
  onClick?: () => void;
  style?: Record<string, string | number>;
  /** The pages' e2e hooks (one order, one cart line, the quantity chosen), so page tests can look inside one of many alike. */
  'data-testid'?: string;
}

export function View({ className, children, role, onClick, style, 'data-testid': testId }: BaseProps) {
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: a test stand-in for Taro's View.
    <div className={className} role={role} onClick={onClick} style={style} data-testid={testId}>
      {children}
    </div>
  );
}

export function Text({ className, children, role, onClick, 'data-testid': testId }: BaseProps) {
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: a test stand-in for Taro's Text.
    <span className={className} role={role} onClick={onClick} data-testid={testId}>
      {children}
    </span>
  );
}

interface ButtonProps extends BaseProps {
  disabled?: boolean;
  loading?: boolean;
  type?: string;
  size?: string;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { className, children, disabled, loading, onClick },
  ref,
) {
  return (
    <button ref={ref} type="button" className={className} disabled={disabled} aria-busy={loading} onClick={onClick}>
      {children}
    </button>
  );
});

interface InputProps {
  className?: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  type?: string;
  maxlength?: number;
  onInput?: (event: { detail: { value: string } }) => void;
  onConfirm?: (event: { detail: { value: string } }) => void;
}

export function Input({ className, value, placeholder, password, maxlength, onInput, onConfirm }: InputProps) {
  return (
    <input
      className={className}
      value={value}
      placeholder={placeholder}
      type={password ? 'password' : 'text'}
      maxLength={maxlength}
      onChange={(event) => onInput?.({ detail: { value: event.target.value } })}
      onKeyDown={(event) => {
        if (event.key === 'Enter') onConfirm?.({ detail: { value: event.currentTarget.value } });
      }}
    />
  );
}

export function Image({ className, src, ariaLabel }: { className?: string; src: string; ariaLabel?: string }) {
  return <img className={className} src={src} alt={ariaLabel ?? ''} />;
}

export function Textarea({ className, value, placeholder, maxlength, onInput }: InputProps) {
  return (
    <textarea
      className={className}
      value={value}
      placeholder={placeholder}
      maxLength={maxlength}
      onChange={(event) => onInput?.({ detail: { value: event.target.value } })}
    />
  );
}

/** A date picker as a plain date field: changing it fires `onChange` with Taro's `detail.value`. */
export function Picker({
  children,
  value,
  onChange,
}: {
  children?: ReactNode;
  mode?: string;
  value?: string;
  start?: string;
  end?: string;
  onChange?: (event: { detail: { value: string } }) => void;
}) {
  return (
    <label>
      {children}
      <input
        type="date"
        className="picker-value"
        value={value}
        onChange={(event) => onChange?.({ detail: { value: event.target.value } })}
      />
    </label>
  );
}

export function Canvas({ id, className }: { id?: string; className?: string; type?: string }) {
  return <canvas id={id} className={className} />;
}
