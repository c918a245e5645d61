/** A WeChat Pay v3 error: HTTP status plus the {code, message, detail?} body the real service sends. */
export class PayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'PayError';
  }

  toBody(): { code: string; message: string; detail?: Record<string, unknown> } {
    return { code: this.code, message: this.message, ...(this.detail === undefined ? {} : { detail: this.detail }) };
  }
}

export const paramError = (message: string, detail?: Record<string, unknown>) =>
  new PayError(400, 'PARAM_ERROR', message, detail);
export const invalidRequest = (message: string) => new PayError(400, 'INVALID_REQUEST', message);
export const orderNotExist = () => new PayError(404, 'ORDER_NOT_EXIST', '订单不存在');
export const orderClosed = () => new PayError(400, 'ORDER_CLOSED', '订单已关闭');
export const orderPaid = () => new PayError(400, 'ORDERPAID', '订单已支付');
export const mchNotExists = () => new PayError(400, 'MCH_NOT_EXISTS', '商户号不存在');
