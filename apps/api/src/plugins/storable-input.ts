import { StorableInputSchema } from '@lumi/shared';
import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';

const storable = validatorCompiler({ schema: StorableInputSchema, method: '', url: '' });

/**
 * The zod validator of every route, preceded by one rule no route can forget: no string or key anywhere in the
 * body, query, params or headers may hold text PostgreSQL cannot store (NUL, unpaired surrogates). The caller
 * gets 400 VALIDATION_FAILED naming the field, instead of a 500 from the database or silently mangled text.
 */
export const storableInputValidator: FastifySchemaCompiler<z.ZodType> = (route) => {
  const validate = validatorCompiler(route);
  return (data) => {
    const checked = storable(data);
    return typeof checked === 'object' && 'error' in checked && checked.error ? checked : validate(data);
  };
};
