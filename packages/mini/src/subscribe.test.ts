import { describe, expect, it, vi } from 'vitest';
import { getWechatLoginCode } from './auth.ts';
import { requestSubscribeMessage } from './subscribe.ts';
import { type FakeRequest, fakeTaro, setFakeServer } from './testing/index.ts';

describe('requestSubscribeMessage', () => {
  it('on H5 tells the simulator the user accepted, for the openid this browser logged in as', async () => {
    const seen: FakeRequest[] = [];
    setFakeServer((req) => {
      seen.push(req);
      if (req.url.endsWith('/__control/login-codes')) return { status: 200, body: { code: 'c' } };
      return { status: 200, body: { remaining: 1 } };
    });
    await getWechatLoginCode('demo-customer-007');

    await expect(requestSubscribeMessage(['tpl-a', 'tpl-b'])).resolves.toEqual(['tpl-a', 'tpl-b']);
    expect(seen.slice(1).map((r) => [r.method, r.url, r.data])).toEqual([
      [
        'POST',
        'http://sim.test/__control/subscriptions',
        { appid: 'wx-test-app', openid: 'demo-customer-007', templateId: 'tpl-a', count: 1 },
      ],
      [
        'POST',
        'http://sim.test/__control/subscriptions',
        { appid: 'wx-test-app', openid: 'demo-customer-007', templateId: 'tpl-b', count: 1 },
      ],
    ]);
    expect(fakeTaro.requestSubscribeMessage).not.toHaveBeenCalled();
  });

  it('on H5 leaves out what the simulator refused, and never rejects', async () => {
    setFakeServer((req) => {
      const { templateId } = req.data as { templateId: string };
      if (templateId === 'down') throw new Error('connection refused');
      return templateId === 'tpl-a' ? { status: 200, body: {} } : { status: 400, body: {} };
    });
    await expect(requestSubscribeMessage(['tpl-a', 'tpl-b', 'down'])).resolves.toEqual(['tpl-a']);
  });

  it('in WeChat returns only the templates the user accepted', async () => {
    vi.stubEnv('TARO_ENV', 'weapp');
    fakeTaro.requestSubscribeMessage.mockResolvedValueOnce({
      errMsg: 'requestSubscribeMessage:ok',
      'tpl-a': 'accept',
      'tpl-b': 'reject',
      'tpl-c': 'ban',
    });
    await expect(requestSubscribeMessage(['tpl-a', 'tpl-b', 'tpl-c'])).resolves.toEqual(['tpl-a']);
    expect(fakeTaro.requestSubscribeMessage).toHaveBeenCalledWith({ tmplIds: ['tpl-a', 'tpl-b', 'tpl-c'] });
    expect(fakeTaro.request).not.toHaveBeenCalled();
  });

  it('in WeChat treats a failed or closed dialog as accepting nothing', async () => {
    vi.stubEnv('TARO_ENV', 'weapp');
    fakeTaro.requestSubscribeMessage.mockRejectedValueOnce({ errMsg: 'requestSubscribeMessage:fail cancel' });
    await expect(requestSubscribeMessage(['tpl-a'])).resolves.toEqual([]);
  });

  it('asks for nothing without templates, and refuses more than WeChat takes at once', async () => {
    vi.stubEnv('TARO_ENV', 'weapp');
    await expect(requestSubscribeMessage([])).resolves.toEqual([]);
    expect(fakeTaro.requestSubscribeMessage).not.toHaveBeenCalled();
    await expect(requestSubscribeMessage(['a', 'b', 'c', 'd'])).rejects.toThrow(/at most 3/);
  });
});
