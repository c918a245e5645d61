import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { createTemplateDatabase, dropDatabase } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/** Migrates one template database per test run; each test file clones it. */
export default async function setup(project: TestProject) {
  const template = `lumi_template_${process.pid}`;
  await createTemplateDatabase(template);
  project.provide('templateDatabase', template);
  return async () => {
    await dropDatabase(template);
  };
}
