import { act, fireEvent, render, screen } from '@testing-library/react';
import { fakeTaro, showPagesAgain } from '@lumi/mini/testing';
import { describe, expect, it } from 'vitest';
import { applySalon } from '../brand.ts';
import { BILLS_PAGE } from '../routes.ts';
import { TabBar } from './tab-bar.tsx';
import { useTabPage } from './tab-state.ts';

/** A tab page as far as the bar is concerned: it says it is current as it shows. */
function BillsTab() {
  useTabPage(BILLS_PAGE);
  return null;
}

const labels = () => [...document.querySelectorAll('.lumi-tab-bar__label')].map((label) => label.textContent);
const selected = () => document.querySelector('.lumi-tab-bar__item--on')?.textContent;

// One sequence: the bar's store lives as long as the app (as in WeChat), so each step builds on the last.
describe('the tab bar', () => {
  it('shows 商城 only while the salon has an item on sale, in its colour, following the tab page shown', () => {
    render(<TabBar />);
    // Nothing known yet (first launch): no 商城 tab promised.
    expect(labels()).toEqual(['首页', '账单', '我的']);
    expect(selected()).toBe('首页');

    act(() => applySalon({ brandColor: '#2e7d32', shopOpen: true }));
    expect(labels()).toEqual(['首页', '商城', '账单', '我的']);
    const bar = document.querySelector('.lumi-tab-bar') as HTMLElement;
    expect(bar.style.getPropertyValue('--brand')).toBe('#2e7d32');
    expect(fakeTaro.getStorageSync('lumi.shopOpen')).toBe(true);

    fireEvent.click(screen.getByText('账单'));
    expect(fakeTaro.switchTab).toHaveBeenLastCalledWith({ url: '/pages/bills/index' });
    render(<BillsTab />);
    expect(selected()).toBe('账单');
    // The current tab again: nothing to switch to.
    fakeTaro.switchTab.mockClear();
    fireEvent.click(screen.getByText('账单'));
    expect(fakeTaro.switchTab).not.toHaveBeenCalled();
    act(() => showPagesAgain());
    expect(selected()).toBe('账单');

    // The last item taken off sale: 商城 goes, and the next launch remembers it.
    act(() => applySalon({ brandColor: '#2e7d32', shopOpen: false }));
    expect(labels()).toEqual(['首页', '账单', '我的']);
    expect(fakeTaro.getStorageSync('lumi.shopOpen')).toBe(false);
  });
});
