import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWechatpaySignature } from '../test-support/merchant-client.ts';
import { startTestSim } from '../test-support/sim-fixture.ts';
import { callBill, download, paidOrder, refundPart, today } from '../test-support/bill-client.ts';
import type { WechatSim } from '../wechat-sim.ts';

let sim: WechatSim;

beforeAll(async () => {
  sim = await startTestSim({ billsReady: 'same-day' });
});
afterAll(async () => {
  await sim.close();
});

const apply = (kind: 'tradebill' | 'fundflowbill', query: string) => callBill(sim, `/v3/bill/${kind}?${query}`);

describe('fund-flow bill (资金账单) of the basic account', () => {
  it('lists a line per payment and refund, net of its fee, the balance after each, and a summary that adds up', async () => {
    const first = await paidOrder(sim, 19_800);
    const second = await paidOrder(sim, 1_001);
    const refund = await refundPart(sim, first, 800, 19_800);
    expect(refund.status).toBe(200);

    const applied = await apply('fundflowbill', `bill_date=${today()}&account_type=BASIC&tar_type=GZIP`);
    expect(applied.status).toBe(200);
    expect(verifyWechatpaySignature(applied.headers, applied.text, sim.certs()).ok).toBe(true);
    const file = gunzipSync((await download(sim, applied.json.download_url)).body);
    expect(createHash('sha1').update(file).digest('hex')).toBe(applied.json.hash_value);
    const lines = file.toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号',
    );
    const rows = lines.slice(1, -2).map((line) => line.slice(1).split(',`'));
    const transactionId = sim.order(first)?.transaction.transaction_id;
    const refundId = sim.refunds()[0]?.refund_id;
    // 0.6 % fee, rounded to the fen and named in 备注: 198.00 → 1.19, 10.01 → 0.06; the refund of 8.00 gives 0.05 back.
    expect(rows.map((r) => [r[1], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10]])).toEqual([
      [
        transactionId,
        '交易',
        '交易',
        '收入',
        '196.81',
        '196.81',
        'system',
        '结算总金额 198.00 元;含手续费 1.19 元',
        first,
      ],
      [
        expect.any(String),
        '交易',
        '交易',
        '收入',
        '9.95',
        '206.76',
        'system',
        '结算总金额 10.01 元;含手续费 0.06 元',
        second,
      ],
      [
        refundId,
        '退款',
        '退款',
        '支出',
        '7.95',
        '198.81',
        `${sim.keys.mchid}API`,
        '退款总金额8.00元;含手续费0.05元',
        `R${first}`,
      ],
    ]);
    expect(new Set(rows.map((r) => r[2])).size).toBe(3);
    expect(lines.at(-2)).toBe('资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额');
    expect(lines.at(-1)).toBe('`3.0,`2.0,`206.76,`1.0,`7.95');

    // Other accounts hold nothing here; a day without movements has no bill.
    expect((await apply('fundflowbill', `bill_date=${today()}&account_type=FEES`)).json).toMatchObject({
      code: 'NO_STATEMENT_EXIST',
    });
    expect((await apply('fundflowbill', `bill_date=${today()}&account_type=CASH`)).json).toMatchObject({
      code: 'PARAM_ERROR',
    });
  });

  it('a bill-corrupt fault spoils the file or its hash once, for the bill it names', async () => {
    await paidOrder(sim, 2_000);
    const hashOf = (body: Buffer) => createHash('sha1').update(body).digest('hex');
    const fetchBill = async (kind: 'tradebill' | 'fundflowbill') => {
      const applied = await apply(kind, `bill_date=${today()}`);
      const body = (await download(sim, applied.json.download_url)).body;
      return { hash: applied.json.hash_value as string, body };
    };
    const good = await fetchBill('fundflowbill');

    sim.faults.add({ kind: 'bill-corrupt', bill: 'fund', part: 'file', times: 1 });
    const trade = await fetchBill('tradebill');
    expect(hashOf(trade.body)).toBe(trade.hash);
    const spoiled = await fetchBill('fundflowbill');
    expect(spoiled.hash).toBe(good.hash);
    expect(hashOf(spoiled.body)).not.toBe(spoiled.hash);
    // Still a bill to the eye: same size and lines, one digit changed.
    expect(spoiled.body.length).toBe(good.body.length);
    expect(spoiled.body.toString('utf8').split('\r\n')[0]).toBe(good.body.toString('utf8').split('\r\n')[0]);

    sim.faults.add({ kind: 'bill-corrupt', part: 'hash', times: 1 });
    const wrongHash = await fetchBill('tradebill');
    expect(hashOf(wrongHash.body)).not.toBe(wrongHash.hash);
    const healed = await fetchBill('tradebill');
    expect(hashOf(healed.body)).toBe(healed.hash);
    expect(sim.faults.list()).toEqual([]);
  });
});
