import type {
  AccessClaims,
  CustomerSession,
  PhoneBinding,
  CustomerWechatLogin,
  StaffPasswordLogin,
  StaffSession,
  TokenPair,
} from '@lumi/shared';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import {
  type AbsorbSignUp,
  bindPhone,
  findOrCreateCustomerByIdentity,
  getCustomer,
  getCustomerProfile,
} from '../customers/index.ts';
import {
  clearFailedLogins,
  findStaffByPhone,
  getActiveStaff,
  recordFailedLogin,
  storesOfStaff,
} from '../staff/index.ts';
import { getTenantBySlug } from '../tenants/index.ts';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './passwords.ts';
import {
  issueRefreshToken,
  type RefreshSubject,
  revokeRefreshToken,
  revokeSubjectTokens,
  rotateRefreshToken,
} from './refresh-tokens.ts';
import type { WechatLoginClient } from './wechat-login-client.ts';

export interface AuthDeps {
  wechat: WechatLoginClient;
  signAccessToken(claims: AccessClaims): string;
  accessTtlSeconds: number;
  refreshTtlDays: number;
  lockout: { maxFailures: number; minutes: number };
  /** Merges a sign-up that already holds money into the front-desk customer with the same phone (app.ts). */
  absorbSignUp?: AbsorbSignUp;
}

export async function loginCustomerWithWechat(
  db: Database,
  deps: AuthDeps,
  input: CustomerWechatLogin,
): Promise<CustomerSession> {
  const tenant = await getTenantBySlug(db, input.tenant);
  const session = await deps.wechat.exchangeCode(input.code);
  const customer = await findOrCreateCustomerByIdentity(db, {
    tenantId: tenant.id,
    appId: deps.wechat.appId,
    openid: session.openid,
    unionid: session.unionid,
  });
  const tokens = await issueTokens(db, deps, { kind: 'customer', sub: customer.id, tenantId: tenant.id });
  return { ...tokens, customer: { id: customer.id, tenantId: tenant.id, name: customer.name, isNew: customer.isNew } };
}

/**
 * Binds the phone the customer shared with getPhoneNumber. When that phone was a front-desk customer's, the two
 * become that one customer; the sign-up's refresh tokens are revoked and the answer carries tokens for the account
 * the user has from now on.
 */
export async function bindCustomerPhone(
  db: Database,
  deps: AuthDeps,
  principal: { id: string; tenantId: string },
  code: string,
): Promise<PhoneBinding> {
  await getCustomer(db, principal.tenantId, principal.id);
  const phone = await deps.wechat.phoneNumber(code);
  const bound = await bindPhone(
    db,
    {
      tenantId: principal.tenantId,
      customerId: principal.id,
      phone,
      appId: deps.wechat.appId,
    },
    deps.absorbSignUp,
  );
  if (bound.merged) await revokeSubjectTokens(db, { kind: 'customer', id: principal.id, tenantId: principal.tenantId });
  const tokens = await issueTokens(db, deps, { kind: 'customer', sub: bound.customerId, tenantId: principal.tenantId });
  const customer = await getCustomerProfile(db, principal.tenantId, bound.customerId);
  return { ...tokens, merged: bound.merged, customer };
}

export async function loginStaffWithPassword(
  db: Database,
  deps: AuthDeps,
  input: StaffPasswordLogin,
): Promise<StaffSession> {
  const member = await findStaffByPhone(db, input.phone);
  if (member?.lockedUntil && member.lockedUntil.getTime() > Date.now()) {
    throw new AppError('ACCOUNT_LOCKED', 'Too many failed attempts; try again later', {
      lockedUntil: member.lockedUntil.toISOString(),
    });
  }
  const passwordOk = await verifyPassword(input.password, member?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!member?.active || !passwordOk) {
    if (member) await recordFailedLogin(db, member.id, deps.lockout.maxFailures, deps.lockout.minutes);
    throw new AppError('INVALID_CREDENTIALS', 'Wrong phone number or password');
  }
  if (member.failedLogins > 0) await clearFailedLogins(db, member.id);
  const claims = await staffClaims(db, member.tenantId, member.id);
  const tokens = await issueTokens(db, deps, claims);
  return {
    ...tokens,
    staff: {
      id: member.id,
      tenantId: member.tenantId,
      name: member.name,
      role: member.role,
      storeIds: claims.storeIds,
    },
  };
}

/** Refreshing re-reads the subject, so a deactivated staff member or changed role takes effect at once. */
export async function refreshSession(db: Database, deps: AuthDeps, refreshToken: string): Promise<TokenPair> {
  const rotated = await rotateRefreshToken(db, refreshToken, deps.refreshTtlDays);
  const claims = await claimsFor(db, rotated.subject).catch(() => {
    throw new AppError('REFRESH_TOKEN_INVALID', 'Please sign in again');
  });
  return {
    accessToken: deps.signAccessToken(claims),
    refreshToken: rotated.refreshToken,
    expiresIn: deps.accessTtlSeconds,
  };
}

export async function logout(db: Database, refreshToken: string): Promise<void> {
  await revokeRefreshToken(db, refreshToken);
}

async function staffClaims(db: Database, tenantId: string, staffId: string): Promise<AccessClaims & { kind: 'staff' }> {
  const member = await getActiveStaff(db, tenantId, staffId);
  const stores = await storesOfStaff(db, tenantId, staffId);
  return { kind: 'staff', sub: staffId, tenantId, role: member.role, storeIds: stores.map((s) => s.id) };
}

async function claimsFor(db: Database, subject: RefreshSubject): Promise<AccessClaims> {
  if (subject.kind === 'staff') return staffClaims(db, subject.tenantId, subject.id);
  await getCustomer(db, subject.tenantId, subject.id);
  return { kind: 'customer', sub: subject.id, tenantId: subject.tenantId };
}

async function issueTokens(db: Database, deps: AuthDeps, claims: AccessClaims): Promise<TokenPair> {
  const refreshToken = await issueRefreshToken(
    db,
    { kind: claims.kind, id: claims.sub, tenantId: claims.tenantId },
    deps.refreshTtlDays,
  );
  return { accessToken: deps.signAccessToken(claims), refreshToken, expiresIn: deps.accessTtlSeconds };
}
