import { getWechatLoginCode, request } from '@lumi/mini';
import type {
  ApprovalRequest,
  ApprovalRequestListQuery,
  CreditLimitRequest,
  DecidedInboxPage,
  Dispute,
  FileApprovalRequest,
  FileDiscountApproval,
  FilePackageTransferApproval,
  InboxKind,
  ManagerInbox,
  StaffWechatBinding,
} from '@lumi/shared';

const id = encodeURIComponent;

/** 审批: everything waiting for me, with counts (managers only; the API answers 403 to anyone else). */
export function getInbox(order: 'newest' | 'oldest' = 'newest', kind?: InboxKind): Promise<ManagerInbox> {
  const query = `order=${order}${kind ? `&kind=${kind}` : ''}`;
  return request<ManagerInbox>(`/staff/inbox?${query}`, { toast: false });
}

/** 审批 已处理: what was decided, latest decision first, a page at a time. */
export function getDecidedInbox(kind: InboxKind | undefined, cursor?: string): Promise<DecidedInboxPage> {
  const query = new URLSearchParams({ limit: '20' });
  if (kind) query.set('kind', kind);
  if (cursor) query.set('cursor', cursor);
  return request<DecidedInboxPage>(`/staff/inbox/decided?${query.toString()}`, { toast: false });
}

/** 请店长审批: a void or refund above the threshold, filed for a manager to perform. */
export function fileApprovalRequest(billId: string, body: FileApprovalRequest): Promise<ApprovalRequest> {
  return request<ApprovalRequest>(`/staff/bills/${id(billId)}/approval-requests`, {
    method: 'POST',
    data: body,
    toast: false,
  });
}

/** 请店长审批 for a manual discount above the limit: the bill draft, opened with the approval once approved. */
export function fileDiscountApproval(body: FileDiscountApproval): Promise<ApprovalRequest> {
  return request<ApprovalRequest>('/staff/approval-requests/discounts', { method: 'POST', data: body, toast: false });
}

/** 请店长审批 for moving a package card to another customer (a manager performs it on approval). */
export function filePackageTransferApproval(body: FilePackageTransferApproval): Promise<ApprovalRequest> {
  return request<ApprovalRequest>('/staff/approval-requests/package-transfers', {
    method: 'POST',
    data: body,
    toast: false,
  });
}

/** Approval requests I may see (mine, or my stores' as a manager), newest first. */
export function listApprovals(query: ApprovalRequestListQuery): Promise<ApprovalRequest[]> {
  const data = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return request<ApprovalRequest[]>('/staff/approval-requests', { data, toast: false });
}

/** A bill's approval requests I may see (mine, or my stores' as a manager), newest first. */
export function listBillApprovals(billId: string): Promise<ApprovalRequest[]> {
  return request<ApprovalRequest[]>(`/staff/approval-requests?billId=${id(billId)}`, { toast: false });
}

export function getApprovalRequest(requestId: string): Promise<ApprovalRequest> {
  return request<ApprovalRequest>(`/staff/approval-requests/${id(requestId)}`, { toast: false });
}

/** Performs the void, refund or transfer (a discount becomes usable): it carries an Idempotency-Key. */
export function approveApprovalRequest(requestId: string, note: string, idempotencyKey: string) {
  return request<ApprovalRequest>(`/staff/approval-requests/${id(requestId)}/approve`, {
    method: 'POST',
    data: note ? { note } : {},
    idempotencyKey,
    toast: false,
  });
}

export function rejectApprovalRequest(requestId: string, note: string): Promise<ApprovalRequest> {
  return request<ApprovalRequest>(`/staff/approval-requests/${id(requestId)}/reject`, {
    method: 'POST',
    data: { note },
    toast: false,
  });
}

export function getCreditRequest(requestId: string): Promise<CreditLimitRequest> {
  return request<CreditLimitRequest>(`/staff/credit-requests/${id(requestId)}`, { toast: false });
}

/** A customer's earlier limit requests and their decisions, newest first. */
export function listCustomerCreditRequests(customerId: string): Promise<CreditLimitRequest[]> {
  return request<CreditLimitRequest[]>(`/staff/credit-requests?customerId=${id(customerId)}`, { toast: false });
}

/** Approve the requested limit, or a lower one (then the note is required). */
/** `lowerExisting`: the manager lowers a higher limit the customer already has (else the approval keeps it). */
export function approveCreditRequest(requestId: string, approvedLimitFen: number, note: string, lowerExisting = false) {
  return request<CreditLimitRequest>(`/staff/credit-requests/${id(requestId)}/approve`, {
    method: 'POST',
    data: { approvedLimitFen, ...(note ? { note } : {}), ...(lowerExisting ? { lowerExisting } : {}) },
    toast: false,
  });
}

export function rejectCreditRequest(requestId: string, note: string): Promise<CreditLimitRequest> {
  return request<CreditLimitRequest>(`/staff/credit-requests/${id(requestId)}/reject`, {
    method: 'POST',
    data: { note },
    toast: false,
  });
}

export function listDisputes(status?: Dispute['status']): Promise<Dispute[]> {
  return request<Dispute[]>(`/staff/disputes${status ? `?status=${status}` : ''}`, { toast: false });
}

/** Answer in writing (the customer reads it) or reverse the bill. */
export function resolveDispute(disputeId: string, resolution: 'answer' | 'reverse', answer: string) {
  return request<Dispute[]>(`/staff/disputes/${id(disputeId)}/resolution`, {
    method: 'POST',
    data: { resolution, answer },
    toast: false,
  });
}

/**
 * Binds this WeChat user (the staff app's wx.login; the simulator in H5) to the signed-in manager, so 审批 alerts
 * reach them; the answer names the template to ask consent for.
 */
export async function bindStaffWechat(): Promise<StaffWechatBinding> {
  const code = await getWechatLoginCode();
  return request<StaffWechatBinding>('/staff/me/wechat', { method: 'POST', data: { code }, toast: false });
}
