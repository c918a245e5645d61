import { View } from '@tarojs/components';
import { useMemo } from 'react';
import { encode } from 'uqr';
import './index.scss';

/**
 * The dark runs of each row of a QR code, as [start, length] in modules. Drawing runs instead of single modules
 * keeps a member token's code (about 33 × 33 modules) to a few hundred views, which both builds draw quickly
 * without a canvas.
 */
export function qrRuns(text: string): { size: number; rows: [number, number][][] } {
  // M: a phone screen with a glare or a crack still scans; the quiet zone is drawn by the component's padding.
  const { data, size } = encode(text, { ecc: 'M', border: 0 });
  const rows = data.map((row) => {
    const runs: [number, number][] = [];
    let start = -1;
    row.forEach((dark, x) => {
      if (dark && start < 0) start = x;
      if (!dark && start >= 0) {
        runs.push([start, x - start]);
        start = -1;
      }
    });
    if (start >= 0) runs.push([start, row.length - start]);
    return runs;
  });
  return { size, rows };
}

export interface QrCodeProps {
  /** What the code holds (a short-lived member token, never a raw id). */
  value: string;
  /** Side of the drawn code in rpx, quiet zone included. */
  sizeRpx?: number;
  className?: string;
}

/** A QR code drawn with views, in rpx so it is the same physical size on every phone. */
export function QrCode({ value, sizeRpx = 480, className }: QrCodeProps) {
  const { size, rows } = useMemo(() => qrRuns(value), [value]);
  // Four modules of quiet zone around the code, as the standard asks.
  const module = sizeRpx / (size + 8);
  const rpx = (n: number) => `${(n * module).toFixed(2)}rpx`;
  return (
    <View
      className={className ? `lumi-qr ${className}` : 'lumi-qr'}
      style={{ width: `${sizeRpx}rpx`, height: `${sizeRpx}rpx`, padding: rpx(4) }}
      role="img"
      ariaLabel="会员二维码"
    >
      {rows.map((runs, y) => (
        // Rows never reorder: the index is the row.
        <View key={y} className="lumi-qr__row" style={{ height: rpx(1) }}>
          {runs.map(([start, length]) => (
            <View
              key={start}
              className="lumi-qr__run"
              style={{ left: rpx(start), width: rpx(length), height: rpx(1) }}
            />
          ))}
        </View>
      ))}
    </View>
  );
}
