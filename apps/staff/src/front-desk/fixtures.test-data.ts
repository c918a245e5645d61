// Test data for the front-desk page tests (imported by tests only).
import type {
  CreditLimitRequest,
  CustomerCredit,
  CustomerProfile,
  CustomerValue,
  StaffProfile,
  TopUpPlan,
  Wallet,
} from '@lumi/shared';

export const API = 'http://api.test';
export const CUSTOMER_ID = '00000000-0000-4000-8000-000000000001';
export const STORE_A = '00000000-0000-4000-8000-0000000000a1';
export const SERVICE_ID = '00000000-0000-4000-8000-0000000000e1';

export const me: StaffProfile = {
  id: '00000000-0000-4000-8000-000000000003',
  tenantId: '00000000-0000-4000-8000-000000000009',
  tenantName: '示例美容院',
  name: '王美丽',
  phone: '13800000003',
  role: 'beautician',
  stores: [{ id: STORE_A, name: '国贸店' }],
};

export const customer: CustomerProfile = {
  id: CUSTOMER_ID,
  tenantId: me.tenantId,
  tenantName: me.tenantName,
  memberNo: '100023',
  name: '林小雅',
  phone: '139****0001',
  gender: 'female',
  birthday: null,
  tags: ['敏感肌'],
  source: 'walk_in',
  marketingConsent: true,
  memberSince: '2025-05-01T00:00:00Z',
};

export const wallet: Wallet = {
  customerId: CUSTOMER_ID,
  principalFen: 100_000,
  bonusFen: 20_000,
  totalFen: 120_000,
  points: 300,
  packageCards: [
    {
      id: '00000000-0000-4000-8000-0000000000d1',
      name: '补水护理10次卡',
      serviceId: SERVICE_ID,
      sessionsTotal: 10,
      sessionsLeft: 7,
      valuePerSessionFen: 26_800,
      expiresOn: '2026-12-31',
      expired: false,
    },
  ],
  credit: { owedFen: 30_000, limitFen: 200_000 },
  chainVerified: null,
};

export const credit: CustomerCredit = {
  customerId: CUSTOMER_ID,
  limitFen: 200_000,
  owedFen: 30_000,
  availableFen: 170_000,
  usagePercent: 15,
  status: 'active',
  frozenReason: null,
  overdueFen: 0,
  nextDue: { dueDate: '2026-04-15', amountFen: 30_000 },
  openSales: [
    {
      id: '00000000-0000-4000-8000-0000000000f1',
      transferId: 9,
      at: '2026-03-15T03:00:00Z',
      storeId: STORE_A,
      principalFen: 30_000,
      outstandingFen: 30_000,
      plan: 'due_date',
      instalmentCount: 1,
      interestFree: true,
      reference: null,
      status: 'open',
      items: [
        {
          id: '00000000-0000-4000-8000-0000000000f2',
          saleId: '00000000-0000-4000-8000-0000000000f1',
          seq: 1,
          of: 1,
          dueDate: '2026-04-15',
          amountFen: 30_000,
          paidFen: 0,
          outstandingFen: 30_000,
          status: 'open',
          overdueDays: 0,
          paidAt: null,
        },
      ],
    },
  ],
};

export const value = {
  customerId: CUSTOMER_ID,
  name: '林小雅',
  lifetimeSpendFen: 560_000,
  paidVisits: 14,
  averageTicketFen: 40_000,
  firstVisitAt: '2025-05-01T00:00:00Z',
  lastVisitAt: '2026-03-01T00:00:00Z',
  cadence: { averageIntervalDays: 21, daysSinceLastVisit: 10, expectedNextVisitOn: '2026-03-22', overdueDays: null },
  churnRisk: 'low',
  favourites: [],
  balances: { principalFen: 100_000, bonusFen: 20_000, points: 300, packageCards: [] },
  credit: { owedFen: 30_000, limitFen: 200_000, overdueFen: 0, frozen: false },
  rfm: { segmentLabel: '重要价值客户' },
  tier: {
    tierId: null,
    name: '金卡会员',
    discountBasisPoints: 500,
    pointsMultiplierPercent: 150,
    qualifyingFen: 0,
    since: null,
  },
  recommendations: [
    {
      name: '玻尿酸保湿精华',
      type: 'product',
      category: '护肤品',
      reason: '做过深层补水护理的顾客中 42% 也买了它',
      support: null,
      basedOn: '深层补水护理',
    },
  ],
} as unknown as CustomerValue;

export const plans: TopUpPlan[] = [
  {
    id: '00000000-0000-4000-8000-000000000701',
    name: '充1000送200',
    payFen: 100_000,
    bonusFen: 20_000,
    bonusPoints: 0,
    giftPackagePlanId: null,
  },
  {
    id: '00000000-0000-4000-8000-000000000702',
    name: '充3000送800',
    payFen: 300_000,
    bonusFen: 80_000,
    bonusPoints: 300,
    giftPackagePlanId: null,
  },
];

/** A limit request she filed: 待店长审批 until a manager decides. */
export const pendingLimitRequest = {
  id: '00000000-0000-4000-8000-0000000009a1',
  customer: { id: CUSTOMER_ID, name: '林小雅' },
  requestedBy: { id: me.id, name: me.name },
  requestedLimitFen: 500_000,
  currentLimitFen: 200_000,
  reason: '老顾客，常办年卡',
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  approvedLimitFen: null,
  limitAfterFen: null,
  lineLimitFen: 200_000,
  decisionNote: null,
  createdAt: '2026-03-20T06:30:00Z',
} as CreditLimitRequest;
