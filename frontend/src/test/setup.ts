import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { installIdle } from './idle';
import './virtuoso';

beforeEach(() => {
  installIdle();
});

afterEach(() => {
  cleanup();
  delete window.go;
  delete window.runtime;
  window.localStorage.clear();
});
