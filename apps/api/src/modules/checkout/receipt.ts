import { type Bill, formatFen, type RefundTender, TENDER_LABELS, type Tender } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { escapeHtml, htmlTable, printablePage } from '../../printable.ts';

const STATUS_LABELS: Record<Bill['status'], string> = {
  open: '未结账',
  awaiting_customer: '待顾客确认',
  settled: '已结账',
  voided: '已撤销',
  cancelled: '已取消',
};

const tenderText = (t: Tender | RefundTender) =>
  `${TENDER_LABELS[t.method]} ${t.method === 'points' ? `${t.points} 分` : formatFen(t.amountFen)}`;

const time = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '';

/** 小票: the itemised bill as a printable page, for the customer and for staff to reprint. */
export async function receiptHtml(db: Database, bill: Bill, tenantId: string): Promise<string> {
  const [tenant] = await queryRows<{ name: string }>(db, sql`select name from tenants where id = ${tenantId}`);
  const lines = bill.lines.map((l) => [
    l.name,
    String(l.quantity),
    formatFen(l.unitPriceFen),
    l.discountFen ? `-${formatFen(l.discountFen)}` : '',
    formatFen(l.amountFen),
  ]);
  const discounts = [
    ['会员折扣', bill.tierDiscountFen],
    ['优惠券', bill.couponDiscountFen],
    ['手工优惠', bill.manualDiscountFen],
  ].filter(([, fen]) => Number(fen) > 0);
  const refunds = bill.refunds.map((r) => [
    time(r.createdAt),
    r.kind === 'void' ? '撤销' : '退款',
    formatFen(r.amountFen),
    r.tenders.map(tenderText).join('；'),
    r.reason,
  ]);
  const facts = [
    `门店：${bill.storeName}`,
    `单号：${bill.number}`,
    `顾客：${bill.customerName ?? '会员'}`,
    `开单：${bill.openedBy.name}`,
    `时间：${time(bill.settledAt ?? bill.createdAt)}`,
    `状态：${STATUS_LABELS[bill.status]}`,
  ];
  const body = [
    `<p>${facts.map(escapeHtml).join('<br>')}</p>`,
    htmlTable(['项目', '数量', '单价', '优惠', '金额'], lines),
    `<p>${[
      `小计 ${formatFen(bill.subtotalFen)}`,
      ...discounts.map(([name, fen]) => `${name} -${formatFen(Number(fen))}`),
    ]
      .map((t) => escapeHtml(String(t)))
      .join('<br>')}<br><strong>合计 ${escapeHtml(formatFen(bill.totalFen))}</strong></p>`,
    `<p>${escapeHtml(`支付：${bill.tenders.map(tenderText).join('；') || '—'}`)}</p>`,
    refunds.length ? htmlTable(['时间', '类型', '金额', '退回', '原因'], refunds) : '',
  ];
  return printablePage(`${tenant?.name ?? ''} 消费小票`, body.join('\n'));
}
