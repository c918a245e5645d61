import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface DeliveryOutcome {
  statusCode?: number;
  error?: string;
  durationMs: number;
}

/**
 * One POST to a merchant's notify_url. A fresh connection each time (no agent), so a test server can
 * close without waiting for pooled sockets.
 */
export function postNotification(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<DeliveryOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<DeliveryOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...outcome, durationMs: Date.now() - started });
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return finish({ error: `invalid notify_url ${url}` });
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        agent: false,
        signal,
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' },
      },
      (res) => {
        res.resume();
        res.on('end', () => finish({ statusCode: res.statusCode ?? 0 }));
        res.on('error', (error) => finish({ statusCode: res.statusCode ?? 0, error: error.message }));
      },
    );
    req.setTimeout(timeoutMs, () => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    req.on('error', (error) => finish({ error: error.message }));
    req.end(body);
  });
}
