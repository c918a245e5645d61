import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startWechatSim } from './wechat-sim.ts';

const USAGE = `Usage: tsx src/cli.ts [--port 4010] [--host 127.0.0.1] [--keys-dir DIR]
                     [--notify-time-scale 1] [--pay-mode pubkey|cert] [--mchid 1900000109]
                     [--template-prefix sim-] [--bills next-morning|same-day] [--log]`;

const ArgsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4010),
  host: z.string().default('127.0.0.1'),
  keysDir: z.string().optional(),
  timeScale: z.coerce.number().positive().default(1),
  payMode: z.enum(['pubkey', 'cert']).default('pubkey'),
  mchid: z.string().optional(),
  templatePrefix: z.string().optional(),
  bills: z.enum(['next-morning', 'same-day']).default('next-morning'),
  log: z.boolean().default(false),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'keys-dir': { type: 'string' },
      'notify-time-scale': { type: 'string' },
      'pay-mode': { type: 'string' },
      mchid: { type: 'string' },
      'template-prefix': { type: 'string' },
      bills: { type: 'string' },
      log: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const args = ArgsSchema.parse({
    port: values.port,
    host: values.host,
    keysDir: values['keys-dir'],
    timeScale: values['notify-time-scale'],
    payMode: values['pay-mode'],
    mchid: values.mchid,
    templatePrefix: values['template-prefix'],
    bills: values.bills,
    log: values.log,
  });
  const keysDir = args.keysDir === undefined ? undefined : resolve(args.keysDir);
  const sim = await startWechatSim({
    port: args.port,
    host: args.host,
    timeScale: args.timeScale,
    payMode: args.payMode,
    billsReady: args.bills,
    logger: args.log,
    ...(keysDir === undefined ? {} : { keysDir }),
    ...(args.mchid === undefined ? {} : { mchid: args.mchid }),
    ...(args.templatePrefix === undefined ? {} : { templatePrefix: args.templatePrefix }),
  });
  console.log(`wechat-sim listening on ${sim.url}`);
  console.log(`  mchid ${sim.keys.mchid}, pay mode ${args.payMode}, notify time scale ${args.timeScale}`);
  console.log(
    keysDir === undefined
      ? '  keys generated in memory (pass --keys-dir to share them with the API)'
      : `  keys in ${keysDir}`,
  );

  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
