// Shared helpers for the end-to-end tests: free ports, the real server and the
// real desktop app (its Go side through `wails dev`), Chromium, and cleanup.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, createWriteStream, copyFileSync, chmodSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = path.join(root, 'e2e', 'out');
mkdirSync(outDir, { recursive: true });

/** Returns a TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls url until it answers 2xx or the deadline passes. */
export async function waitForHTTP(url, timeoutMs, proc) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc && proc.exitCode !== null) {
      throw new Error(`${proc.label} exited with ${proc.exitCode} before ${url} answered; see ${proc.logPath}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})`);
}

const children = [];

/** Starts a process in its own process group, logging to e2e/out/<label>.log. */
export function start(label, cmd, args, opts = {}) {
  const logPath = path.join(outDir, `${label}.log`);
  const log = createWriteStream(logPath);
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, ...opts.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.label = label;
  child.logPath = logPath;
  children.push(child);
  return child;
}

/** Stops every started process group, politely and then firmly. */
export async function stopAll() {
  for (const c of children) {
    try { process.kill(-c.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  await new Promise((r) => setTimeout(r, 1500));
  for (const c of children) {
    try { process.kill(-c.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  children.length = 0;
}

export function tempDir(prefix) {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts the real server binary with the demo seed, on a free port and a
 * fresh data directory unless given; args are more serve flags.
 */
export async function startServer({ port, data, args = [], label = 'server' } = {}) {
  port ??= await freePort();
  data ??= tempDir('sb-e2e-data-');
  const proc = start(label, path.join(root, 'bin', 'switchboard-server'), [
    'serve', '--demo', '--addr', `127.0.0.1:${port}`, '--data', data, ...args,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitForHTTP(`${url}/healthz`, 30_000, proc);
  return { url, data, port, proc };
}

/** Kills a started process group at once (a crash, not a shutdown) and waits for it to go. */
export async function crash(proc) {
  const gone = new Promise((r) => proc.once('exit', r));
  try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* already gone */ }
  await gone;
}

/**
 * Starts the desktop app's real Go side with `wails dev` under Xvfb; its dev
 * server exposes the same frontend with live Go bindings to a browser.
 */
export async function startDesktopDev() {
  const port = await freePort();
  const vitePort = await freePort();
  const config = tempDir('sb-e2e-config-');
  const downloads = tempDir('sb-e2e-downloads-');
  const proc = start('wails-dev', 'xvfb-run', [
    '-a', '-s', '-screen 0 1280x800x24',
    'go', 'tool', 'wails', 'dev',
    '-tags', 'webkit2_41', '-s', '-skipbindings', '-m', '-nosyncgomod', '-noreload',
    '-nogorebuild', '-nocolour', '-assetdir', 'frontend/dist', '-devserver', `127.0.0.1:${port}`,
  ], {
    env: {
      SWITCHBOARD_CONFIG_DIR: config, SWITCHBOARD_SERVER_URL: '', VITE_PORT: String(vitePort),
      // Downloads land here without the native save dialog, which a test cannot answer;
      // the keys stay in the config dir, whatever keychain the machine has.
      SWITCHBOARD_DOWNLOAD_DIR: downloads, SWITCHBOARD_KEYRING: 'file',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  // The first build compiles WebKitGTK bindings and SQLite: allow several minutes.
  await waitForHTTP(url, 480_000, proc);
  return { url, config, downloads, proc };
}

/**
 * Starts a second desktop app next to one startDesktopDev started: a copy of
 * the development binary `wails dev` built, run the way `wails dev` runs it
 * (its dev server on a port of its own, serving the built frontend), with its
 * own config directory, so two people can be signed in at once.
 */
export async function startDesktopTwin(label = 'desktop-twin') {
  const port = await freePort();
  const config = tempDir('sb-e2e-config-');
  const downloads = tempDir('sb-e2e-downloads-');
  const bin = path.join(tempDir('sb-e2e-bin-'), 'switchboard');
  const dev = readdirSync(path.join(root, 'build', 'bin')).find((f) => f.startsWith('switchboard-dev'));
  if (!dev) throw new Error('no development binary in build/bin: start startDesktopDev first');
  copyFileSync(path.join(root, 'build', 'bin', dev), bin);
  chmodSync(bin, 0o755);
  const proc = start(label, 'xvfb-run', ['-a', '-s', '-screen 0 1280x800x24', bin], {
    env: {
      devserver: `127.0.0.1:${port}`, assetdir: path.join(root, 'frontend', 'dist'), frontenddevserverurl: '',
      loglevel: 'info',
      SWITCHBOARD_CONFIG_DIR: config, SWITCHBOARD_SERVER_URL: '',
      SWITCHBOARD_DOWNLOAD_DIR: downloads, SWITCHBOARD_KEYRING: 'file',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHTTP(url, 120_000, proc);
  return { url, config, downloads, proc, bin };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // A fake microphone that needs no prompt, for the widget's voice recorder.
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      // The agent plays a voice message with no sound device to hear it.
      '--autoplay-policy=no-user-gesture-required', '--mute-audio',
    ],
  });
}

/** Saves a screenshot to e2e/out and, with UPDATE_SCREENSHOTS=1, to docs/screenshots. */
export async function shot(page, name) {
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    const docs = path.join(root, 'docs', 'screenshots');
    mkdirSync(docs, { recursive: true });
    copyFileSync(file, path.join(docs, `${name}.png`));
  }
  return file;
}
