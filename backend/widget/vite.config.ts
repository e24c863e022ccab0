/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

// demoPage copies the demo page (demo.html, .css, .js) into dist/ and keeps the tracked dist/.gitkeep
// that the build's emptying of dist/ would otherwise delete (the Go package
// embeds dist/ and must compile before the first build).
function demoPage(): Plugin {
  return {
    name: 'switchboard-demo-page',
    apply: 'build',
    generateBundle() {
      for (const name of ['demo.html', 'demo.css', 'demo.js']) {
        this.emitFile({
          type: 'asset',
          fileName: name,
          source: readFileSync(fileURLToPath(new URL(name, import.meta.url)), 'utf8'),
        });
      }
      this.emitFile({ type: 'asset', fileName: '.gitkeep', source: '' });
    },
  };
}

export default defineConfig({
  plugins: [demoPage()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    lib: {
      entry: fileURLToPath(new URL('src/main.ts', import.meta.url)),
      name: 'Switchboard',
      formats: ['iife'],
      fileName: () => 'switchboard-widget.js',
      cssFileName: 'switchboard-widget',
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    // Test the browser build of tus-js-client, the one the bundle ships
    // (vite build picks it by the package's "browser" field; vitest would
    // take the Node build, which cannot read a Blob).
    alias: {
      'tus-js-client': fileURLToPath(new URL('node_modules/tus-js-client/lib.esm/browser/index.js', import.meta.url)),
    },
    server: { deps: { inline: ['tus-js-client'] } },
  },
});
