import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../../db/database.ts';
import { migrationStatus } from '../../db/migrate.ts';

const ReadySchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['up', 'down']),
  migrations: z.enum(['current', 'behind', 'unknown']),
});

export function healthRoutes(database: DatabaseHandle): FastifyPluginAsyncZod {
  return async (app) => {
    // Someone opening the API's address in a browser lands on its documentation. Public, like the probes,
    // and kept out of the OpenAPI document: it is a convenience, not part of the API.
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/docs'));

    app.get(
      '/healthz',
      {
        schema: {
          tags: ['health'],
          summary: 'The process is alive',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          tags: ['health'],
          summary: 'The database is reachable and its migrations are current',
          response: { 200: ReadySchema, 503: ReadySchema },
        },
      },
      async (_request, reply) => {
        try {
          await database.db.execute(sql`select 1`);
        } catch {
          return reply.status(503).send({ status: 'not_ready', database: 'down', migrations: 'unknown' });
        }
        const status = await migrationStatus(database);
        const ready = status.current;
        return reply
          .status(ready ? 200 : 503)
          .send({ status: ready ? 'ready' : 'not_ready', database: 'up', migrations: ready ? 'current' : 'behind' });
      },
    );
  };
}
