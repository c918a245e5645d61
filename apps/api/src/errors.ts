import { ERROR_STATUS, type ErrorCode } from '@lumi/shared';

/**
 * The one error type services throw for anything the caller can fix or should know about. The error
 * plugin turns it into `{ error: { code, message, details } }` with the status that belongs to the code.
 */
export class AppError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.statusCode = ERROR_STATUS[code];
  }
}

export const notFound = (what: string, code: ErrorCode = 'NOT_FOUND') => new AppError(code, `${what} not found`);
export const forbidden = (message = 'Not allowed') => new AppError('FORBIDDEN', message);
