import { render, screen } from '@testing-library/react';
import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { QrCode, qrRuns } from './index.tsx';

describe('qrRuns', () => {
  it('draws exactly the dark modules of the code, row by row', () => {
    const token = 'mc_eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const { data, size } = encode(token, { ecc: 'M', border: 0 });
    const { size: runsSize, rows } = qrRuns(token);
    expect(runsSize).toBe(size);
    const redrawn = rows.map((runs) => {
      const row = Array<boolean>(size).fill(false);
      for (const [start, length] of runs) for (let x = start; x < start + length; x++) row[x] = true;
      return row;
    });
    expect(redrawn).toEqual(data);
    // The top-left finder pattern: a 7-module dark bar on the first row.
    expect(rows[0]?.[0]).toEqual([0, 7]);
  });

  it('changes when the token changes', () => {
    expect(qrRuns('token-a').rows).not.toEqual(qrRuns('token-b').rows);
  });
});

describe('QrCode', () => {
  it('renders one row per module row, with one view per dark run', () => {
    const { container } = render(<QrCode value="token-a" />);
    const { size, rows } = qrRuns('token-a');
    expect(screen.getByRole('img')).toBeInTheDocument();
    expect(container.querySelectorAll('.lumi-qr__row')).toHaveLength(size);
    expect(container.querySelectorAll('.lumi-qr__run')).toHaveLength(rows.flat().length);
  });
});
