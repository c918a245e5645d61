import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWechatpaySignature } from '../test-support/merchant-client.ts';
import { startTestSim } from '../test-support/sim-fixture.ts';
import { callBill, download, paidOrder, refundPart, today } from '../test-support/bill-client.ts';
import type { WechatSim } from '../wechat-sim.ts';

let sim: WechatSim;
let nextMorning: WechatSim;

beforeAll(async () => {
  // Real time: the refund stays PROCESSING (5 s) while the bill is read.
  sim = await startTestSim({ billsReady: 'same-day', timeScale: 1 });
  nextMorning = await startTestSim();
});
afterAll(async () => {
  await sim.close();
  await nextMorning.close();
});

const apply = (target: WechatSim, query: string) => callBill(target, `/v3/bill/tradebill?${query}`);

describe('trade bill download', () => {
  it("serves the day's payments and refunds as WeChat's backquoted bill, signed application, unsigned file, SHA1 of the bill", async () => {
    const first = await paidOrder(sim, 19_800, '护理, 含面膜');
    const second = await paidOrder(sim, 1_001);
    const refund = await refundPart(sim, first, 800, 19_800);
    expect(refund.status).toBe(200);

    const applied = await apply(sim, `bill_date=${today()}&bill_type=ALL`);
    expect(applied.status).toBe(200);
    expect(verifyWechatpaySignature(applied.headers, applied.text, sim.certs()).ok).toBe(true);
    expect(applied.json).toMatchObject({
      hash_type: 'SHA1',
      download_url: expect.stringContaining('/v3/billdownload/file?token='),
    });

    const file = await download(sim, applied.json.download_url);
    expect(file.status).toBe(200);
    expect(file.headers.get('wechatpay-signature')).toBeNull();
    expect(createHash('sha1').update(file.body).digest('hex')).toBe(applied.json.hash_value);
    const lines = file.body.toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]?.split(',')).toHaveLength(27);
    expect(lines[0]).toMatch(/^交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,/);
    const rows = lines.slice(1, -2).map((line) => line.slice(1).split(',`'));
    expect(rows.map((r) => [r[6], r[9], r[12], r[15], r[16], r[19]])).toEqual([
      [first, 'SUCCESS', '198.00', '0', '0.00', ''],
      [second, 'SUCCESS', '10.01', '0', '0.00', ''],
      [first, 'REFUND', '0.00', `R${first}`, '8.00', 'PROCESSING'],
    ]);
    // A comma inside the description stays inside its backquoted field.
    expect(rows[0]?.[20]).toBe('护理, 含面膜');
    expect(rows[0]?.[21]).toBe('tenant-1');
    expect(lines.at(-2)).toBe(
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
    );
    expect(lines.at(-1)).toBe('`3,`208.01,`8.00,`0.00,`1.20000,`208.01,`8.00');

    // Compressed on request; the hash is still of the bill itself.
    const zipped = await apply(sim, `bill_date=${today()}&bill_type=REFUND&tar_type=GZIP`);
    const zippedFile = await download(sim, zipped.json.download_url);
    const refundBill = gunzipSync(zippedFile.body);
    expect(createHash('sha1').update(refundBill).digest('hex')).toBe(zipped.json.hash_value);
    expect(refundBill.toString('utf8').split('\r\n')[0]).toContain('退款申请时间,退款成功时间');
    expect(
      refundBill
        .toString('utf8')
        .split('\r\n')
        .filter((l) => l.startsWith('`')),
    ).toHaveLength(2);

    // The download is a merchant request like any other, and its address does not last.
    expect((await download(sim, applied.json.download_url, false)).status).toBe(401);
    sim.clock.setOffsetSeconds(6 * 60);
    try {
      const stale = await download(sim, applied.json.download_url);
      expect(stale.status).toBe(400);
    } finally {
      sim.clock.setOffsetSeconds(0);
    }
  });

  it('has no bill for a day without trades, a day to come, or (as WeChat) today before the next morning', async () => {
    const tomorrow = new Date(Date.now() + 32 * 3_600_000).toISOString().slice(0, 10);
    const lastWeek = new Date(Date.now() + 8 * 3_600_000 - 7 * 86_400_000).toISOString().slice(0, 10);
    expect((await apply(sim, `bill_date=${tomorrow}`)).json).toMatchObject({ code: 'NO_STATEMENT_EXIST' });
    expect((await apply(sim, `bill_date=${lastWeek}`)).json).toMatchObject({ code: 'NO_STATEMENT_EXIST' });
    expect((await apply(sim, 'bill_date=2026/01/01')).json).toMatchObject({ code: 'PARAM_ERROR' });
    await paidOrder(nextMorning, 500);
    const early = await apply(nextMorning, `bill_date=${today()}`);
    expect(early).toMatchObject({ status: 400, json: { code: 'NO_STATEMENT_EXIST' } });
  });
});
