import { randomUUID } from 'node:crypto';
import { cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Finished builds kept per user by the hash of their inputs (hashBuildInputs), so that a new clone of the same
 * sources copies dist/<target> instead of running Taro for minutes. The hash covers every file and setting the
 * build reads, so a copy is only ever of these exact inputs. A copy is written under a temporary name and
 * renamed when complete (a half-written one is never found); one copy per app and target is kept.
 */
export class BuildCache {
  constructor(private readonly dir: string) {}

  /** Copies the kept output of `name` (e.g. customer-h5) built from `inputs` to `output`; false when none. */
  async restore(name: string, inputs: string, output: string): Promise<boolean> {
    const kept = this.entry(name, inputs);
    const found = await readdir(kept).then(
      () => true,
      () => false,
    );
    if (!found) return false;
    await rm(output, { recursive: true, force: true });
    await cp(kept, output, { recursive: true });
    return true;
  }

  /** Keeps a copy of `output`, built from `inputs`, in place of any older one of `name`. */
  async keep(name: string, inputs: string, output: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const partial = path.join(this.dir, `.partial-${randomUUID()}`);
    await cp(output, partial, { recursive: true });
    for (const entry of await readdir(this.dir)) {
      if (entry.startsWith(`${name}.`)) await rm(path.join(this.dir, entry), { recursive: true, force: true });
    }
    await rename(partial, this.entry(name, inputs));
  }

  private entry(name: string, inputs: string): string {
    return path.join(this.dir, `${name}.${inputs}`);
  }
}
