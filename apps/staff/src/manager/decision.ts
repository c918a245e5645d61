import { ApiError } from '@lumi/mini';

/** What a decision page says when the API refused: the same words for every kind of request. */
export function decisionErrorMessage(error: unknown, fallback: string): string {
  if (!(error instanceof ApiError)) return fallback;
  if (error.code === 'CREDIT_SELF_APPROVAL' || error.code === 'APPROVAL_SELF_DECISION') return '不能审批自己提交的申请';
  if (error.code === 'CREDIT_REQUEST_NOT_PENDING' || error.code === 'APPROVAL_NOT_PENDING') return '该申请已被处理';
  return error.message;
}

/** A note a person must give (reject, lower a limit, answer a customer): at least two characters. */
export function noteProblem(note: string, what: string): string | null {
  return note.trim().length < 2 ? `请填写${what}（至少 2 个字）` : null;
}
