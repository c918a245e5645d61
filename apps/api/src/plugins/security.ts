import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../config/index.ts';
import { AppError } from '../errors.ts';

export default fp(
  async (app: FastifyInstance, opts: { config: AppConfig }) => {
    // The Swagger UI page needs inline scripts; everything else is JSON, where CSP does not matter.
    await app.register(helmet, { contentSecurityPolicy: false });
    // A preflight without Origin or Access-Control-Request-Method is refused here, in the API's JSON error
    // format: @fastify/cors's own refusal is plain text. Runs before the cors hook (hooks run in order).
    app.addHook('onRequest', async (request) => {
      if (request.method !== 'OPTIONS') return;
      const missing = ['origin', 'access-control-request-method'].filter((name) => !request.headers[name]);
      if (missing.length > 0) {
        throw new AppError(
          'MALFORMED_REQUEST',
          'Not a valid CORS preflight',
          missing.map((name) => ({ field: `headers.${name}`, message: 'required in a CORS preflight' })),
        );
      }
    });
    await app.register(cors, {
      origin: opts.config.CORS_ORIGINS.includes('*') ? true : opts.config.CORS_ORIGINS,
      credentials: false,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    });
    // Only routes that opt in (config.rateLimit) are limited: the login routes.
    await app.register(rateLimit, { global: false });
  },
  { name: 'security' },
);
