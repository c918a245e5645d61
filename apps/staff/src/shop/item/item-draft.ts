import { fenToYuanString, parseYuanInput } from '@lumi/mini';
import {
  type ShopItem,
  type ShopItemKind,
  type ShopItemRequest,
  ShopItemRequestSchema,
  type TierPrice,
} from '@lumi/shared';
import { fieldMessage } from './item-errors.ts';

/** The item editor's fields as typed (text), for a new item or one being changed. */
export interface ItemDraft {
  kind: ShopItemKind;
  categoryId: string | null;
  name: string;
  /** Yuan, as typed. */
  price: string;
  /** Member price (yuan) by tier id; empty: the tier pays the list price. */
  tierPrices: Record<string, string>;
  points: string;
  description: string;
  imagePath: string;
  onSale: boolean;
  sortOrder: string;
  /** The service, package plan or top-up plan a non-product item stands for. */
  refId: string | null;
  /** Products: the count at each store, by store id. */
  stock: Record<string, string>;
}

export const KIND_LABELS: Record<ShopItemKind, string> = {
  product: '实物商品',
  service_voucher: '服务券',
  package_card: '次卡',
  top_up_plan: '充值',
};

const REF_FIELD = {
  service_voucher: 'serviceId',
  package_card: 'packagePlanId',
  top_up_plan: 'topUpPlanId',
} as const;

export function newDraft(categoryId: string | null, storeIds: string[]): ItemDraft {
  return {
    kind: 'product',
    categoryId,
    name: '',
    price: '',
    tierPrices: {},
    points: '',
    description: '',
    imagePath: '',
    onSale: true,
    sortOrder: '0',
    refId: null,
    stock: Object.fromEntries(storeIds.map((id) => [id, '0'])),
  };
}

export function draftOf(item: ShopItem, storeIds: string[]): ItemDraft {
  return {
    kind: item.kind,
    categoryId: item.categoryId,
    name: item.name,
    price: fenToYuanString(item.listPriceFen),
    tierPrices: Object.fromEntries(item.tierPrices.map((p) => [p.tierId, fenToYuanString(p.priceFen)])),
    points: item.pointsPrice ? String(item.pointsPrice) : '',
    description: item.description,
    imagePath: item.imagePath ?? '',
    onSale: item.onSale,
    sortOrder: String(item.sortOrder),
    refId: item.serviceId ?? item.packagePlanId ?? item.topUpPlanId,
    stock: Object.fromEntries(
      storeIds.map((id) => [id, String(item.stock.find((s) => s.storeId === id)?.quantity ?? 0)]),
    ),
  };
}

const wholeNumber = (text: string, max: number) =>
  /^\d{1,9}$/.test(text.trim()) && Number(text) <= max ? Number(text) : null;

export type CheckedDraft =
  | { ok: true; request: ShopItemRequest; stock: Record<string, number> }
  | { ok: false; problem: string };

/**
 * The draft as the API takes it, or the first thing wrong with it in Chinese — so the manager hears before
 * sending, in the words the API's refusal of that field would get.
 */
export function checkDraft(draft: ItemDraft, tierNames: Record<string, string>): CheckedDraft {
  const fail = (problem: string): CheckedDraft => ({ ok: false, problem });
  if (!draft.categoryId) return fail('请选择分类');
  if (draft.name.trim() === '') return fail('请填写商品名称');
  if (draft.kind !== 'product' && !draft.refId) return fail(fieldMessage(`body.${REF_FIELD[draft.kind]}`) ?? '');
  if (draft.price.trim() === '') return fail('请填写售价');
  const price = parseYuanInput(draft.price);
  if (!price.ok) return fail(`售价：${price.message}`);
  const tierPrices: TierPrice[] = [];
  for (const [tierId, text] of Object.entries(draft.tierPrices)) {
    if (text.trim() === '') continue;
    const member = parseYuanInput(text);
    if (!member.ok) return fail(`${tierNames[tierId] ?? '会员'}价：${member.message}`);
    if (member.fen > price.fen) return fail(`${tierNames[tierId] ?? '会员'}价不能高于售价`);
    tierPrices.push({ tierId, priceFen: member.fen });
  }
  const points = draft.points.trim();
  const pointsPrice = points === '' ? null : wholeNumber(points, 100_000_000);
  if (points !== '' && (pointsPrice === null || pointsPrice < 1)) return fail(fieldMessage('body.pointsPrice') ?? '');
  const sortOrder = wholeNumber(draft.sortOrder, 10_000);
  if (sortOrder === null) return fail(fieldMessage('body.sortOrder') ?? '');
  const stock: Record<string, number> = {};
  if (draft.kind === 'product') {
    for (const [storeId, text] of Object.entries(draft.stock)) {
      const quantity = wholeNumber(text, 1_000_000);
      if (quantity === null) return fail(fieldMessage('body.quantity') ?? '');
      stock[storeId] = quantity;
    }
  }
  const parsed = ShopItemRequestSchema.safeParse({
    categoryId: draft.categoryId,
    kind: draft.kind,
    name: draft.name.trim(),
    description: draft.description.trim(),
    imagePath: draft.imagePath.trim() === '' ? null : draft.imagePath.trim(),
    listPriceFen: price.fen,
    tierPrices,
    pointsPrice,
    onSale: draft.onSale,
    sortOrder,
    serviceId: draft.kind === 'service_voucher' ? draft.refId : null,
    packagePlanId: draft.kind === 'package_card' ? draft.refId : null,
    topUpPlanId: draft.kind === 'top_up_plan' ? draft.refId : null,
  });
  if (!parsed.success) {
    const field = `body.${parsed.error.issues[0]?.path.join('.') ?? ''}`;
    return fail(fieldMessage(field) ?? '请检查填写的内容');
  }
  return { ok: true, request: parsed.data, stock };
}
