/**
 * Merging: a customer who signed up in the mini-program and the member the front desk registered with the same
 * phone become one, with money on both sides (docs/customers.md). Sits above the ledger and every module whose
 * records follow the customer; the phone binding (customers) calls it through the hook app.ts wires.
 */
export { absorbSignUp } from './absorb-sign-up.ts';
