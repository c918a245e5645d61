import { request } from '@lumi/mini';
import type {
  Bill,
  CreateCreditLimitRequest,
  CreditLimitRequest,
  CreditRepaymentRequest,
  CreditRepaymentResult,
  CreditSuggestion,
  CustomerCredit,
  CustomerNote,
  CustomerNoteList,
  CustomerProfile,
  CustomerValue,
  CustomerWaitingCreditRequest,
  RegisterCustomer,
  SellPackageCardRequest,
  TopUpPlan,
  TopUpRequest,
  TransferPackageCardRequest,
  TransferResult,
  WaitingCreditLimitRequest,
} from '@lumi/shared';

const customerPath = (id: string, rest = '') => `/staff/customers/${encodeURIComponent(id)}${rest}`;

/** A 409 CUSTOMER_PHONE_TAKEN carries the customer who has the phone in `details.customer`. */
export function registerCustomer(body: RegisterCustomer): Promise<CustomerProfile> {
  return request<CustomerProfile>('/staff/customers', { method: 'POST', data: body, toast: false });
}

/** Value analysis: balances, credit, tier, RFM segment and recommendations with their reasons. */
export function getCustomerValue(id: string): Promise<CustomerValue> {
  return request<CustomerValue>(customerPath(id, '/value'), { toast: false });
}

export function getCustomerCredit(id: string): Promise<CustomerCredit> {
  return request<CustomerCredit>(customerPath(id, '/credit'), { toast: false });
}

export function getCreditSuggestion(id: string): Promise<CreditSuggestion> {
  return request<CreditSuggestion>(customerPath(id, '/credit/suggestion'), { toast: false });
}

/** The limit request still waiting for a manager, if any: a customer has at most one (the API refuses a second). */
/** The customer's limit request waiting for a manager, whoever filed it: a second one would be refused. */
export async function getWaitingCreditRequest(id: string): Promise<WaitingCreditLimitRequest | null> {
  const answer = await request<CustomerWaitingCreditRequest>(customerPath(id, '/credit-requests/waiting'), {
    toast: false,
  });
  return answer.waiting;
}

export function requestCreditLimit(id: string, body: CreateCreditLimitRequest): Promise<CreditLimitRequest> {
  return request<CreditLimitRequest>(customerPath(id, '/credit-requests'), {
    method: 'POST',
    data: body,
    toast: false,
  });
}

export function repayCredit(
  id: string,
  body: CreditRepaymentRequest,
  idempotencyKey: string,
): Promise<CreditRepaymentResult> {
  return request<CreditRepaymentResult>(customerPath(id, '/credit-repayments'), {
    method: 'POST',
    data: body,
    idempotencyKey,
    toast: false,
  });
}

export async function listNotes(id: string): Promise<CustomerNote[]> {
  return (await request<CustomerNoteList>(customerPath(id, '/notes'), { toast: false })).items;
}

export function addNote(id: string, body: string): Promise<CustomerNote> {
  return request<CustomerNote>(customerPath(id, '/notes'), { method: 'POST', data: { body }, toast: false });
}

/** The customer's bills in my stores, newest first. */
export function listCustomerBills(id: string): Promise<Bill[]> {
  return request<Bill[]>('/staff/bills', { data: { customerId: id }, toast: false });
}

/** The tenant's top-up offers (充值送), smallest first. */
export function listTopUpPlans(): Promise<TopUpPlan[]> {
  return request<TopUpPlan[]>('/staff/top-up-plans', { toast: false });
}

export function topUp(id: string, body: TopUpRequest, idempotencyKey: string): Promise<TransferResult> {
  return request<TransferResult>(customerPath(id, '/top-ups'), {
    method: 'POST',
    data: body,
    idempotencyKey,
    toast: false,
  });
}

export function sellPackageCard(
  id: string,
  body: SellPackageCardRequest,
  idempotencyKey: string,
): Promise<TransferResult> {
  return request<TransferResult>(customerPath(id, '/package-cards'), {
    method: 'POST',
    data: body,
    idempotencyKey,
    toast: false,
  });
}

/** 转卡 by a manager, directly: every session left moves to the other customer's new card. */
export function transferPackageCard(
  customerId: string,
  cardId: string,
  body: TransferPackageCardRequest,
  idempotencyKey: string,
): Promise<TransferResult> {
  return request<TransferResult>(customerPath(customerId, `/package-cards/${encodeURIComponent(cardId)}/transfers`), {
    method: 'POST',
    data: body,
    idempotencyKey,
    toast: false,
  });
}
