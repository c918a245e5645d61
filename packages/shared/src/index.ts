export * from './money.ts';
export * from './errors.ts';
export * from './common.ts';
export * from './auth/index.ts';
export * from './customers/index.ts';
export * from './staff/index.ts';
export * from './ledger/index.ts';
export * from './audit/index.ts';
