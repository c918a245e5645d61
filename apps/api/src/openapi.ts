import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { loadConfig } from './config/index.ts';
import { openDatabase } from './db/open.ts';

/** The OpenAPI document, generated from the zod schemas the routes validate with. */
export async function generateOpenApi(): Promise<string> {
  const database = await openDatabase({ pgliteDir: 'memory://' });
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database });
    await app.ready();
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app?.close();
    await database.close();
  }
}
