export * from './top-up-plans.ts';
