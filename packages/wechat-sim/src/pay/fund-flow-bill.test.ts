import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callPay, verifyWechatpaySignature } from '../test-support/merchant-client.ts';
import { merchantOf, startTestSim } from '../test-support/sim-fixture.ts';
import { callBill, download, paidOrder, today } from '../test-support/bill-client.ts';
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
  it('lists every movement of money with its fee, the balance after each, and a summary that adds up', async () => {
    const first = await paidOrder(sim, 19_800);
    await paidOrder(sim, 1_001);
    const refund = await callPay(sim.url, merchantOf(sim), {
      method: 'POST',
      path: '/v3/refund/domestic/refunds',
      body: {
        out_trade_no: first,
        out_refund_no: `R${first}`,
        amount: { refund: 800, total: 19_800, currency: 'CNY' },
      },
    });
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
    // 0.6 % fee, rounded to the fen: 198.00 → 1.19, 10.01 → 0.06; the refund of 8.00 gives 0.05 back.
    expect(rows.map((r) => [r[1], r[3], r[4], r[5], r[6], r[7]])).toEqual([
      [transactionId, '交易', '交易', '收入', '198.00', '198.00'],
      [transactionId, '交易', '扣除交易手续费', '支出', '1.19', '196.81'],
      [expect.any(String), '交易', '交易', '收入', '10.01', '206.82'],
      [expect.any(String), '交易', '扣除交易手续费', '支出', '0.06', '206.76'],
      [refundId, '退款', '退款', '支出', '8.00', '198.76'],
      [refundId, '退款', '手续费退还', '收入', '0.05', '198.81'],
    ]);
    expect(new Set(rows.map((r) => r[2])).size).toBe(6);
    expect(lines.at(-2)).toBe('资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额');
    expect(lines.at(-1)).toBe('`6.0,`3.0,`208.06,`3.0,`9.25');

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
