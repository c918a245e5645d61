import jwt from '@fastify/jwt';
import { type AccessClaims, AccessClaimsSchema, type StaffRole } from '@lumi/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../config/index.ts';
import { AppError } from '../errors.ts';

export interface CustomerPrincipal {
  id: string;
  tenantId: string;
}

export interface StaffPrincipal {
  id: string;
  tenantId: string;
  role: StaffRole;
  storeIds: string[];
}

type Guard = (request: FastifyRequest) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest guard: only a customer token passes; sets request.customer. */
    requireCustomer: Guard;
    /** onRequest guard: any staff token passes; sets request.staff. */
    requireStaff: Guard;
    /** onRequest guard: a staff token with role manager or owner. */
    requireManager: Guard;
    signAccessToken(claims: AccessClaims): string;
  }
  interface FastifyRequest {
    customer: CustomerPrincipal;
    staff: StaffPrincipal;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

const MANAGER_ROLES: readonly StaffRole[] = ['manager', 'owner'];

/** Hooks that run after the body is parsed and validated: a guard there would answer strangers with schema details. */
const LATE_STAGES = ['preParsing', 'preValidation', 'preHandler'] as const;

export default fp(
  async (app: FastifyInstance, opts: { config: AppConfig }) => {
    await app.register(jwt, {
      secret: opts.config.JWT_SECRET,
      sign: { expiresIn: opts.config.ACCESS_TOKEN_TTL_SECONDS, algorithm: 'HS256' },
      verify: { algorithms: ['HS256'] },
    });

    async function verifiedClaims(request: FastifyRequest): Promise<AccessClaims> {
      const raw = await request.jwtVerify<AccessClaims>();
      const parsed = AccessClaimsSchema.safeParse(raw);
      if (!parsed.success) throw new AppError('UNAUTHENTICATED', 'Token is not a Lumi access token');
      return parsed.data;
    }

    app.decorateRequest('customer', null as unknown as CustomerPrincipal);
    app.decorateRequest('staff', null as unknown as StaffPrincipal);

    app.decorate('signAccessToken', (claims: AccessClaims) => app.jwt.sign(claims));

    app.decorate('requireCustomer', async (request: FastifyRequest) => {
      const claims = await verifiedClaims(request);
      if (claims.kind !== 'customer') throw new AppError('FORBIDDEN', 'This route is for customers');
      request.customer = { id: claims.sub, tenantId: claims.tenantId };
    });

    const requireStaff = async (request: FastifyRequest) => {
      const claims = await verifiedClaims(request);
      if (claims.kind !== 'staff') throw new AppError('FORBIDDEN', 'This route is for staff');
      request.staff = { id: claims.sub, tenantId: claims.tenantId, role: claims.role, storeIds: claims.storeIds };
    };
    app.decorate('requireStaff', requireStaff);

    const requireManager = async (request: FastifyRequest) => {
      await requireStaff(request);
      if (!MANAGER_ROLES.includes(request.staff.role)) {
        throw new AppError('FORBIDDEN', 'Only a manager or the owner may do this');
      }
    };
    app.decorate('requireManager', requireManager);

    // Guards belong in onRequest, which Fastify runs before validation: only an authenticated caller with the
    // right role learns what a valid body looks like. A route that puts one later fails at startup, not in review.
    const guards = new Set<unknown>([app.requireCustomer, requireStaff, requireManager]);
    app.addHook('onRoute', (route) => {
      for (const stage of LATE_STAGES) {
        if ([route[stage]].flat().some((hook) => guards.has(hook))) {
          throw new Error(`${route.method} ${route.url}: authentication guards go in onRequest, not ${stage}`);
        }
      }
    });
  },
  { name: 'auth' },
);
