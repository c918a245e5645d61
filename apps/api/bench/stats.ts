/** What the benchmarks share to summarise a phase: samples pooled over rounds, percentiles, one printed line. */
import { performance } from 'node:perf_hooks';

/** Measurements of one phase, pooled over its rounds. */
export interface Sample {
  latencies: number[];
  count: number;
  seconds: number;
  errors: number;
  /** CPU seconds the Node process used while measuring (the rest of the machine is PostgreSQL's). */
  cpuSeconds: number;
}

export interface Result {
  tps: number;
  p50: number;
  p99: number;
  p999: number;
  count: number;
  errors: number;
  /** Share of one core the Node process used while measuring. */
  nodeCpu?: number;
}

export const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export const emptySample = (): Sample => ({ latencies: [], count: 0, seconds: 0, errors: 0, cpuSeconds: 0 });

export function pool(into: Sample, s: Sample) {
  for (const x of s.latencies) into.latencies.push(x);
  into.count += s.count;
  into.seconds += s.seconds;
  into.errors += s.errors;
  into.cpuSeconds += s.cpuSeconds;
}

export const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

export function summarise(s: Sample, withCpu = true): Result {
  const sorted = [...s.latencies].sort((x, y) => x - y);
  return {
    tps: s.count / s.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    count: s.count,
    errors: s.errors,
    ...(withCpu ? { nodeCpu: s.cpuSeconds / s.seconds } : {}),
  };
}

export const round = (n: number, digits = 2) => Number(n.toFixed(digits));
export const log = (line: string) => console.log(line);

export function show(label: string, r: Result, opts: { unit?: string; p999?: boolean; cpuOf?: string } = {}) {
  const ms = (x: number) => round(x).toFixed(2).padStart(7);
  log(
    `${label.padEnd(46)} ${round(r.tps, 0).toString().padStart(7)} ${opts.unit ?? 'tx'}/s   p50 ${ms(r.p50)} ms   p99 ${ms(r.p99)} ms` +
      (opts.p999 ? `   p99.9 ${ms(r.p999)} ms` : '') +
      `   (${r.count} ${opts.unit ?? 'tx'}${r.errors ? `, ${r.errors} errors` : ''}${r.nodeCpu !== undefined ? `, ${opts.cpuOf ?? 'node'} ${Math.round(r.nodeCpu * 100)}% of a core` : ''})`,
  );
}

/** Runs `op` in `clients` concurrent loops for `seconds` and measures each call. */
export async function load(
  seconds: number,
  op: (worker: number, i: number) => Promise<unknown>,
  clients: number,
): Promise<Sample> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown = null;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, worker) => {
      for (let i = 0; performance.now() < end; i++) {
        const t0 = performance.now();
        try {
          await op(worker, i);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= error;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  if (firstError) console.error('first error:', firstError);
  return { latencies, count: latencies.length, seconds: elapsed, errors, cpuSeconds: cpuSince(cpuBefore) };
}

/** CPU seconds this process used since `before` (process.cpuUsage()). */
export function cpuSince(before: NodeJS.CpuUsage): number {
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1e6;
}

/** Phases run interleaved in rounds (a, b, …, a, b, …), each pooling its rounds, so drift hits all alike. */
export interface Phase {
  key: string;
  label: string;
  run: (seconds: number) => Promise<Sample>;
}

export async function runRounds(
  phases: Phase[],
  opts: { warmup: number; seconds: number; rounds: number; loadavg: () => string },
): Promise<Map<string, Sample>> {
  log('warming up …');
  for (const phase of phases) await phase.run(opts.warmup);
  const samples = new Map(phases.map((p) => [p.key, emptySample()]));
  for (let r = 1; r <= opts.rounds; r++) {
    log(`round ${r}/${opts.rounds} (load average ${opts.loadavg()})`);
    for (const phase of phases) pool(samples.get(phase.key)!, await phase.run(opts.seconds / opts.rounds));
  }
  return samples;
}
