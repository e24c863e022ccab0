/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The desktop app embeds dist/ (see main.go); Wails serves it from the app's
// own origin, so asset URLs stay relative.
export default defineConfig({
  plugins: [react()],
  base: './',
  // Non-ASCII characters (the Chinese catalog's) are written as \u escapes:
  // a script with even one character beyond Latin-1 is held by WebKit as
  // 16-bit text, twice the memory of the whole bundle, and lexed slower.
  esbuild: { charset: 'ascii' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    // `wails dev` reads the URL Vite prints (wails.json frontend:dev:serverUrl
    // "auto"), so a busy port just moves it to the next free one.
    port: Number(process.env.VITE_PORT) || 5173,
    strictPort: false,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
