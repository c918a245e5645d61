import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppConfig } from './config/index.ts';
import type { Database, DatabaseHandle } from './db/database.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { authRoutes, createWechatLoginClient, type WechatLoginClient } from './modules/auth/index.ts';
import { customerRoutes } from './modules/customers/index.ts';
import { healthRoutes } from './modules/health/index.ts';
import { HouseAccounts, type LedgerDeps, ledgerRoutes } from './modules/ledger/index.ts';
import { staffRoutes } from './modules/staff/index.ts';
import authPlugin from './plugins/auth.ts';
import errorsPlugin, { frameworkErrors } from './plugins/errors.ts';
import openapiPlugin from './plugins/openapi.ts';
import securityPlugin from './plugins/security.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}

export interface BuildAppOptions {
  config: AppConfig;
  database: DatabaseHandle;
  /** Replaces the WeChat login client; tests use it only to point at a simulator they started. */
  wechatLogin?: WechatLoginClient;
  /** The clock for business rules (expiry, offers in force); tests move it. */
  now?: () => Date;
}

/** Builds the API without listening, so tests can `inject` requests or listen on a port of their own. */
export async function buildApp({
  config,
  database,
  wechatLogin,
  now = () => new Date(),
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.LOG_LEVEL === 'silent'
        ? false
        : {
            level: config.LOG_LEVEL,
            redact: [
              'req.headers.authorization',
              'req.headers.cookie',
              '*.password',
              '*.refreshToken',
              '*.accessToken',
            ],
          },
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Ids in request logs let a support engineer follow one checkout through every line it wrote.
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', database.db);

  await app.register(errorsPlugin);
  await app.register(securityPlugin, { config });
  await app.register(openapiPlugin);
  await app.register(authPlugin, { config });

  const wechat =
    wechatLogin ??
    createWechatLoginClient({
      baseUrl: config.WECHAT_API_BASE,
      appId: config.WECHAT_CUSTOMER_APPID,
      secret: config.WECHAT_CUSTOMER_SECRET,
      timeoutMs: config.WECHAT_TIMEOUT_MS,
    });

  await app.register(healthRoutes(database));
  await app.register(
    authRoutes(
      {
        wechat,
        signAccessToken: (claims) => app.signAccessToken(claims),
        accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
        lockout: { maxFailures: config.STAFF_LOCKOUT_FAILURES, minutes: config.STAFF_LOCKOUT_MINUTES },
      },
      config.LOGIN_RATE_LIMIT_PER_MINUTE,
    ),
  );
  await app.register(customerRoutes);
  await app.register(staffRoutes);

  const ledger: LedgerDeps = { house: new HouseAccounts(), now };
  await app.register(ledgerRoutes(ledger));
  await app.register(auditRoutes);

  return app;
}
