import { rmSync } from 'node:fs';
import { expect, it } from 'vitest';
import { runBank } from './bank-run.ts';
import { chaosProfile } from './profile.ts';
import { formatSummary } from './summary.ts';

const profile = chaosProfile(process.env);

it(
  `keeps every account exact while connections, PostgreSQL, an API process and WeChat fail (${profile.name}, seed ${profile.seed})`,
  async () => {
    console.log(
      `bank test: profile ${profile.name}, seed ${profile.seed}, ${profile.durationMs} ms, ${profile.tenants * 2} clients`,
    );
    const result = await runBank(profile);
    console.log(formatSummary(result));
    for (const d of result.deaths)
      console.log(`API death: ${d.name} code ${d.code} signal ${d.signal} at ${d.at}\n${d.logTail}`);
    for (const p of [...result.checks.problems, ...result.violations, ...result.unresolved]) console.log(`  ✗ ${p}`);

    // The faults really ran: otherwise passing would prove nothing.
    expect(result.faults.postgresRestarts).toBe(1);
    expect(result.faults.apiKills).toBe(1);
    expect(result.faults.backendsTerminated).toBeGreaterThan(0);
    expect(result.traffic.acknowledged).toBeGreaterThan(0);

    // A request whose connection died is a retryable 503, never a 500.
    expect(Object.keys(result.traffic.codes5xx).filter((code) => code.startsWith('500'))).toEqual([]);
    expect(result.deaths.map((d) => `${d.name} exited (${d.code ?? d.signal})`)).toEqual([]);
    expect(result.unresolved).toEqual([]);
    expect(result.violations).toEqual([]);
    expect(result.checks.problems).toEqual([]);
    // Kept for a failed run only: the API processes' output and the simulator's keys.
    rmSync(result.logDir, { recursive: true, force: true });
  },
  // Generous: set-up (two API processes transpiling on a busy 2-core box) and the replays after the faults.
  profile.durationMs + 420_000,
);
