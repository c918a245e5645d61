import type { RouteOptions } from 'fastify';
import type { z } from 'zod';
import { type IdChooser, validInput } from './request-samples.ts';

/** One route of the built app and the zod schemas it validates its input with. */
export interface AppRoute {
  /** `GET /staff/bills/:id`: the key tests use to look a route up in their tables. */
  key: string;
  method: string;
  url: string;
  body?: z.ZodType;
  querystring?: z.ZodType;
  params?: z.ZodType;
}

type InputSchemas = { body?: z.ZodType; querystring?: z.ZodType; params?: z.ZodType };

/**
 * The route table from the routes an app registered: every method of every URL except the HEAD twins Fastify
 * adds to GET routes (same handler and hooks as the GET).
 */
export function appRoutes(registered: RouteOptions[]): AppRoute[] {
  return registered.flatMap((route) => {
    const schema = (route.schema ?? {}) as InputSchemas;
    const methods = [route.method].flat().filter((m) => m !== 'HEAD');
    return methods.map((method) => ({
      key: `${method} ${route.url}`,
      method,
      url: route.url,
      body: schema.body,
      querystring: schema.querystring,
      params: schema.params,
    }));
  });
}

export interface RouteRequest {
  method: string;
  url: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** A request the route's schemas accept, with ids in path, query and body chosen by field name. */
export function validRequest(route: AppRoute, ids: IdChooser, seed?: number): RouteRequest {
  const params = (route.params ? validInput(route.params, ids, seed) : {}) as Record<string, unknown>;
  const query = route.querystring ? (validInput(route.querystring, ids, seed) as Record<string, unknown>) : undefined;
  return {
    method: route.method,
    url: fillPath(route.url, params),
    ...(query ? { query: asQuery(query) } : {}),
    ...(route.body ? { body: validInput(route.body, ids, seed) } : {}),
  };
}

/** `/staff/bills/:id` with `{ id }` → `/staff/bills/<id>`; a wildcard becomes a plain segment. */
function fillPath(url: string, params: Record<string, unknown>): string {
  const filled = url
    .replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(params[name] ?? 'x')))
    .replace('*', 'anything');
  return filled.startsWith('/') ? filled : `/${filled}`;
}

function asQuery(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
}
