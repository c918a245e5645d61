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

export function assertStoreAccess(staffStoreIds: string[], storeId: string, field = 'body.storeId'): void {
  if (!staffStoreIds.includes(storeId)) {
    throw new AppError('FORBIDDEN', 'You do not work at this store', [{ field, message: 'not one of your stores' }]);
  }
}
