// H5 only, inlined into index.html (see config/index.ts): asks the API for what the page being opened shows while
// the bundle is still downloading. On a phone the app's ~440 KB of JavaScript takes a second or more to arrive and
// start; a request sent from the app would wait for all of that, one sent from here runs alongside it. The app
// takes each answer once through @lumi/mini's request() (early-response.ts), which checks the token it was sent
// with and still handles an expired one; anything that goes wrong here just means the app asks as usual.
// Plain JavaScript: it runs as written, before any polyfill or module loader.
(() => {
  /** Page (the hash route) → the GET requests its first screen makes, exactly as request() spells them. */
  const FIRST_REQUESTS = {
    'pages/home/index': ['/me', '/me/wallet', '/me/bills?status=awaiting_customer'],
    'wallet/entries/index': ['/me/entries?limit=20'],
  };
  try {
    const page = window.location.hash.replace(/^#\/?/, '').split('?')[0] || 'pages/home/index';
    const paths = FIRST_REQUESTS[page];
    // Taro's H5 storage keeps { data } as JSON; the session is { accessToken, refreshToken } (session.ts).
    const stored = JSON.parse(window.localStorage.getItem('lumi.session') || 'null');
    const token = stored?.data?.accessToken;
    if (!paths || typeof token !== 'string') return;
    const config = window.__LUMI_CONFIG__ || {};
    const api = (config.api ?? document.currentScript?.dataset.api ?? '').replace(/\/+$/, '');
    const startedAt = Date.now();
    const early = {};
    for (const path of paths) {
      const response = fetch(api + path, { headers: { authorization: `Bearer ${token}` } }).then((res) =>
        res.text().then((text) => {
          let body = null;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // Not JSON: the app treats it as it treats any unreadable answer.
          }
          return { status: res.status, body };
        }),
      );
      // Nobody may be waiting yet; the app sees a failure when it takes the answer (and then asks again).
      response.catch(() => undefined);
      early[path] = { token, startedAt, response };
    }
    window.__LUMI_EARLY__ = early;
  } catch {
    // No storage, no session, or an old browser: the app asks as usual.
  }
})();
