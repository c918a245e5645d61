/**
 * Credit (挂账 / 赊销): credit lines and limits, limit requests with a suggested limit and manager approval,
 * credit sales with due dates or instalments, repayments, reminders, aging, automatic freeze and collection.
 * What a customer owes is always the ledger's credit_receivable balance; this module keeps limits, schedules
 * and the collection process around it.
 */
export {
  authorizeCreditCharge,
  type CreditChargeInput,
  creditSummary,
} from './lines.ts';
export { type CreditTakeOver, takeOverCredit } from './merge.ts';
export { creditRepaymentPurpose } from './payment-purpose.ts';
export { agingReport, collectionBoard, type OverdueRunResult, runCreditOverdue } from './overdue.ts';
export { type ReminderRunResult, reminderKindFor, runCreditReminders } from './reminders.ts';
export { type AppliedCreditRepayment, applyCreditRepayment, type CreditRepaymentInput } from './repayments.ts';
export { creditRoutes } from './routes.ts';
export {
  type RecordCreditSaleInput,
  recordCreditSale,
  reduceCreditSale,
} from './sales.ts';
export { instalmentSchedule } from './schedule.ts';
export { creditSettings } from './settings.ts';
export { suggestLimit } from './suggestion.ts';
export { creditLimitSql, creditWalletLimits } from './wallet-limit.ts';
