import { readFile } from 'node:fs/promises';
import { text } from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';

/** The shop's pictures live in the repository (apps/api/static/shop-images) and are served by the API itself. */
const IMAGE_DIR = new URL('../../../static/shop-images/', import.meta.url);

export const shopImageRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/shop-images/:name',
    {
      schema: {
        tags: ['shop'],
        summary: 'A shop picture (public, cacheable)',
        params: z.object({ name: text().regex(/^[a-z0-9-]{1,60}\.svg$/, 'an image name') }),
      },
    },
    async (request, reply) => {
      const body = await readFile(new URL(request.params.name, IMAGE_DIR)).catch(() => null);
      if (!body) throw new AppError('NOT_FOUND', 'Image not found');
      return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(body);
    },
  );
};
