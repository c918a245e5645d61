import type { BankRunResult } from './bank-run.ts';

const line = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

/** The run in a few lines: what was sent, what failed on the way, which faults ran, which invariants held. */
export function formatSummary(r: BankRunResult): string {
  const t = r.traffic;
  const f = r.faults;
  const invariants = Object.values(r.checks.checked).reduce((a, b) => a + b, 0);
  return [
    `bank test under faults — seed ${r.seed} (replay: CHAOS_SEED=${r.seed})`,
    `  requests ${t.requests}, acknowledged ${t.acknowledged} (${t.rejected} refused by a business rule), retried ${t.retried}, attempts ${t.attempts}`,
    `  failed attempts: network ${t.failures.network}, timeout ${t.failures.timeout}, 5xx ${t.failures.status5xx} (${line(t.codes5xx) || 'none'})`,
    `  operations: ${line(r.counts)}`,
    `  faults: backends terminated ${f.backendsTerminated} in ${f.terminationRounds} rounds, PostgreSQL restarts ${f.postgresRestarts}, API SIGKILLs ${f.apiKills}, WeChat ${line(f.wechatFaults)}`,
    `  invariants checked: ${invariants} (${line(r.checks.checked)})`,
    `  problems: ${r.checks.problems.length}, model violations: ${r.violations.length}, unresolved requests: ${r.unresolved.length}, unexpected API deaths: ${r.deaths.length}`,
    `  durations ms: ${line(r.durationsMs)}; API logs in ${r.logDir}`,
  ].join('\n');
}
