import { randomBytes } from 'node:crypto';

/** The mini-program server APIs answer HTTP 200 with {errcode, errmsg}; errmsg ends with a request id. */
export interface WechatErrorBody {
  errcode: number;
  errmsg: string;
}

export function wechatError(errcode: number, errmsg: string): WechatErrorBody {
  return { errcode, errmsg: `${errmsg} rid: ${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}` };
}

export function isWechatError(value: unknown): value is WechatErrorBody {
  return typeof value === 'object' && value !== null && 'errcode' in value;
}
