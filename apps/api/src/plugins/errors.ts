import type { ErrorBody, FieldIssue } from '@lumi/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isConnectionError } from '../db/pg-errors.ts';
import { AppError } from '../errors.ts';

function body(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

function fieldPath(instancePath: string, context: string): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  return path ? `${context}.${path}` : context;
}

/** Fastify's own client-error codes mapped to ours, so malformed requests are never a 500. */
const FRAMEWORK_ERRORS: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'MALFORMED_REQUEST' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_REQUEST' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'MALFORMED_REQUEST' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_BAD_URL: { status: 400, code: 'MALFORMED_REQUEST' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'MALFORMED_REQUEST' },
  FST_JWT_NO_AUTHORIZATION_IN_HEADER: { status: 401, code: 'UNAUTHENTICATED' },
  FST_JWT_AUTHORIZATION_TOKEN_INVALID: { status: 401, code: 'UNAUTHENTICATED' },
  FST_JWT_AUTHORIZATION_TOKEN_EXPIRED: { status: 401, code: 'TOKEN_EXPIRED' },
  FST_JWT_BAD_REQUEST: { status: 401, code: 'UNAUTHENTICATED' },
  FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED: { status: 401, code: 'UNAUTHENTICATED' },
  FST_ERR_RATE_LIMIT: { status: 429, code: 'RATE_LIMITED' },
};

/**
 * Errors fastify raises before a route is found (bad URL encoding, over-long path parameters). They never
 * reach the error handler, so they are answered here in the same shape.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  reply
    .status(tooLong ? 414 : 400)
    .send(
      body(tooLong ? 'URI_TOO_LONG' : 'MALFORMED_REQUEST', tooLong ? 'The URL is too long' : 'The URL is malformed'),
    );
}

export default fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        return reply.status(error.statusCode).send(body(error.code, error.message, error.details));
      }
      if (hasZodFastifySchemaValidationErrors(error)) {
        const issues: FieldIssue[] = error.validation.map((v) => ({
          field: fieldPath(v.instancePath, error.validationContext ?? 'body'),
          message: v.message ?? 'invalid',
        }));
        return reply.status(400).send(body('VALIDATION_FAILED', 'The request is invalid', issues));
      }
      const mapped = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
      if (mapped) {
        return reply.status(mapped.status).send(body(mapped.code, error.message));
      }
      if (error.statusCode === 429) {
        return reply.status(429).send(body('RATE_LIMITED', 'Too many requests, try again later'));
      }
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return reply.status(error.statusCode).send(body('MALFORMED_REQUEST', error.message));
      }
      if (isConnectionError(error)) {
        // The pool drops the broken connection and opens a new one for the next request; the client retries
        // with the same Idempotency-Key, which replays the request if it did commit before the connection went.
        request.log.warn({ err: error }, 'database connection lost');
        return reply
          .status(503)
          .header('retry-after', '1')
          .send(
            body('DATABASE_UNAVAILABLE', 'The database is briefly unavailable; retry the same request', {
              retry: true,
            }),
          );
      }
      if (isResponseSerializationError(error)) {
        request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      } else {
        request.log.error({ err: error }, 'unhandled error');
      }
      return reply.status(500).send(body('INTERNAL', 'Something went wrong on our side'));
    });

    app.setNotFoundHandler((request, reply) => {
      reply.status(404).send(body('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`));
    });
  },
  { name: 'errors' },
);
