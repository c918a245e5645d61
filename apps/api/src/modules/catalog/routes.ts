import { errorResponses } from '../../plugins/openapi.ts';
import { type StaffCatalog, StaffCatalogSchema } from '@lumi/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ledgerSettings } from '../ledger/index.ts';
import { packagePlans, products, services } from './tables.ts';

const errors = errorResponses(401, 403);

export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/staff/catalog',
    {
      onRequest: app.requireStaff,
      schema: {
        tags: ['catalog'],
        summary: 'Services, products and package cards on sale, and the value of a point, to open and settle bills',
        security: [{ bearer: [] }],
        response: { 200: StaffCatalogSchema, ...errors },
      },
    },
    async (request): Promise<StaffCatalog> => {
      const { tenantId } = request.staff;
      const [serviceRows, productRows, planRows, settings] = await Promise.all([
        app.db
          .select({
            id: services.id,
            name: services.name,
            category: services.category,
            priceFen: services.priceFen,
            durationMinutes: services.durationMinutes,
          })
          .from(services)
          .where(and(eq(services.tenantId, tenantId), eq(services.active, true)))
          .orderBy(asc(services.category), asc(services.name)),
        app.db
          .select({
            id: products.id,
            name: products.name,
            category: products.category,
            priceFen: products.priceFen,
            stock: products.stock,
          })
          .from(products)
          .where(and(eq(products.tenantId, tenantId), eq(products.active, true)))
          .orderBy(asc(products.category), asc(products.name)),
        app.db
          .select({
            id: packagePlans.id,
            name: packagePlans.name,
            serviceId: packagePlans.serviceId,
            sessions: packagePlans.sessions,
            priceFen: packagePlans.priceFen,
            validDays: packagePlans.validDays,
          })
          .from(packagePlans)
          .where(and(eq(packagePlans.tenantId, tenantId), eq(packagePlans.active, true)))
          .orderBy(asc(packagePlans.priceFen), asc(packagePlans.name)),
        ledgerSettings(app.db, tenantId),
      ]);
      return {
        services: serviceRows,
        products: productRows,
        packagePlans: planRows,
        pointValueFen: settings.pointValueFen,
      };
    },
  );
};
