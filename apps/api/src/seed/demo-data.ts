import { createHash } from 'node:crypto';

/** The demo salon, in Chinese as its owner would set it up. Logins are printed by the start command. */
export const DEMO = {
  tenant: { slug: 'demo', name: '示例美容院' },
  password: 'lumi-demo-2026',
  stores: [
    { name: '示例美容院·国贸店', code: 'S01', address: '北京市朝阳区建国门外大街1号' },
    { name: '示例美容院·望京店', code: 'S02', address: '北京市朝阳区望京街10号' },
  ],
  staff: [
    { name: '陈店主', phone: '13800000001', role: 'owner', stores: [0, 1] },
    { name: '刘店长', phone: '13800000002', role: 'manager', stores: [0] },
    { name: '王美丽', phone: '13800000003', role: 'beautician', stores: [0] },
    { name: '赵晓雪', phone: '13800000004', role: 'beautician', stores: [1] },
  ] as const,
  services: [
    { name: '深层补水护理', category: '面部护理', priceFen: 38_800, durationMinutes: 60 },
    { name: '美白焕肤护理', category: '面部护理', priceFen: 58_800, durationMinutes: 75 },
    { name: '光子嫩肤', category: '医美项目', priceFen: 128_000, durationMinutes: 45 },
    { name: '小气泡清洁', category: '面部护理', priceFen: 19_800, durationMinutes: 40 },
    { name: '肩颈舒缓按摩', category: '身体护理', priceFen: 26_800, durationMinutes: 60 },
    { name: '眼部抗皱护理', category: '面部护理', priceFen: 32_800, durationMinutes: 45 },
  ],
  products: [
    { name: '玻尿酸保湿精华', category: '护肤品', priceFen: 36_800, stock: 120 },
    { name: '氨基酸洁面乳', category: '护肤品', priceFen: 12_800, stock: 200 },
    { name: '修护面膜（10片）', category: '护肤品', priceFen: 19_900, stock: 150 },
    { name: '防晒隔离霜', category: '护肤品', priceFen: 22_800, stock: 80 },
  ],
  /** Package plans by index into services. */
  packagePlans: [
    { service: 0, name: '补水护理10次卡', sessions: 10, priceFen: 298_000, validDays: 365 },
    { service: 2, name: '光子嫩肤5次疗程卡', sessions: 5, priceFen: 520_000, validDays: 540 },
    { service: 4, name: '肩颈按摩12次卡', sessions: 12, priceFen: 258_000, validDays: 365 },
    // Last: the trial card one-off visitors buy; its 60 days run out, which shows expiry (过期) in the demo.
    { service: 3, name: '小气泡清洁3次体验卡', sessions: 3, priceFen: 39_900, validDays: 60 },
  ],
  /** 提成: 8% of a service, 5% of a product, ¥15 per package session (what 我的业绩 shows). */
  commissionRules: [
    { lineType: 'service', kind: 'percent', value: 800 },
    { lineType: 'product', kind: 'percent', value: 500 },
    { lineType: 'package_session', kind: 'fixed', value: 1_500 },
  ] as const,
  topUpPlans: [
    { name: '充1000送200', payFen: 100_000, bonusFen: 20_000, bonusPoints: 0 },
    { name: '充3000送800', payFen: 300_000, bonusFen: 80_000, bonusPoints: 500 },
    { name: '充5000送1500', payFen: 500_000, bonusFen: 150_000, bonusPoints: 1000 },
  ],
  tagSets: [['敏感肌'], ['VIP', '抗衰'], [], ['补水'], ['祛斑', '老客户'], ['新客'], []],
  /** Demo customer i logs in through the simulator with this openid; customer 0 is 林小雅. */
  customerOpenid: (i: number) => `demo-customer-${String(i + 1).padStart(3, '0')}`,
};

const SURNAMES = ['林', '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '朱', '胡'];
const GIVEN = [
  '小雅',
  '静怡',
  '雨萱',
  '梓涵',
  '思琪',
  '欣怡',
  '佳怡',
  '诗涵',
  '梦瑶',
  '一诺',
  '可馨',
  '婉清',
  '若曦',
  '晓彤',
  '美琳',
  '雪莹',
  '慧敏',
  '丽娜',
];

/**
 * A fixed id per demo customer (a uuid made from its index): what the seed does with ties in customer order —
 * a campaign's send order, its holdout draw — is then the same on every run.
 */
export function demoCustomerId(i: number): string {
  const hex = createHash('sha256').update(`lumi-demo-customer-${i}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function demoCustomerName(i: number): string {
  if (i === 0) return '林小雅';
  const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}`;
  // Only one 林小雅: the tour and the e2e tests find her by name.
  return name === '林小雅' ? '林晓雅' : name;
}
