import type { ManagerReport, ReportTenderMethod } from '@lumi/shared';
import type { ChartDatum } from './chart-data.ts';

/** Charts plot whole yuan (an axis in fen reads wrong); the list under each gives the exact amount. */
const yuan = (fen: number) => Math.round(fen / 100);

export const TENDER_LABELS: Record<ReportTenderMethod, string> = {
  stored_value: '储值',
  points: '积分',
  cash: '现金',
  card: '银行卡',
  wechat: '微信支付',
  credit: '挂账',
};

/** 每日营收: net revenue per day, oldest first; the label is the day of the month. */
export function revenueByDay(report: ManagerReport, formatFen: (fen: number) => string): ChartDatum[] {
  return report.byDay.map((d) => ({
    key: d.date,
    label: `${Number(d.date.slice(8))}日`,
    value: yuan(d.netFen),
    text: formatFen(d.netFen),
  }));
}

/** 按支付方式: net revenue of each tender that moved anything in the period. */
export function revenueByTender(report: ManagerReport, formatFen: (fen: number) => string): ChartDatum[] {
  return report.byTender
    .filter((t) => t.salesFen !== 0 || t.refundsFen !== 0)
    .map((t) => ({
      key: t.method,
      label: TENDER_LABELS[t.method],
      value: yuan(Math.max(t.netFen, 0)),
      text: t.refundsFen > 0 ? `${formatFen(t.netFen)}（退 ${formatFen(t.refundsFen)}）` : formatFen(t.netFen),
    }));
}

/** 按门店: net revenue of each store the report covers. */
export function revenueByStore(report: ManagerReport, formatFen: (fen: number) => string): ChartDatum[] {
  return report.byStore.map((s) => ({
    key: s.storeId,
    label: s.storeName,
    value: yuan(s.netFen),
    text: s.refundsFen > 0 ? `${formatFen(s.netFen)}（退 ${formatFen(s.refundsFen)}）` : formatFen(s.netFen),
  }));
}
