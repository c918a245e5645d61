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

  app.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request);
    if (path.startsWith(CONTROL_PREFIX)) return;
    const target = { path, method: request.method, phase: 'before' as const };
    const hangFault = deps.faults.take('response-hang', target);
    if (hangFault) {
      reply.hijack();
      await hang(reply, hangFault.hangMs);
      return reply;
    }
    const error = deps.faults.take('response-error', target);
    if (error) return reply.code(error.status).send(errorBody(path, error));
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const path = pathOf(request);
    if (path.startsWith(CONTROL_PREFIX)) return payload;
    const target = { path, method: request.method, phase: 'after' as const };
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
