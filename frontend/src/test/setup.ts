import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import './virtuoso';

afterEach(() => {
  cleanup();
  delete window.go;
  delete window.runtime;
  window.localStorage.clear();
});
