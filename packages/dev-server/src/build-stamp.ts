import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Folders that are outputs, installs or a build's own caches (SWC's plugin cache in the app), never build inputs. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.turbo', 'coverage', '.swc']);

/**
 * A hash of everything a mini-program build reads: the given folders' files (paths and contents), the
 * lockfile, and the settings that change the output (target, mode, TARO_APP_* overrides from the shell).
 */
export async function hashBuildInputs(
  inputs: { root: string; dirs: string[]; files: string[] },
  settings: Record<string, string | undefined>,
): Promise<string> {
  const hash = createHash('sha256');
  const files = [...inputs.files];
  for (const dir of inputs.dirs) files.push(...(await filesUnder(inputs.root, dir)));
  for (const file of files.sort()) {
    hash.update(`${file}\0`);
    hash.update(await readFile(path.join(inputs.root, file)));
    hash.update('\0');
  }
  const sortedSettings = Object.entries(settings).sort(([a], [b]) => a.localeCompare(b));
  hash.update(JSON.stringify(sortedSettings));
  return hash.digest('hex');
}

async function filesUnder(root: string, dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(root, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) found.push(...(await filesUnder(root, relative)));
    else if (entry.isFile()) found.push(relative);
  }
  return found;
}

/**
 * Remembers which inputs produced an output folder. The stamp lives beside the output (a stamp inside
 * dist/weapp would be uploaded with the mini-program) and also records when the output's marker file was
 * written, so a build made by something else since (apps/e2e builds dist/h5 in test mode) is not taken for
 * the demo's.
 */
export class BuildStamp {
  constructor(
    private readonly stampFile: string,
    /** A file every successful build writes, e.g. dist/h5/index.html. */
    private readonly marker: string,
  ) {}

  async matches(inputsHash: string): Promise<boolean> {
    const [saved, marker] = await Promise.all([readFile(this.stampFile, 'utf8').catch(() => null), this.markerTime()]);
    return saved !== null && marker !== null && saved === stampText(inputsHash, marker);
  }

  /** Before a build: a failed build must not leave the previous stamp standing. */
  async clear(): Promise<void> {
    await rm(this.stampFile, { force: true });
  }

  async write(inputsHash: string): Promise<void> {
    const marker = await this.markerTime();
    if (marker === null) throw new Error(`the build wrote no ${this.marker}`);
    await mkdir(path.dirname(this.stampFile), { recursive: true });
    await writeFile(this.stampFile, stampText(inputsHash, marker));
  }

  private async markerTime(): Promise<number | null> {
    const info = await stat(this.marker).catch(() => null);
    return info?.isFile() ? info.mtimeMs : null;
  }
}

function stampText(inputsHash: string, markerTime: number): string {
  return `${JSON.stringify({ inputs: inputsHash, markerMtimeMs: markerTime })}\n`;
}
