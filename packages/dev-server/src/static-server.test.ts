import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type H5Server, serveH5 } from './static-server.ts';

/** The H5 static server as a phone meets it: compressed when asked, hashed files cacheable for good. */
let root: string;
let server: H5Server;
const SCRIPT = `console.log(${JSON.stringify('会员'.repeat(2_000))});\n`;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lumi-h5-'));
  await mkdir(path.join(root, 'js'));
  await writeFile(path.join(root, 'index.html'), '<html><head></head><body></body></html>');
  await writeFile(path.join(root, 'js/app.0c245388.js'), SCRIPT);
  await writeFile(path.join(root, 'logo.svg'), '<svg/>');
  server = await serveH5({ root, apiUrl: 'http://127.0.0.1:9', config: { api: '/api' } });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

/** Raw bytes and headers (fetch would decompress on its own). */
function get(pathname: string, acceptEncoding?: string) {
  return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.get(
      `${server.url}${pathname}`,
      { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
  });
}

describe('serveH5', () => {
  it('sends brotli or gzip when the browser takes it, the plain file otherwise', async () => {
    const br = await get('/js/app.0c245388.js', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(SCRIPT);
    expect(br.body.length).toBeLessThan(Buffer.byteLength(SCRIPT) / 4);

    const gzip = await get('/js/app.0c245388.js', 'gzip, deflate');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(SCRIPT);

    const plain = await get('/js/app.0c245388.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers.vary).toBe('accept-encoding');
  });

  it('lets a phone keep hashed files for good, and always asks again for the rest', async () => {
    expect((await get('/js/app.0c245388.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get('/logo.svg')).headers['cache-control']).toBe('no-cache');
    const page = await get('/pages/home/index');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body.toString()).toContain('window.__LUMI_CONFIG__');
  });

  it('serves a file rebuilt under the same name afresh', async () => {
    await writeFile(path.join(root, 'logo.svg'), '<svg width="2"/>');
    expect((await get('/logo.svg', 'br')).headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync((await get('/logo.svg', 'br')).body).toString()).toBe('<svg width="2"/>');
  });
});
