import { BindStaffWechatRequestSchema, ErrorBodySchema, StaffWechatBindingSchema } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WechatLoginClient } from '../auth/index.ts';
import type { MessagingDeps } from './outbound.ts';

/**
 * POST /staff/me/wechat: the staff app, after a password login, hands over a wx.login code; the openid behind it
 * is where 审批 alerts go. One WeChat user is one staff member: binding moves the openid from whoever held it.
 */
export function staffWechatRoutes(login: WechatLoginClient, deps: Pick<MessagingDeps, 'staff'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/staff/me/wechat',
      {
        onRequest: app.requireStaff,
        schema: {
          tags: ['messaging'],
          summary: "Bind the signed-in staff member's WeChat (staff mini-program) for 审批 alerts",
          security: [{ bearer: [] }],
          body: BindStaffWechatRequestSchema,
          response: {
            200: StaffWechatBindingSchema,
            400: ErrorBodySchema,
            401: ErrorBodySchema,
            403: ErrorBodySchema,
            502: ErrorBodySchema,
          },
        },
      },
      async (request) => {
        const { openid } = await login.exchangeCode(request.body.code);
        await app.db.transaction(async (tx) => {
          await tx.execute(sql`update staff set wechat_openid = null where wechat_openid = ${openid}`);
          await tx.execute(
            sql`update staff set wechat_openid = ${openid} where id = ${request.staff.id} and tenant_id = ${request.staff.tenantId}`,
          );
        });
        return { bound: true as const, approvalTemplateId: deps.staff.approvalTemplate };
      },
    );
  };
}
