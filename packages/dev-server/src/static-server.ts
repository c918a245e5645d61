import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** Text worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg']);
/**
 * Taro names every script and stylesheet after its content hash (js/[name].[hash].js, css/…), so a file
 * there never changes under its name: a phone may keep it for a year and never ask again.
 */
const HASHED = /^\/(js|css)\/.+\.[0-9a-f]{8,}\.(js|css)$/;

/** Requests under this prefix go to the API; the H5 is built to call `${API_PREFIX}/…` on its own origin. */
export const API_PREFIX = '/api';

export interface H5ServerOptions {
  /** The dist/h5 folder of one app. */
  root: string;
  /** Where `/api/*` is forwarded, e.g. http://127.0.0.1:43123 */
  apiUrl: string;
  /** Written into index.html as window.__LUMI_CONFIG__ (read by @lumi/mini's getMiniConfig). */
  config: Record<string, string>;
  /** 0 (default) picks a free port. */
  port?: number;
}

export interface H5Server {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves one H5 build on 127.0.0.1 the way it is deployed: files as they are, index.html for every other
 * path (hash routing keeps routes out of the path, but a reload on any URL must still find the app), and
 * the API behind the same origin, as the reverse proxy in front of a real H5 does. Same origin means the
 * test does not depend on the API's CORS list, which cannot know the random ports used here.
 */
export async function serveH5(options: H5ServerOptions): Promise<H5Server> {
  const root = path.resolve(options.root);
  const indexHtml = injectConfig(await readFile(path.join(root, 'index.html'), 'utf8'), options.config);
  const api = new URL(options.apiUrl);
  const files = new Map<string, Promise<Prepared>>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)) {
      proxy(req, res, api, url.pathname.slice(API_PREFIX.length) + url.search);
      return;
    }
    void serveFile(root, decodeURIComponent(url.pathname), indexHtml, req, res, files);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function injectConfig(html: string, config: Record<string, string>): string {
  // Must run before the bundle: put it first in <head>. `<` is escaped so no value can close the tag.
  const script = `<script>window.__LUMI_CONFIG__=${JSON.stringify(config).replace(/</g, '\\u003c')}</script>`;
  if (!html.includes('<head>')) throw new Error('index.html has no <head> to inject the config into');
  return html.replace('<head>', `<head>${script}`);
}

/** One file as sent: its bytes, and the brotli and gzip forms of a text file (made once, on first request). */
interface Prepared {
  type: string;
  raw: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

/**
 * Files as they are, compressed as a deployed H5 behind nginx would be (the bundle shrinks to about a third, which
 * is most of what a phone waits for on a cold open), with hashed files cacheable for good. Each version of a file is
 * read and compressed once.
 */
async function serveFile(
  root: string,
  pathname: string,
  indexHtml: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  cache: Map<string, Promise<Prepared>>,
) {
  const file = path.join(root, path.normalize(pathname));
  const inside = file.startsWith(`${root}${path.sep}`);
  const info = inside ? await stat(file).catch(() => null) : null;
  if (!info?.isFile() || path.basename(file) === 'index.html') {
    res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' });
    res.end(indexHtml);
    return;
  }
  // A file rebuilt under the same name (not a hashed one) is read again.
  const key = `${file}:${info.mtimeMs}:${info.size}`;
  let prepared = cache.get(key);
  if (!prepared) {
    prepared = prepare(file);
    cache.set(key, prepared);
  }
  const { type, raw, br, gzip } = await prepared;
  const accepted = String(req.headers['accept-encoding'] ?? '');
  const [encoding, body] =
    br && /\bbr\b/.test(accepted) ? ['br', br] : gzip && /\bgzip\b/.test(accepted) ? ['gzip', gzip] : [null, raw];
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'cache-control': HASHED.test(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
    ...(encoding ? { 'content-encoding': encoding } : {}),
  });
  res.end(body);
}

async function prepare(file: string): Promise<Prepared> {
  const ext = path.extname(file);
  const raw = await readFile(file);
  const type = TYPES[ext] ?? 'application/octet-stream';
  if (!COMPRESSIBLE.has(ext)) return { type, raw };
  return {
    type,
    raw,
    br: brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } }),
    gzip: gzipSync(raw, { level: 9 }),
  };
}

function proxy(req: http.IncomingMessage, res: http.ServerResponse, api: URL, pathAndQuery: string) {
  const upstream = http.request(
    {
      host: api.hostname,
      port: api.port,
      method: req.method,
      path: pathAndQuery || '/',
      headers: { ...req.headers, host: api.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: `proxy: ${error.message}` } }));
  });
  req.pipe(upstream);
}
