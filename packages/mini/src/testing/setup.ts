import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { resetFakeTaro } from './fake-taro.ts';

beforeEach(() => {
  resetFakeTaro();
});

afterEach(() => {
  cleanup();
  vi.unstubAllEnvs();
});
