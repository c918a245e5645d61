import { DAY_MS, openingHours, type Random } from './demo-clock.ts';

/**
 * How a demo customer uses the salon — the spread segmentation should find: regulars back every three to four
 * weeks, lapsed customers who came for months and stopped, new customers, one-off visitors, and people who
 * signed up in the mini-program and never bought anything.
 */
export type Rhythm = 'regular' | 'lapsed' | 'new' | 'one_off' | 'no_purchase';

export interface CustomerPlan {
  rhythm: Rhythm;
  /** 入会: at the desk before the first treatment, or a few days earlier in the mini-program. */
  signedUpAt: number;
  /** Each visit is one bill, in opening hours. */
  visits: number[];
  /** A package card bought on the second visit, whose sessions later visits use. */
  buysCard: boolean;
  /** 挂账 limit the manager grants on the third visit; 0 for none. */
  creditLimitFen: number;
}

export interface Window {
  start: number;
  end: number;
}

/**
 * Per ten sign-ups: two regulars, one who lapsed, two new, two one-off trial visitors, and three who joined in
 * the mini-program for the welcome offer and never came (扫码入会). Regulars carry most of the bills.
 */
const RHYTHMS: readonly Rhythm[] = [
  'regular',
  'lapsed',
  'new',
  'one_off',
  'no_purchase',
  'regular',
  'new',
  'one_off',
  'no_purchase',
  'no_purchase',
];

/** Customer 0 is 林小雅, a regular: the e2e tests and the tour of the customer app start with her. */
export function rhythmOf(index: number): Rhythm {
  return RHYTHMS[index % RHYTHMS.length] as Rhythm;
}

function every(from: number, until: number, minDays: number, maxDays: number, random: Random): number[] {
  const visits: number[] = [];
  for (let t = from; t < until; t += (minDays + random() * (maxDays - minDays)) * DAY_MS) {
    visits.push(openingHours(t, random));
  }
  return visits;
}

export function planCustomer(index: number, window: Window, random: Random): CustomerPlan {
  const span = window.end - window.start;
  const rhythm = rhythmOf(index);
  const at = (share: number) => window.start + share * span;
  let firstVisit: number;
  let visits: number[];
  switch (rhythm) {
    case 'regular':
      firstVisit = index === 0 ? at(0.02) : at(random() * 0.6);
      visits = every(firstVisit, window.end, 21, 28, random);
      break;
    case 'lapsed': {
      firstVisit = at(random() * 0.25);
      const stoppedAt = Math.min(firstVisit + (0.25 + random() * 0.2) * span, window.end - 0.35 * span);
      visits = every(firstVisit, Math.max(stoppedAt, firstVisit + 30 * DAY_MS), 25, 40, random);
      break;
    }
    case 'new':
      firstVisit = window.end - random() * Math.min(45 * DAY_MS, 0.4 * span);
      visits = every(firstVisit, window.end, 14, 25, random).slice(0, 2);
      break;
    case 'one_off':
      firstVisit = at(random() * 0.8);
      visits = [openingHours(firstVisit, random)];
      break;
    default:
      firstVisit = at(random());
      visits = [];
  }
  const first = visits[0] ?? openingHours(firstVisit, random);
  // Most register at the desk just before their first treatment; some in the mini-program a few days ahead.
  const signedUpAt =
    random() < 0.7
      ? first - (20 + Math.floor(random() * 40)) * 60_000
      : openingHours(first - (1 + random() * 6) * DAY_MS, random);
  return {
    rhythm,
    signedUpAt: Math.max(signedUpAt, window.start - 30 * DAY_MS),
    visits,
    buysCard: index === 0 || (rhythm === 'regular' && random() < 0.4),
    creditLimitFen:
      index === 0 ? 500_000 : rhythm === 'regular' && index % 7 === 3 ? 300_000 + (index % 3) * 100_000 : 0,
  };
}
