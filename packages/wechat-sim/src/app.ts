import Fastify, { type FastifyInstance } from 'fastify';
import { controlRoutes } from './control/control-routes.ts';
import { registerFaultHooks } from './faults/fault-hooks.ts';
import { collectRoutes, homeRoute } from './home/home-page.ts';
import { miniProgramRoutes } from './miniprogram/miniprogram-routes.ts';
import { payApi } from './pay/pay-api.ts';
import type { SimContext } from './sim-context.ts';

/** Builds the Fastify app without listening, so it can also be driven with inject(). */
export function buildSimApp(ctx: SimContext, options: { logger?: boolean } = {}): FastifyInstance {
  // forceCloseConnections: close() must not wait for keep-alive sockets or hung fault responses.
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true });
  // Fault hooks go first so they wrap every route, including the signing done inside the Pay scope.
  registerFaultHooks(app, ctx);
  const routes = collectRoutes(app);
  homeRoute(app, routes, { mchid: ctx.keys.mchid, appids: ctx.apps.all().map((a) => a.appid) });
  app.register(async (scope) => controlRoutes(scope, ctx), { prefix: '/__control' });
  app.register(async (scope) => miniProgramRoutes(scope, ctx));
  app.register(async (scope) => payApi(scope, { ...ctx, apiV3Key: ctx.keys.apiV3Key }), { prefix: '/v3' });
  return app;
}
