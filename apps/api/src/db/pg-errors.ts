/** PostgreSQL SQLSTATE of an error, looking through drizzle's wrapper (DrizzleQueryError keeps it in cause). */
export function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export const UNIQUE_VIOLATION = '23505';

/** Whether an error is a unique violation of the named constraint or index (pg puts the name in `constraint`). */
export function isUniqueViolationOf(error: unknown, constraint: string): boolean {
  if (sqlState(error) !== UNIQUE_VIOLATION) return false;
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { constraint?: unknown }).constraint === constraint) return true;
  }
  return false;
}
export const CHECK_VIOLATION = '23514';
export const SERIALIZATION_FAILURE = '40001';
export const DEADLOCK_DETECTED = '40P01';

/**
 * SQLSTATEs that mean the connection or the server went away, not that the statement was wrong: class 08
 * (connection exception), the server shutting down or restarting (57P01–57P03, 57P05) and too many connections.
 */
const CONNECTION_STATES = /^(08...|57P0[1235]|53300)$/;

/** Errors node-postgres and the socket raise without a SQLSTATE when the connection is lost or cannot be made. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
];

/**
 * Whether an error means the database could not be reached or dropped the connection (an admin's
 * pg_terminate_backend, a restart, a failover, a network blip). Such a request is answered 503 with a
 * retryable code and the pool replaces the connection; nothing about the request itself was wrong.
 */
export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (CONNECTION_STATES.test(code) || CONNECTION_ERRNOS.has(code))) return true;
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((m) => message.includes(m))) return true;
  }
  return false;
}
