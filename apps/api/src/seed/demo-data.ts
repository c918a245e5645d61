/** The demo salon, in Chinese as its owner would set it up. Logins are printed by the start command. */
export const DEMO = {
  tenant: { slug: 'demo', name: '示例美容院' },
  password: 'lumi-demo-2026',
  stores: [
    { name: '示例美容院·国贸店', address: '北京市朝阳区建国门外大街1号' },
    { name: '示例美容院·望京店', address: '北京市朝阳区望京街10号' },
  ],
  staff: [
    { name: '陈店主', phone: '13800000001', role: 'owner', stores: [0, 1] },
    { name: '刘店长', phone: '13800000002', role: 'manager', stores: [0] },
    { name: '王美丽', phone: '13800000003', role: 'beautician', stores: [0] },
    { name: '赵晓雪', phone: '13800000004', role: 'beautician', stores: [1] },
  ] as const,
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

export function demoCustomerName(i: number): string {
  if (i === 0) return '林小雅';
  return `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}`;
}
