import { randomUUID } from 'node:crypto';
import type {
  AfterSale,
  Bill,
  CheckoutSettings,
  CustomerCredit,
  CustomerList,
  Dispute,
  StaffCatalog,
  StaffProfile,
  StaffSession,
  Tender,
  UpdateCheckoutSettingsRequest,
} from '@lumi/shared';

/** The demo password of every seeded staff member (apps/api/src/seed/demo-data.ts). */
const DEMO_PASSWORD = 'lumi-demo-2026';

export const DEMO_STAFF = {
  /** 王美丽, beautician at 国贸店. */
  beautician: '13800000003',
  /** 刘店长, manager of 国贸店: answers disputes. */
  manager: '13800000002',
  /** 陈店主, the owner. */
  owner: '13800000001',
  /** 赵晓雪, beautician at the other store: 王美丽's colleague. */
  colleague: '13800000004',
} as const;

/**
 * The staff side of a test, straight against the API as the staff app would call it: data a customer test needs
 * (a bill to confirm or question) is made the way it is in a salon, never written into the database.
 */
export class StaffApi {
  private constructor(
    private readonly apiUrl: string,
    private readonly token: string,
  ) {}

  static async login(apiUrl: string, phone: string): Promise<StaffApi> {
    const session = await call<StaffSession>(apiUrl, null, 'POST', '/auth/staff/login', {
      phone,
      password: DEMO_PASSWORD,
    });
    return new StaffApi(apiUrl, session.accessToken);
  }

  me(): Promise<StaffProfile> {
    return this.call('GET', '/staff/me');
  }

  async customerId(name: string): Promise<string> {
    const list = await this.call<CustomerList>('GET', `/staff/customers?q=${encodeURIComponent(name)}`);
    const found = list.items.find((c) => c.name === name);
    if (!found) throw new Error(`no customer named ${name}`);
    return found.id;
  }

  /** Opens a bill for `serviceIds` at the staff member's first store and settles it with `tenders(total)`. */
  async checkOut(input: {
    customerId: string;
    serviceIds: string[];
    tenders: (totalFen: number) => Tender[];
  }): Promise<Bill> {
    const [store] = (await this.me()).stores;
    if (!store) throw new Error('this staff member has no store');
    const bill = await this.call<Bill>('POST', '/staff/bills', {
      storeId: store.id,
      customerId: input.customerId,
      lines: input.serviceIds.map((serviceId) => ({ type: 'service', serviceId })),
    });
    return this.call<Bill>(
      'POST',
      `/staff/bills/${bill.id}/settlement`,
      { tenders: input.tenders(bill.totalFen) },
      {
        'idempotency-key': `e2e-${randomUUID()}`,
      },
    );
  }

  /** A service of the salon's catalogue by name, as the till lists it. */
  async serviceNamed(name: string): Promise<StaffCatalog['services'][number]> {
    const found = (await this.call<StaffCatalog>('GET', '/staff/catalog')).services.find((s) => s.name === name);
    if (!found) throw new Error(`the salon has no service called ${name}`);
    return found;
  }

  /** A manager's change to the salon's checkout rules, e.g. confirm_first. */
  setCheckoutSettings(changes: UpdateCheckoutSettingsRequest): Promise<CheckoutSettings> {
    return this.call('PUT', '/staff/checkout/settings', changes);
  }

  bill(id: string): Promise<Bill> {
    return this.call('GET', `/staff/bills/${id}`);
  }

  disputes(status?: Dispute['status']): Promise<Dispute[]> {
    return this.call('GET', status ? `/staff/disputes?status=${status}` : '/staff/disputes');
  }

  answerDispute(id: string, answer: string): Promise<Dispute[]> {
    return this.call('POST', `/staff/disputes/${id}/resolution`, { resolution: 'answer', answer });
  }

  /** What the staff app's customer page shows of her credit (owed, open sales). */
  creditOf(customerId: string): Promise<CustomerCredit> {
    return this.call('GET', `/staff/customers/${customerId}/credit`);
  }

  /** Any other route, as this staff member; money-moving requests get a fresh Idempotency-Key. */
  send<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const key: Record<string, string> = method === 'POST' ? { 'idempotency-key': `e2e-${randomUUID()}` } : {};
    return this.call<T>(method, path, body, key);
  }

  /** The status and error code a route answers, for requests that are meant to be refused. */
  async status(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; code?: string }> {
    const res = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': `e2e-${randomUUID()}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    return { status: res.status, ...(json.error?.code ? { code: json.error.code } : {}) };
  }

  async afterSales(): Promise<AfterSale[]> {
    return (await this.call<{ items: AfterSale[] }>('GET', '/staff/shop/after-sales')).items;
  }

  private call<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return call<T>(this.apiUrl, this.token, method, path, body, headers);
  }
}

async function call<T>(
  apiUrl: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}
