import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AccessTokenBook } from './access-tokens.ts';
import type { LoginCodeBook } from './login-codes.ts';
import type { MiniApp, MiniAppRegistry } from './mini-apps.ts';
import { MiniProgramCodeBodySchema, type MiniProgramCodeBook } from './mini-program-codes.ts';
import type { PhoneCodeBook } from './phone-codes.ts';
import { SubscribeMessageBodySchema, type SubscribeMessageBook } from './subscribe-messages.ts';
import { isWechatError, type WechatErrorBody, wechatError } from './wechat-error.ts';

export interface MiniProgramDeps {
  apps: MiniAppRegistry;
  loginCodes: LoginCodeBook;
  phoneCodes: PhoneCodeBook;
  accessTokens: AccessTokenBook;
  subscribeMessages: SubscribeMessageBook;
  miniProgramCodes: MiniProgramCodeBook;
}

const QuerySchema = z.record(z.string(), z.unknown());
const TokenRequestSchema = z.object({
  grant_type: z.unknown(),
  appid: z.unknown(),
  secret: z.unknown(),
  force_refresh: z.boolean().optional(),
});

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** The credential checks shared by jscode2session and both token APIs, in WeChat's order. */
function authenticateApp(
  apps: MiniAppRegistry,
  input: { appid?: unknown; secret?: unknown; grant_type?: unknown },
  grantType: string,
): MiniApp | WechatErrorBody {
  const appid = text(input.appid);
  const secret = text(input.secret);
  if (appid === undefined) return wechatError(41002, 'appid missing,');
  if (secret === undefined) return wechatError(41004, 'appsecret missing,');
  if (input.grant_type !== grantType) return wechatError(40002, 'invalid grant_type,');
  const app = apps.find(appid);
  if (!app) return wechatError(40013, 'invalid appid,');
  if (app.secret !== secret) return wechatError(40125, 'invalid appsecret,');
  return app;
}

/** api.weixin.qq.com: login, access tokens, phone numbers, subscribe messages, mini-program codes. Errors are HTTP 200 {errcode, errmsg}. */
export async function miniProgramRoutes(scope: FastifyInstance, deps: MiniProgramDeps): Promise<void> {
  scope.setErrorHandler(async (_error, _request, reply) =>
    reply.code(200).send(wechatError(47001, 'data format error,')),
  );

  scope.get('/sns/jscode2session', async (request) => {
    const query = QuerySchema.parse(request.query ?? {});
    const code = text(query.js_code);
    const missingCode = wechatError(41008, 'missing code,');
    // WeChat reports a missing code before it looks at the grant type or checks the credentials.
    if (text(query.appid) !== undefined && text(query.secret) !== undefined && code === undefined) return missingCode;
    const app = authenticateApp(deps.apps, query, 'authorization_code');
    if (isWechatError(app)) return app;
    return code === undefined ? missingCode : deps.loginCodes.redeem(app.appid, code);
  });

  scope.post('/cgi-bin/stable_token', async (request) => {
    const body = TokenRequestSchema.safeParse(request.body ?? {});
    if (!body.success) return wechatError(47001, 'data format error,');
    const app = authenticateApp(deps.apps, body.data, 'client_credential');
    if (isWechatError(app)) return app;
    return deps.accessTokens.stable(app.appid, body.data.force_refresh ?? false);
  });

  scope.get('/cgi-bin/token', async (request) => {
    const app = authenticateApp(deps.apps, QuerySchema.parse(request.query ?? {}), 'client_credential');
    if (isWechatError(app)) return app;
    return deps.accessTokens.issue(app.appid);
  });

  scope.post('/cgi-bin/message/subscribe/send', async (request) => {
    const query = QuerySchema.parse(request.query ?? {});
    const token = deps.accessTokens.check(text(query.access_token));
    if (isWechatError(token)) return token;
    const body = SubscribeMessageBodySchema.safeParse(request.body);
    if (!body.success) return wechatError(47001, 'data format error,');
    const sent = deps.subscribeMessages.send(token.appid, body.data);
    if (isWechatError(sent)) return sent;
    return { errcode: 0, errmsg: 'ok', msgid: sent.msgid };
  });

  scope.post('/wxa/business/getuserphonenumber', async (request) => {
    const token = deps.accessTokens.check(text(QuerySchema.parse(request.query ?? {}).access_token));
    if (isWechatError(token)) return token;
    const body = z.object({ code: z.string().min(1) }).safeParse(request.body ?? {});
    if (!body.success) return wechatError(47001, 'data format error,');
    const phone = deps.phoneCodes.redeem(token.appid, body.data.code);
    if (isWechatError(phone)) return phone;
    return { errcode: 0, errmsg: 'ok', ...phone };
  });

  // Success is the image itself (WeChat answers image/jpeg; the simulator draws a PNG), failure errcode JSON.
  scope.post('/wxa/getwxacodeunlimit', async (request, reply) => {
    const token = deps.accessTokens.check(text(QuerySchema.parse(request.query ?? {}).access_token));
    if (isWechatError(token)) return token;
    const body = MiniProgramCodeBodySchema.safeParse(request.body ?? {});
    if (!body.success) return wechatError(47001, 'data format error,');
    const code = deps.miniProgramCodes.create(token.appid, body.data);
    if (isWechatError(code)) return code;
    return reply.type('image/png').send(code.image);
  });
}
