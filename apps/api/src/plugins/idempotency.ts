import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

const KEY_PATTERN = /^[A-Za-z0-9_\-:.]{8,128}$/;

/**
 * Every money-moving route requires an Idempotency-Key chosen by the client before it sends, so a retried
 * request (flaky phone network at the till) can never move money twice.
 */
export function idempotencyKeyOf(request: FastifyRequest): string {
  const raw = request.headers['idempotency-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key) {
    throw new AppError('IDEMPOTENCY_KEY_REQUIRED', 'This request moves money and needs an Idempotency-Key header', [
      { field: 'headers.idempotency-key', message: 'required' },
    ]);
  }
  if (!KEY_PATTERN.test(key)) {
    throw new AppError('VALIDATION_FAILED', 'The Idempotency-Key is malformed', [
      { field: 'headers.idempotency-key', message: '8–128 characters of letters, digits, _ - : .' },
    ]);
  }
  return key;
}

/** Acting at a store (the store a request names): staff may only act at the stores they work at. */
export function assertStoreAccess(staffStoreIds: string[], storeId: string, field = 'body.storeId'): void {
  if (!staffStoreIds.includes(storeId)) {
    throw new AppError('FORBIDDEN', 'You do not work at this store', [{ field, message: 'not one of your stores' }]);
  }
}

/**
 * Reading or changing something that belongs to a store (a bill, its dispute, the store's team): for staff who
 * do not work there it does not exist, as in another tenant — a 403 would confirm that it does.
 */
export function assertStoreResource(staffStoreIds: string[], storeId: string, what: string): void {
  if (!staffStoreIds.includes(storeId)) throw new AppError('NOT_FOUND', `${what} not found`);
}
