import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedNotify {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export type Responder = (notify: ReceivedNotify, index: number) => number | Promise<number>;

export interface NotifyReceiver {
  url: string;
  received: ReceivedNotify[];
  /** Status to answer for each notify; defaults to 204. */
  respondWith(responder: Responder): void;
  waitForCount(count: number, timeoutMs?: number): Promise<ReceivedNotify[]>;
  close(): Promise<void>;
}

/** A merchant's notify endpoint on loopback that records raw requests. */
export async function startNotifyReceiver(path = '/wechat/notify'): Promise<NotifyReceiver> {
  const received: ReceivedNotify[] = [];
  let responder: Responder = () => 204;
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const notify = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() };
      received.push(notify);
      for (const wake of waiters.splice(0)) wake();
      const status = await responder(notify, received.length - 1);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(status >= 300 ? JSON.stringify({ code: 'FAIL', message: '失败' }) : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    respondWith: (next) => {
      responder = next;
    },
    waitForCount: (count, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const deadline = setTimeout(
          () => reject(new Error(`only ${received.length} of ${count} notifies arrived`)),
          timeoutMs,
        );
        const check = () => {
          if (received.length >= count) {
            clearTimeout(deadline);
            resolve(received.slice());
          } else {
            waiters.push(check);
          }
        };
        check();
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
