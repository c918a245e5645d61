import { ApiError } from '@lumi/mini';

/**
 * What a refused item or category means, in Chinese: the API names the field it refused (400 VALIDATION_FAILED
 * from its schema or its checks, 404 NOT_FOUND for a category, service or plan that is gone), and the manager
 * hears which one and why. The same words explain the form's own check before sending (itemDraft).
 */
const FIELD_MESSAGES: [prefix: string, message: string][] = [
  ['body.categoryId', '请选择分类（所选分类不存在，请刷新后重试）'],
  ['body.kind', '商品类型创建后不能更改'],
  ['body.name', '名称不能为空，商品最多 60 字、分类最多 40 字'],
  ['body.description', '描述最多 1000 字'],
  ['body.imagePath', '图片须为本店上传的图片或商城图库中的图片，如 /shop-images/serum.svg'],
  ['body.file', '请选择一张图片'],
  ['body.listPriceFen', '售价不正确（充值商品的售价须等于充值方案的金额）'],
  ['body.tierPrices', '会员价不正确：每个等级一个价格，等级须存在'],
  ['body.pointsPrice', '积分价为正整数，不设则留空'],
  ['body.sortOrder', '排序为 0–10000 的整数'],
  ['body.serviceId', '请选择在售的服务项目'],
  ['body.packagePlanId', '请选择在售的次卡方案'],
  ['body.topUpPlanId', '请选择在售的充值方案'],
  ['body.quantity', '库存为 0–1000000 的整数'],
  ['params.id', '只有实物商品有库存'],
];

export function fieldMessage(field: string): string | null {
  return FIELD_MESSAGES.find(([prefix]) => field === prefix || field.startsWith(`${prefix}.`))?.[1] ?? null;
}

/** The first field the API named, in words; otherwise the error's own Chinese (by code), or `fallback`. */
export function catalogueErrorMessage(error: unknown, fallback: string): string {
  if (!(error instanceof ApiError)) return fallback;
  if (error.code === 'VALIDATION_FAILED' || error.code === 'NOT_FOUND') {
    const fields = Array.isArray(error.details) ? (error.details as { field?: unknown }[]) : [];
    for (const { field } of fields) {
      const message = typeof field === 'string' ? fieldMessage(field) : null;
      if (message) return message;
    }
  }
  return error.message || fallback;
}
