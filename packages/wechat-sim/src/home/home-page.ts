import type { FastifyInstance } from 'fastify';

export interface SimRoute {
  method: string;
  url: string;
}

/** Where each registered route belongs on the page, by its path's start; the first match wins. */
const SECTIONS = [
  {
    prefix: '/__control/',
    title: 'Control: the WeChat client stand-ins, faults and clock (JSON, CORS open to any origin)',
  },
  { prefix: '/v3/', title: 'WeChat Pay v3 (api.mch.weixin.qq.com): signed requests and answers, AES-GCM notifies' },
  {
    prefix: '/',
    title: 'Mini-program server APIs (api.weixin.qq.com): login, access tokens, subscribe messages, codes',
  },
] as const;

/** One line per control route; a test checks that every route under /__control has one. */
export const CONTROL_ROUTE_NOTES: Readonly<Record<string, string>> = {
  'POST /__control/login-codes': 'wx.login: a login code for {appid, openid?, unionid?}',
  'POST /__control/phone-codes':
    'getPhoneNumber: a single-use phone code for {appid, phone} (what the button gives the mini-program)',
  'POST /__control/subscriptions': 'wx.requestSubscribeMessage: grants one-time subscriptions',
  'GET /__control/subscriptions': 'the grants (?openid=)',
  'POST /__control/templates': 'registers a subscribe-message template and its required keys',
  'GET /__control/messages': 'subscribe messages sent (?openid=&appid=&templateId=)',
  'GET /__control/wxacodes': 'mini-program codes drawn by getwxacodeunlimit (?appid=&scene=): what a scan opens',
  'POST /__control/pay': 'wx.requestPayment: pays a prepay_id with a paySign',
  'GET /__control/notifications': 'payment and refund notifies, with every delivery attempt',
  'GET /__control/orders': 'orders and their transactions (?out_trade_no=)',
  'POST /__control/paid-orders':
    'takes back a paid order from before a restart {order, transaction_id, success_time}, without a notify',
  'GET /__control/refunds': 'refunds',
  'POST /__control/faults':
    'adds faults (dropped, late, forged or wrong notifies; failing or hanging answers; corrupt bill files)',
  'GET /__control/faults': 'the faults in force',
  'DELETE /__control/faults': 'clears every fault',
  'DELETE /__control/faults/:id': 'removes one fault',
  'GET /__control/clock': "the simulator's clock offset",
  'POST /__control/clock': 'sets the clock offset {offsetSeconds}',
  'GET /__control/keys': 'mchid, merchant serial, pay mode and the public keys / certificates',
  'POST /__control/rotate': 'rotates the platform certificate or public key',
  'POST /__control/pay-mode': "switches signing between 'pubkey' and 'cert'",
};

const HIDDEN_METHODS = new Set(['HEAD', 'OPTIONS']);

/** Records every route as it is registered, so the page lists what the simulator really serves. */
export function collectRoutes(app: FastifyInstance): SimRoute[] {
  const routes: SimRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (!HIDDEN_METHODS.has(method)) routes.push({ method, url: route.url });
  });
  return routes;
}

export interface HomePageFacts {
  mchid: string;
  appids: string[];
}

/** GET /: what the simulator stands in for, and every route it serves. */
export function homeRoute(app: FastifyInstance, routes: readonly SimRoute[], facts: HomePageFacts): void {
  app.get('/', async (_request, reply) => {
    const others = routes.filter((route) => route.url !== '/');
    return reply.type('text/html; charset=utf-8').send(renderHomePage(others, facts));
  });
}

export function renderHomePage(routes: readonly SimRoute[], facts: HomePageFacts): string {
  const sections = SECTIONS.map((section) => {
    const own = routes.filter((r) => SECTIONS.find((s) => r.url.startsWith(s.prefix)) === section);
    const items = own.map((r) => `<li>${routeLine(r)}</li>`).join('\n');
    return `<h2>${escapeHtml(section.title)}</h2>\n<ul>\n${items}\n</ul>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lumi WeChat simulator</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}</style>
</head><body>
<h1>Lumi WeChat simulator</h1>
<p>A loopback stand-in for WeChat, with real cryptography (RSA-SHA256 signatures, AES-256-GCM, X.509), so the
Lumi API talks to it unchanged. It simulates mini-program login (<code>wx.login</code> and
<code>jscode2session</code>), access tokens, subscribe messages, and WeChat Pay v3: JSAPI orders, queries,
closing, refunds, the trade and fund-flow bills, platform certificates and signed payment and refund notifies
with WeChat's retry schedule.
Faults and the clock can be set through the control routes. All state is in memory.</p>
<p>Mini-programs: ${facts.appids.map((id) => `<code>${escapeHtml(id)}</code>`).join(', ')}.
Merchant id <code>${escapeHtml(facts.mchid)}</code>.</p>
${sections.join('\n')}
</body></html>
`;
}

function routeLine(route: SimRoute): string {
  const key = `${route.method} ${route.url}`;
  const linkable = route.method === 'GET' && !route.url.includes(':');
  const label = linkable
    ? `<a href="${escapeHtml(route.url)}"><code>${escapeHtml(key)}</code></a>`
    : `<code>${escapeHtml(key)}</code>`;
  const note = CONTROL_ROUTE_NOTES[key];
  return note === undefined ? label : `${label} — ${escapeHtml(note)}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
