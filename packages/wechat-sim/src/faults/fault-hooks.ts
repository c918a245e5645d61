import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimTimers } from '../sim-timers.ts';
import type { FaultBook } from './fault-book.ts';
import type { FaultSpec } from './fault-spec.ts';

export interface FaultHookDeps {
  faults: FaultBook;
  timers: SimTimers;
}

const CONTROL_PREFIX = '/__control';

function pathOf(request: FastifyRequest): string {
  const query = request.url.indexOf('?');
  return query < 0 ? request.url : request.url.slice(0, query);
}

/** The order a request's JSON body names (placing an order, refunding one), for faults that name one. */
function orderOf(request: FastifyRequest): string | undefined {
  // The pay API keeps its bodies as text (their signatures are over the exact bytes).
  let body: unknown = request.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const named = (body as { out_trade_no?: unknown } | null | undefined)?.out_trade_no;
  return typeof named === 'string' ? named : undefined;
}

/** Pay endpoints fail with {code, message}; the mini-program APIs with WeChat's "system error" body. */
function errorBody(path: string, spec: Extract<FaultSpec, { kind: 'response-error' }>): Record<string, unknown> {
  return path.startsWith('/v3/') ? { code: spec.code, message: spec.message } : { errcode: -1, errmsg: 'system error' };
}

/**
 * Response faults for any non-control path. "before" faults answer without running the handler, so
 * nothing changes; "after" faults run it and then spoil the answer, leaving the caller unsure whether
 * the call took effect, which is the case a payment client must handle.
 */
export function registerFaultHooks(app: FastifyInstance, deps: FaultHookDeps): void {
  const hang = async (reply: FastifyReply, ms: number) => {
    await deps.timers.sleep(ms);
    reply.raw.destroy();
  };

  const before = async (request: FastifyRequest, reply: FastifyReply, outTradeNo?: string) => {
    const path = pathOf(request);
    if (path.startsWith(CONTROL_PREFIX)) return;
    const target = { path, method: request.method, phase: 'before' as const, outTradeNo, namedOrderOnly: !!outTradeNo };
    const hangFault = deps.faults.take('response-hang', target);
    if (hangFault) {
      reply.hijack();
      await hang(reply, hangFault.hangMs);
      return reply;
    }
    const error = deps.faults.take('response-error', target);
    if (error) return reply.code(error.status).send(errorBody(path, error));
  };
  // Faults for every request of a path, before anything is read; a fault naming an order matches here never.
  app.addHook('onRequest', async (request, reply) => before(request, reply));
  // Faults naming an order wait for the body that names it; the handler has not run yet.
  app.addHook('preHandler', async (request, reply) => {
    const outTradeNo = orderOf(request);
    if (outTradeNo) return before(request, reply, outTradeNo);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const path = pathOf(request);
    if (path.startsWith(CONTROL_PREFIX)) return payload;
    const target = { path, method: request.method, phase: 'after' as const, outTradeNo: orderOf(request) };
    const hangFault = deps.faults.take('response-hang', target);
    if (hangFault) {
      await hang(reply, hangFault.hangMs);
      return payload;
    }
    const error = deps.faults.take('response-error', target);
    if (!error) return payload;
    reply.code(error.status).header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify(errorBody(path, error));
  });
}
