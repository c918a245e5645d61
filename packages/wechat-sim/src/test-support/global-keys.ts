import type { TestProject } from 'vitest/node';
import { generateSimKeys, type SimKeys } from '../keys/sim-keys.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    simKeys: SimKeys;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('simKeys', await generateSimKeys('1900000109'));
}
