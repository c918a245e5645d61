import { errorResponses } from '../../plugins/openapi.ts';
import {
  type BrandSettings,
  BrandSettingsSchema,
  type UpdateBrandSettingsRequest,
  UpdateBrandSettingsRequestSchema,
} from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../../db/database.ts';
import { updateSettingsSection } from '../settings/index.ts';
import { readSettingsSection } from '../tenants/index.ts';

/** The salon's brand in the customer mini-program (tenants.settings.brand): its colour and the name shown. */
export function brandSettings(db: Database, tenantId: string): Promise<BrandSettings> {
  return readSettingsSection(db, tenantId, 'brand', BrandSettingsSchema);
}

/** Merges a manager's changes into the brand (audited as brand.settings_changed). */
export function updateBrandSettings(
  db: Database,
  tenantId: string,
  staffId: string,
  changes: UpdateBrandSettingsRequest,
): Promise<BrandSettings> {
  return updateSettingsSection(db, { tenantId, staffId, section: 'brand', schema: BrandSettingsSchema, changes });
}

const errors = errorResponses(400, 401, 403, 404);
const secured = { security: [{ bearer: [] }] };
const tags = ['customers'];

/** The manager's 设置 → 品牌: read and change what customers see of the salon. */
export const brandRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/staff/brand/settings',
    {
      onRequest: app.requireManager,
      schema: {
        tags,
        summary: "The salon's brand in the customer mini-program: colour and the name customers see",
        ...secured,
        response: { 200: BrandSettingsSchema, ...errors },
      },
    },
    async (request) => brandSettings(app.db, request.staff.tenantId),
  );
  app.put(
    '/staff/brand/settings',
    {
      onRequest: app.requireManager,
      schema: {
        tags,
        summary: "Change the salon's brand colour or name (manager, audited)",
        ...secured,
        body: UpdateBrandSettingsRequestSchema,
        response: { 200: BrandSettingsSchema, ...errors },
      },
    },
    async (request) => updateBrandSettings(app.db, request.staff.tenantId, request.staff.id, request.body),
  );
};
