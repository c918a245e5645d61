import { fireEvent, render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { fakeTaro, setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { ComponentType } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import BillPage from './checkout/bill/index.tsx';
import BillsPage from './checkout/bills/index.tsx';
import NewBillPage from './checkout/new-bill/index.tsx';
import ReceiptPage from './checkout/receipt/index.tsx';
import RefundPage from './checkout/refund/index.tsx';
import SettlePage from './checkout/settle/index.tsx';
import CardTransferPage from './front-desk/card-transfer/index.tsx';
import CreditPage from './front-desk/credit/index.tsx';
import CustomerCardPage from './front-desk/customer/index.tsx';
import SellCardPage from './front-desk/sell-card/index.tsx';
import TopUpPage from './front-desk/top-up/index.tsx';
import { BILLS_PAGE, CUSTOMERS_PAGE, FRONT_DESK_PAGE, HOME_PAGE } from './routes.ts';

const ID = '00000000-0000-4000-8000-0000000000b1';

/** Each counter page as a link or a reloaded H5 tab opens it: alone on the stack, for a record she may not see. */
const PAGES: [string, ComponentType, string][] = [
  [`checkout/bill/index?id=${ID}`, BillPage, BILLS_PAGE],
  [`checkout/settle/index?id=${ID}`, SettlePage, BILLS_PAGE],
  [`checkout/refund/index?id=${ID}`, RefundPage, BILLS_PAGE],
  [`checkout/receipt/index?id=${ID}`, ReceiptPage, BILLS_PAGE],
  ['checkout/bills/index', BillsPage, HOME_PAGE],
  [`checkout/new-bill/index?customerId=${ID}`, NewBillPage, CUSTOMERS_PAGE],
  [`front-desk/customer/index?id=${ID}`, CustomerCardPage, FRONT_DESK_PAGE],
  [`front-desk/top-up/index?customerId=${ID}`, TopUpPage, FRONT_DESK_PAGE],
  [`front-desk/sell-card/index?customerId=${ID}`, SellCardPage, FRONT_DESK_PAGE],
  [`front-desk/credit/index?customerId=${ID}`, CreditPage, FRONT_DESK_PAGE],
  [`front-desk/card-transfer/index?customerId=${ID}&cardId=${ID}`, CardTransferPage, FRONT_DESK_PAGE],
];

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  // Whatever the page reads is refused: no retry helps, so only 返回 leads anywhere.
  setFakeServer(() => ({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'Not your store' } } }));
});

describe('no counter page is a dead end on H5, which has no back bar', () => {
  it.each(PAGES)('%s offers 返回 to where it belongs', async (route, Page, fallback) => {
    setCurrentPages([route]);
    render(<Page />);
    fireEvent.click(await screen.findByRole('button', { name: '返回' }));
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: fallback });
  });
});
