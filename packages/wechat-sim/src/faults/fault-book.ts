import { randomUUID } from 'node:crypto';
import { type FaultInput, type FaultKind, type FaultSpec, FaultSpecSchema } from './fault-spec.ts';

export interface ActiveFault {
  id: string;
  spec: FaultSpec;
  /** null while sticky. */
  remaining: number | null;
  hits: number;
}

export interface FaultTarget {
  path?: string;
  method?: string;
  eventType?: string;
  outTradeNo?: string;
  phase?: 'before' | 'after';
  bill?: 'trade' | 'fund';
  /** Only faults that name `outTradeNo` match (the ones waiting for a request's body). */
  namedOrderOnly?: boolean;
}

export interface FaultBook {
  add(input: FaultInput): ActiveFault;
  list(): ActiveFault[];
  remove(id: string): boolean;
  clear(): void;
  /** Finds the oldest fault of this kind that matches, uses it up by one and returns its spec. */
  take<K extends FaultKind>(kind: K, target: FaultTarget): Extract<FaultSpec, { kind: K }> | undefined;
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

function matches(spec: FaultSpec, target: FaultTarget): boolean {
  if ('eventType' in spec && spec.eventType !== undefined && spec.eventType !== target.eventType) return false;
  if ('outTradeNo' in spec && spec.outTradeNo !== undefined && spec.outTradeNo !== target.outTradeNo) return false;
  if ('bill' in spec && spec.bill !== undefined && spec.bill !== target.bill) return false;
  if (target.namedOrderOnly && !('outTradeNo' in spec && spec.outTradeNo !== undefined)) return false;
  if ('phase' in spec && target.phase !== undefined && spec.phase !== target.phase) return false;
  if ('method' in spec && spec.method !== undefined && spec.method.toUpperCase() !== target.method?.toUpperCase())
    return false;
  if ('path' in spec) return target.path !== undefined && globToRegExp(spec.path).test(target.path);
  return true;
}

export function createFaultBook(): FaultBook {
  const faults: ActiveFault[] = [];
  return {
    add: (input) => {
      const spec = FaultSpecSchema.parse(input);
      const fault: ActiveFault = { id: randomUUID(), spec, remaining: spec.times ?? null, hits: 0 };
      faults.push(fault);
      return fault;
    },
    list: () => faults.map((fault) => ({ ...fault })),
    remove: (id) => {
      const index = faults.findIndex((fault) => fault.id === id);
      if (index >= 0) faults.splice(index, 1);
      return index >= 0;
    },
    clear: () => {
      faults.length = 0;
    },
    take: (kind, target) => {
      const fault = faults.find((candidate) => candidate.spec.kind === kind && matches(candidate.spec, target));
      if (!fault) return undefined;
      fault.hits += 1;
      if (fault.remaining !== null) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) faults.splice(faults.indexOf(fault), 1);
      }
      return fault.spec as Extract<FaultSpec, { kind: typeof kind }>;
    },
  };
}
