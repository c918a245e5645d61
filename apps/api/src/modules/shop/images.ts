import { readFile } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import { IdSchema, SHOP_IMAGE_MAX_BYTES, ShopImageSchema, text } from '@lumi/shared';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { errorResponses } from '../../plugins/openapi.ts';
import { findImage, saveImage, sniffImageType, UPLOADED_FILE } from './image-store.ts';

/** The shop's gallery lives in the repository (apps/api/static/shop-images) and is served by the API itself. */
const IMAGE_DIR = new URL('../../../static/shop-images/', import.meta.url);

/**
 * Pictures are public (the mini-program's Image sends no token) and loaded by the H5 apps from another origin, so
 * they opt out of helmet's same-origin resource policy. An uploaded picture's bytes never change under its id:
 * clients and proxies keep it for good.
 */
const PUBLIC_IMAGE = { 'cross-origin-resource-policy': 'cross-origin' };
const GALLERY_CACHE = 'public, max-age=86400';
const UPLOAD_CACHE = 'public, max-age=31536000, immutable';

export const shopImageRoutes: FastifyPluginAsyncZod = async (app) => {
  // The WeChat upload (wx.uploadFile) and the H5 one both send multipart/form-data; the parser is registered in
  // this plugin only, so no other route accepts it. It streams, and stops reading past the size limit.
  await app.register(multipart, { limits: { fileSize: SHOP_IMAGE_MAX_BYTES, files: 1, fields: 5, parts: 6 } });

  app.get(
    '/shop-images/:name',
    {
      schema: {
        tags: ['shop'],
        summary: 'A gallery picture (public, cacheable)',
        params: z.object({ name: text().regex(/^[a-z0-9-]{1,60}\.svg$/, 'an image name') }),
      },
    },
    async (request, reply) => {
      const body = await readFile(new URL(request.params.name, IMAGE_DIR)).catch(() => null);
      if (!body) throw new AppError('NOT_FOUND', 'Image not found');
      return reply.type('image/svg+xml').headers(PUBLIC_IMAGE).header('cache-control', GALLERY_CACHE).send(body);
    },
  );

  app.get(
    '/shop-images/:tenantId/:file',
    {
      schema: {
        tags: ['shop'],
        summary: 'A picture a manager uploaded (public, cached for good); another salon’s path is 404',
        params: z.object({
          tenantId: IdSchema,
          file: text().regex(UPLOADED_FILE, 'an uploaded image'),
        }),
      },
    },
    async (request, reply) => {
      const [id = '', extension = ''] = request.params.file.split('.');
      const image = await findImage(app.db, request.params.tenantId, id, extension);
      if (!image) throw new AppError('NOT_FOUND', 'Image not found');
      return reply
        .type(image.contentType)
        .headers(PUBLIC_IMAGE)
        .header('cache-control', UPLOAD_CACHE)
        .send(image.bytes);
    },
  );

  app.post(
    '/staff/shop/images',
    {
      onRequest: app.requireManager,
      schema: {
        tags: ['shop'],
        summary: 'Upload a picture for the catalogue (multipart/form-data, one file field `file`)',
        description:
          'JPEG, PNG or WebP, told by its bytes (not its name or declared type), at most 2 MiB (413 ' +
          'SHOP_IMAGE_TOO_LARGE); anything else is 400 SHOP_IMAGE_TYPE_UNSUPPORTED. Answers the path to put in the ' +
          "item's imagePath.",
        consumes: ['multipart/form-data'],
        security: [{ bearer: [] }],
        response: { 201: ShopImageSchema, ...errorResponses(400, 401, 403, 413, 415) },
      },
    },
    async (request, reply) => {
      const bytes = await uploadedFile(request);
      const type = sniffImageType(bytes);
      if (!type) {
        throw new AppError('SHOP_IMAGE_TYPE_UNSUPPORTED', 'Not a JPEG, PNG or WebP image', [
          { field: 'body.file', message: 'not a JPEG, PNG or WebP image' },
        ]);
      }
      return reply.status(201).send(await saveImage(app.db, request.staff, bytes, type));
    },
  );
};

/**
 * The one file of the upload, read whole (at most the limit). Nothing here touches the database, so whatever else
 * fails is the body: a broken multipart stream (no boundary, cut short) is 400, never a 500.
 */
async function uploadedFile(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the picture as multipart/form-data');
  try {
    const file = await request.file();
    if (!file) {
      throw new AppError('VALIDATION_FAILED', 'No file in the upload', [{ field: 'body.file', message: 'required' }]);
    }
    return await file.toBuffer();
  } catch (error) {
    if (error instanceof AppError) throw error;
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('SHOP_IMAGE_TOO_LARGE', `The picture is larger than ${SHOP_IMAGE_MAX_BYTES} bytes`, {
        field: 'body.file',
        maxBytes: SHOP_IMAGE_MAX_BYTES,
      });
    }
    throw new AppError('MALFORMED_REQUEST', 'The multipart body is malformed', [
      { field: 'body', message: 'not a readable multipart/form-data upload' },
    ]);
  }
}
