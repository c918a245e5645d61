import { act, render, screen } from '@testing-library/react';
import { PageShell } from '@lumi/mini';
import { fakeTaro, showPagesAgain } from '@lumi/mini/testing';
import { describe, expect, it } from 'vitest';
import { applyBrand, applyRememberedBrand, barTextColor } from './brand.ts';

describe('the salon brand', () => {
  it('picks navigation bar text that reads on the colour', () => {
    expect(barTextColor('#a97c50')).toBe('#ffffff');
    expect(barTextColor('#c2185b')).toBe('#ffffff');
    expect(barTextColor('#ffe082')).toBe('#000000');
    expect(barTextColor('#ffffff')).toBe('#000000');
  });

  it('colours the page roots and the navigation bar on every page show, and remembers it', async () => {
    render(<PageShell className="x">内容</PageShell>);
    const root = screen.getByText('内容').closest('.lumi-page') as HTMLElement;
    expect(root.style.getPropertyValue('--brand')).toBe('');

    // Not a colour: ignored (a hand-edited setting must not break the page).
    act(() => applyBrand('red'));
    expect(fakeTaro.setNavigationBarColor).not.toHaveBeenCalled();

    act(() => applyBrand('#2e7d32'));
    expect(root.style.getPropertyValue('--brand')).toBe('#2e7d32');
    expect(document.documentElement.style.getPropertyValue('--brand')).toBe('#2e7d32');
    expect(fakeTaro.setNavigationBarColor).toHaveBeenLastCalledWith({
      frontColor: '#ffffff',
      backgroundColor: '#2e7d32',
    });
    expect(fakeTaro.getStorageSync('lumi.brand')).toBe('#2e7d32');

    // A weapp page keeps its own bar colour: painted again whenever a page shows.
    fakeTaro.setNavigationBarColor.mockClear();
    act(() => showPagesAgain());
    expect(fakeTaro.setNavigationBarColor).toHaveBeenCalledWith({ frontColor: '#ffffff', backgroundColor: '#2e7d32' });
  });

  it('opens in the colour of the last visit', () => {
    fakeTaro.setStorageSync('lumi.brand', '#ffe082');
    applyRememberedBrand();
    expect(fakeTaro.setNavigationBarColor).toHaveBeenLastCalledWith({
      frontColor: '#000000',
      backgroundColor: '#ffe082',
    });
  });
});
