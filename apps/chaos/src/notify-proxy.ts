import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface NotifyProxy {
  url: string;
  /** Notifications forwarded, and how many found no API process answering. */
  stats: { forwarded: number; unanswered: number };
  close(): Promise<void>;
}

const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/**
 * WeChat's notify URL: a load balancer in front of the API processes. Each notification goes to the next process
 * and, when that one does not answer (killed, restarting), to the other; WeChat sees a 502 only when none answers.
 */
export async function startNotifyProxy(upstreams: () => string[]): Promise<NotifyProxy> {
  const stats = { forwarded: 0, unanswered: 0 };
  let turn = 0;
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
    }
    const targets = upstreams();
    turn += 1;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(turn + i) % targets.length];
      try {
        const answer = await fetch(`${target}${request.url ?? '/'}`, {
          method: request.method ?? 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(4_000),
        });
        stats.forwarded += 1;
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
        response.end(Buffer.from(await answer.arrayBuffer()));
        return;
      } catch {
        // this process is down or hung: try the next
      }
    }
    stats.unanswered += 1;
    response.writeHead(502).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
