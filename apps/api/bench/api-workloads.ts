/** What the API benchmark's clients do, as chains of requests (http-load.ts). */
import type { BenchTenant } from './api-world.ts';
import type { Step } from './http-load.ts';

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const pickIndex = (n: number) => Math.floor(Math.random() * n);

/** Stored value pays this much of each bill, cash the rest (组合支付). */
export const STORED_VALUE_PART_FEN = 20_000;

/** 结账: a bill for the fixture's service (¥388) for a random customer, settled by stored value plus cash. */
export function checkout(tenants: BenchTenant[]): Step[] {
  return [
    {
      method: 'POST',
      build: (state) => {
        const t = pick(tenants);
        state.tenant = t;
        return {
          path: '/staff/bills',
          token: t.staffToken,
          body: {
            storeId: t.fixture.storeIds[0],
            customerId: pick(t.customerIds),
            lines: [
              { type: 'service', serviceId: t.fixture.serviceId, quantity: 1, performerIds: [t.fixture.beautician.id] },
            ],
          },
        };
      },
      read: (body, state) => {
        const bill = JSON.parse(body) as { id: string; totalFen: number };
        state.billId = bill.id;
        state.totalFen = bill.totalFen;
      },
    },
    {
      method: 'POST',
      build: (state) => {
        const t = state.tenant as BenchTenant;
        const total = state.totalFen as number;
        return {
          path: `/staff/bills/${String(state.billId)}/settlement`,
          token: t.staffToken,
          key: true,
          body: {
            tenders: [
              { method: 'stored_value', amountFen: STORED_VALUE_PART_FEN },
              { method: 'cash', amountFen: total - STORED_VALUE_PART_FEN },
            ],
          },
        };
      },
    },
  ];
}

/**
 * The till and the customers at once: each operation is a checkout (as above) with probability `shares.checkout`,
 * a ¥100 cash top-up with `shares.topUp`, otherwise a customer's wallet read, over every customer of every tenant.
 */
export function tillAndCustomers(tenants: BenchTenant[], shares = { checkout: 0.4, topUp: 0.2 }): Step[] {
  const [open, settle] = checkout(tenants) as [Step, Step];
  return [
    {
      method: 'POST',
      build: (state) => {
        const roll = Math.random();
        if (roll < shares.checkout) {
          state.kind = 'checkout';
          return open.build(state);
        }
        const t = pick(tenants);
        const i = pickIndex(t.customerIds.length);
        if (roll < shares.checkout + shares.topUp) {
          state.kind = 'top-up';
          return {
            path: `/staff/customers/${t.customerIds[i]}/top-ups`,
            token: t.staffToken,
            key: true,
            body: { storeId: t.fixture.storeIds[0], amountFen: 10_000, method: 'cash' },
          };
        }
        state.kind = 'wallet';
        return { method: 'GET', path: '/me/wallet', token: t.customerTokens[i] };
      },
      read: (body, state) => {
        if (state.kind === 'checkout') open.read?.(body, state);
      },
      ends: (state) => state.kind !== 'checkout',
    },
    { ...settle, build: (state) => (state.kind === 'checkout' ? settle.build(state) : null) },
  ];
}

/** A customer's own read (GET /me/wallet or /me/entries) for a random customer of a random tenant. */
export function customerRead(tenants: BenchTenant[], path: '/me/wallet' | '/me/entries'): Step[] {
  return [{ method: 'GET', build: () => ({ path, token: pick(pick(tenants).customerTokens) }) }];
}

/** Staff password login (scrypt) of a random tenant's beautician. */
export function staffLogin(tenants: BenchTenant[]): Step[] {
  return [
    {
      method: 'POST',
      build: () => {
        const { beautician } = pick(tenants).fixture;
        return { path: '/auth/staff/login', body: { phone: beautician.phone, password: beautician.password } };
      },
    },
  ];
}

/**
 * The mix seen from outside: 20% top-ups (¥100 cash, below every offer) and 80% stored-value spends
 * (¥1–¥10) over the first `customers` customers of one tenant.
 */
export function mixed(t: BenchTenant, customers: number, topUpShare = 0.2): Step[] {
  return [
    {
      method: 'POST',
      build: () => {
        const customerId = t.customerIds[pickIndex(Math.min(customers, t.customerIds.length))]!;
        const storeId = t.fixture.storeIds[0];
        return Math.random() < topUpShare
          ? {
              path: `/staff/customers/${customerId}/top-ups`,
              token: t.staffToken,
              key: true,
              body: { storeId, amountFen: 10_000, method: 'cash' },
            }
          : {
              path: `/staff/customers/${customerId}/spends`,
              token: t.staffToken,
              key: true,
              body: { storeId, amountFen: 100 + pickIndex(900) },
            };
      },
    },
  ];
}
