/**
 * HTTP load through autocannon: `connections` keep-alive connections, each repeating one chain of requests
 * (one operation: a checkout is two requests, opening the bill and settling it). Every operation's latency,
 * from sending its first request to the last response, goes into the sample; one whose responses were not
 * all 2xx counts as an error instead, and so do connection errors and timeouts.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { cpuSince, type Sample } from './stats.ts';

export interface Step {
  method: 'GET' | 'POST';
  /**
   * The request to send (its method, when given, instead of the step's); `state` is the operation's own, shared
   * by its steps. Null skips the rest of the operation.
   */
  build(
    state: Record<string, unknown>,
  ): { method?: 'GET' | 'POST'; path: string; body?: unknown; token?: string; key?: boolean } | null;
  /** Reads what later steps need from a 2xx response. */
  read?(body: string, state: Record<string, unknown>): void;
  /** The operation ends with this step's response (a chain whose later steps skip it); the last step always does. */
  ends?(state: Record<string, unknown>): boolean;
}

interface Context {
  state: Record<string, unknown>;
  started: number;
  failed: boolean;
}

/** Non-2xx answers seen, by status and body, to report what went wrong (the first few of each kind). */
export const failures = new Map<string, number>();

function noteFailure(status: number, body: string) {
  const key = `${status} ${body.slice(0, 300)}`;
  if (failures.size < 20 || failures.has(key)) failures.set(key, (failures.get(key) ?? 0) + 1);
}

export async function http(url: string, seconds: number, connections: number, steps: Step[]): Promise<Sample> {
  const latencies: number[] = [];
  let errors = 0;
  const requests: autocannon.Request[] = steps.map((step, i) => ({
    method: step.method,
    setupRequest: (request, raw) => {
      const context = raw as Context;
      if (i === 0) {
        context.state = {};
        context.started = performance.now();
        context.failed = false;
      }
      // An earlier step failed: start the next operation instead.
      if (context.failed) return null as unknown as autocannon.Request;
      const built = step.build(context.state);
      if (!built) return null as unknown as autocannon.Request;
      const headers: Record<string, string> = built.token ? { authorization: `Bearer ${built.token}` } : {};
      if (built.key) headers['idempotency-key'] = randomUUID();
      if (built.body !== undefined) headers['content-type'] = 'application/json';
      return {
        ...request,
        method: built.method ?? step.method,
        path: built.path,
        headers,
        ...(built.body !== undefined ? { body: JSON.stringify(built.body) } : {}),
      };
    },
    onResponse: (status, body, raw) => {
      const context = raw as Context;
      if (status < 200 || status >= 300) {
        context.failed = true;
        errors++;
        noteFailure(status, body);
        return;
      }
      step.read?.(body, context.state);
      if (i === steps.length - 1 || step.ends?.(context.state)) latencies.push(performance.now() - context.started);
    },
  }));
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await autocannon({ url, connections, duration: seconds, requests, initialContext: {} });
  const elapsed = (performance.now() - started) / 1000;
  return {
    latencies,
    count: latencies.length,
    seconds: elapsed,
    errors: errors + result.errors,
    cpuSeconds: cpuSince(cpuBefore),
  };
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** An HS256 access token such as the API signs (the bench gives the API its JWT_SECRET). */
export function signToken(secret: string, claims: Record<string, unknown>, ttlSeconds = 86_400): string {
  const now = Math.floor(Date.now() / 1000);
  const head = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify({ ...claims, iat: now, exp: now + ttlSeconds }))}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}
