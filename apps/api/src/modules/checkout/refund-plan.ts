import {
  allocateProportionally,
  type RefundBillRequest,
  type RefundTender,
  runningShare,
  type Tender,
} from '@lumi/shared';
import { AppError } from '../../errors.ts';
import type { billLinesOf } from './read-bill.ts';
import type { RefundedLine, RefundedTender } from './tables.ts';

/**
 * Working out a refund before anything moves: which lines give back how much, and which tenders the money goes
 * back to. Everything is computed from what the bill paid and what earlier refunds already returned, with
 * running shares, so refunding a bill in several steps returns exactly what one void would.
 */

type Line = Awaited<ReturnType<typeof billLinesOf>>[number];
type Method = RefundTender['method'];

/** What the settled bill's one transfer recorded, and how its stored value was split. */
export interface BillPaid {
  tenders: Tender[];
  /** Value of the points tender (points × the rate at settlement). */
  pointsValueFen: number;
  principalFen: number;
  bonusFen: number;
  pointsEarned: number;
  /** Package line id → revenue its sessions recognised. */
  recognisedFen: Map<string, number>;
}

/** What earlier refunds of the bill returned. */
export interface AlreadyRefunded {
  lines: Map<string, Omit<RefundedLine, 'lineId'>>;
  money: Map<Method, number>;
  points: number;
  moneyFen: number;
  pointsClawedBack: number;
}

export function alreadyRefunded(
  rows: { lines: RefundedLine[]; tenders: RefundedTender[]; amountFen: number; pointsClawedBack: number }[],
): AlreadyRefunded {
  const done: AlreadyRefunded = {
    lines: new Map(),
    money: new Map(),
    points: 0,
    moneyFen: 0,
    pointsClawedBack: 0,
  };
  for (const row of rows) {
    done.moneyFen += row.amountFen;
    done.pointsClawedBack += row.pointsClawedBack;
    for (const l of row.lines) {
      const was = done.lines.get(l.lineId) ?? {
        quantity: 0,
        amountFen: 0,
        discountFen: 0,
        sessions: 0,
        recognisedFen: 0,
      };
      done.lines.set(l.lineId, {
        quantity: was.quantity + l.quantity,
        amountFen: was.amountFen + l.amountFen,
        discountFen: was.discountFen + l.discountFen,
        sessions: was.sessions + l.sessions,
        recognisedFen: was.recognisedFen + l.recognisedFen,
      });
    }
    for (const t of row.tenders) {
      done.money.set(t.method, (done.money.get(t.method) ?? 0) + t.amountFen);
      if (t.method === 'points') done.points += t.points;
    }
  }
  return done;
}

const exceeded = (message: string, details: Record<string, unknown>) =>
  new AppError('REFUND_AMOUNT_EXCEEDED', message, details);

/** The lines of a refund; `rest` is everything not yet refunded (a void). */
export function planLines(
  lines: Line[],
  paid: BillPaid,
  done: AlreadyRefunded,
  asked: RefundBillRequest['lines'] | 'rest',
): RefundedLine[] {
  const byId = new Map(lines.map((l) => [l.id, l]));
  if (asked === 'rest') return lines.map((line) => restOf(line, paid, done)).filter(isSomething);
  const seen = new Set<string>();
  return asked.map((ask, i) => {
    const line = byId.get(ask.lineId);
    if (!line) {
      throw new AppError('VALIDATION_FAILED', 'That line is not on this bill', [
        { field: `body.lines.${i}.lineId`, message: 'not a line of this bill' },
      ]);
    }
    if (seen.has(line.id)) {
      throw new AppError('VALIDATION_FAILED', 'A line may appear once per refund', [
        { field: `body.lines.${i}.lineId`, message: 'repeated' },
      ]);
    }
    seen.add(line.id);
    return partOf(line, paid, done, ask);
  });
}

const isSomething = (l: RefundedLine) => l.quantity > 0 || l.amountFen > 0 || l.discountFen > 0 || l.sessions > 0;

function before(done: AlreadyRefunded, lineId: string) {
  return done.lines.get(lineId) ?? { quantity: 0, amountFen: 0, discountFen: 0, sessions: 0, recognisedFen: 0 };
}

function restOf(line: Line, paid: BillPaid, done: AlreadyRefunded): RefundedLine {
  const was = before(done, line.id);
  const packageLine = line.type === 'package_session' || line.type === 'shop_voucher';
  return {
    lineId: line.id,
    quantity: line.quantity - was.quantity,
    amountFen: line.amountFen - was.amountFen,
    discountFen: line.discountFen - was.discountFen,
    sessions: packageLine ? line.quantity - was.sessions : 0,
    recognisedFen: packageLine ? (paid.recognisedFen.get(line.id) ?? 0) - was.recognisedFen : 0,
  };
}

function partOf(
  line: Line,
  paid: BillPaid,
  done: AlreadyRefunded,
  ask: { quantity?: number | undefined; amountFen?: number | undefined },
): RefundedLine {
  const was = before(done, line.id);
  const moneyLeft = line.amountFen - was.amountFen;
  if (ask.amountFen !== undefined) {
    if (ask.amountFen > moneyLeft) {
      throw exceeded(`${line.name}: at most ${moneyLeft} fen is left to refund`, {
        lineId: line.id,
        refundableFen: moneyLeft,
      });
    }
    return { lineId: line.id, quantity: 0, amountFen: ask.amountFen, discountFen: 0, sessions: 0, recognisedFen: 0 };
  }
  const quantity = ask.quantity ?? 0;
  if (was.quantity + quantity > line.quantity) {
    throw exceeded(`${line.name}: only ${line.quantity - was.quantity} left to refund`, {
      lineId: line.id,
      quantityLeft: line.quantity - was.quantity,
    });
  }
  const discountFen = runningShare(line.discountFen, line.quantity, was.quantity, quantity);
  const amountFen = line.unitPriceFen * quantity - discountFen;
  if (amountFen > moneyLeft) {
    throw exceeded(`${line.name}: part of it was already refunded; refund at most ${moneyLeft} fen`, {
      lineId: line.id,
      refundableFen: moneyLeft,
    });
  }
  const packageLine = line.type === 'package_session' || line.type === 'shop_voucher';
  return {
    lineId: line.id,
    quantity,
    amountFen,
    discountFen,
    sessions: packageLine ? quantity : 0,
    recognisedFen: packageLine
      ? runningShare(paid.recognisedFen.get(line.id) ?? 0, line.quantity, was.sessions, quantity)
      : 0,
  };
}

interface TenderLeft {
  method: Method;
  moneyFen: number;
  /** Points tender only. */
  points: number;
}

/** What each of the bill's tenders can still give back. */
function tendersLeft(paid: BillPaid, done: AlreadyRefunded): TenderLeft[] {
  const money = new Map<Method, number>();
  for (const t of paid.tenders) {
    const fen = t.method === 'points' ? paid.pointsValueFen : t.amountFen;
    money.set(t.method, (money.get(t.method) ?? 0) + fen);
  }
  const pointsPaid = paid.tenders.reduce((sum, t) => sum + (t.method === 'points' ? t.points : 0), 0);
  return [...money].map(([method, fen]) => ({
    method,
    moneyFen: fen - (done.money.get(method) ?? 0),
    points: method === 'points' ? pointsPaid - done.points : 0,
  }));
}

/** Returns every tender's part, each with its money; stored value split into principal and bonus. */
export function planTenders(
  paid: BillPaid,
  done: AlreadyRefunded,
  moneyFen: number,
  asked: RefundTender[] | 'proportional',
): RefundedTender[] {
  const left = tendersLeft(paid, done);
  const pointsPaid = paid.tenders.reduce((sum, t) => sum + (t.method === 'points' ? t.points : 0), 0);
  const pointsValue = (points: number) => runningShare(paid.pointsValueFen, pointsPaid, done.points, points);
  const parts = asked === 'proportional' ? proportional(left, moneyFen, pointsPaid, paid, done) : asked;
  const seen = new Set<Method>();
  const planned = parts.map((part, i): RefundedTender => {
    const field = `body.tenders.${i}`;
    const from = left.find((l) => l.method === part.method);
    if (!from || seen.has(part.method)) {
      throw new AppError('VALIDATION_FAILED', `This bill was not paid by ${part.method}, or it is named twice`, [
        { field, message: 'not a tender of this bill, or repeated' },
      ]);
    }
    seen.add(part.method);
    if (part.method === 'points') {
      if (part.points > from.points) throw exceeded('More points than the bill took', { pointsLeft: from.points });
      return { method: 'points', points: part.points, amountFen: pointsValue(part.points) };
    }
    if (part.amountFen > from.moneyFen) {
      throw exceeded(`At most ${from.moneyFen} fen can go back to ${part.method}`, {
        method: part.method,
        refundableFen: from.moneyFen,
      });
    }
    if (part.method !== 'stored_value') return { method: part.method, amountFen: part.amountFen };
    const storedValue = paid.principalFen + paid.bonusFen;
    const principalFen = runningShare(paid.principalFen, storedValue, storedValue - from.moneyFen, part.amountFen);
    return { method: 'stored_value', amountFen: part.amountFen, principalFen, bonusFen: part.amountFen - principalFen };
  });
  const tendered = planned.reduce((sum, t) => sum + t.amountFen, 0);
  if (tendered !== moneyFen) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'The refund tenders do not add up to the refund', {
      refundFen: moneyFen,
      tenderedFen: tendered,
      differenceFen: moneyFen - tendered,
    });
  }
  return planned.filter((t) => t.amountFen > 0 || (t.method === 'points' && t.points > 0));
}

/**
 * The default: back to each tender in proportion to what it can still return. Points go back in whole points,
 * so what their share cannot cover in whole points goes to the money tenders that still have room.
 */
function proportional(
  left: TenderLeft[],
  moneyFen: number,
  pointsPaid: number,
  paid: BillPaid,
  done: AlreadyRefunded,
): RefundTender[] {
  const open = left.filter((l) => l.moneyFen > 0 || l.points > 0);
  const everything = open.reduce((sum, l) => sum + l.moneyFen, 0);
  if (moneyFen > everything)
    throw exceeded('That is more than is left to refund on this bill', { refundableFen: everything });
  if (moneyFen === everything) {
    return open.map((l) =>
      l.method === 'points' ? { method: 'points', points: l.points } : { method: l.method, amountFen: l.moneyFen },
    );
  }
  const shares = allocateProportionally(
    moneyFen,
    open.map((l) => l.moneyFen),
  );
  let spill = 0;
  const parts = open.map((l, i) => {
    const share = shares[i] ?? 0;
    if (l.method !== 'points') return { left: l, fen: share, points: 0 };
    // Integer division in BigInt: share × points can pass 2^53.
    let points = Math.min(
      l.points,
      Number((BigInt(share) * BigInt(pointsPaid)) / BigInt(Math.max(1, paid.pointsValueFen))),
    );
    const value = (n: number) => runningShare(paid.pointsValueFen, pointsPaid, done.points, n);
    while (points > 0 && value(points) > share) points--;
    spill += share - value(points);
    return { left: l, fen: value(points), points };
  });
  for (const part of parts) {
    if (spill === 0 || part.left.method === 'points') continue;
    const room = part.left.moneyFen - part.fen;
    const moved = Math.min(room, spill);
    part.fen += moved;
    spill -= moved;
  }
  if (spill > 0) {
    throw new AppError('VALIDATION_FAILED', 'Points go back in whole points: name the refund tenders', [
      { field: 'body.tenders', message: 'required for this amount' },
    ]);
  }
  return parts
    .filter((p) => p.fen > 0 || p.points > 0)
    .map(
      (p): RefundTender =>
        p.left.method === 'points'
          ? { method: 'points', points: p.points }
          : { method: p.left.method, amountFen: p.fen },
    );
}
