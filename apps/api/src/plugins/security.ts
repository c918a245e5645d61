import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../config/index.ts';

export default fp(
  async (app: FastifyInstance, opts: { config: AppConfig }) => {
    // The Swagger UI page needs inline scripts; everything else is JSON, where CSP does not matter.
    await app.register(helmet, { contentSecurityPolicy: false });
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
