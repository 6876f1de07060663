// Shared helpers for the real-VS-Code tests: code-server 4.100.3 (VS Code 1.100.3) started on a
// loopback port with a fresh profile, and Debian's Chromium driven by playwright-core.
// See shared/reference/clients.md §1, §3a and §3b for why each flag and setting is here.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { format } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const EXTENSION_ID = 'container-privilege-lint.container-privilege-lint';
export const VSIX = join(ROOT, 'dist', 'container-privilege-lint.vsix');

export function log(...args) {
  const t = ((Date.now() - START) / 1000).toFixed(1).padStart(5);
  console.log(`[${t}s]`, ...args);
}
const START = Date.now();

/** The code-server binary: $CODE_SERVER_BIN, else the one scripts/install-code-server.sh installed. */
export function codeServerBin() {
  if (process.env.CODE_SERVER_BIN) return process.env.CODE_SERVER_BIN;
  const prefixes = [];
  if (process.env.CODE_SERVER_PREFIX) prefixes.push(process.env.CODE_SERVER_PREFIX);
  const cache = join(ROOT, '.cache');
  if (existsSync(cache)) {
    for (const d of readdirSync(cache).sort().reverse()) if (d.startsWith('code-server-')) prefixes.push(join(cache, d));
  }
  for (const p of prefixes) {
    const bin = join(p, 'node_modules', '.bin', 'code-server');
    if (existsSync(bin)) return bin;
  }
  throw new Error('code-server not found: run scripts/install-code-server.sh (or set CODE_SERVER_BIN)');
}

export function chromiumPath() {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(p)) throw new Error(`${p} not found: run scripts/install-code-server.sh (apt-get install chromium)`);
  return p;
}

/** A fresh directory for one run: profile, extensions, XDG dirs, logs. */
export function runDir(prefix) {
  const base = process.env.E2E_TMP ?? tmpdir();
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}

/** code-server and Chromium write into XDG dirs (and ~ without them); keep them in the run dir. */
export function xdgEnv(dir) {
  return {
    XDG_CONFIG_HOME: join(dir, 'xdg-config'),
    XDG_DATA_HOME: join(dir, 'xdg-data'),
    XDG_CACHE_HOME: join(dir, 'xdg-cache'),
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A workspace made from the repository's examples/ (copied, so tests may edit it), or, when
 * examples/ is missing, from small files written here.
 */
export function makeWorkspace(dir) {
  const ws = join(dir, 'workspace');
  const examples = join(ROOT, 'examples');
  const needed = ['compose/docker-compose.yml', 'docker/Dockerfile', 'k8s/deployment.yaml'];
  if (needed.every((f) => existsSync(join(examples, f)))) {
    cpSync(examples, ws, { recursive: true });
  } else {
    const files = {
      'compose/docker-compose.yml':
        'services:\n  cadvisor:\n    image: gcr.io/cadvisor/cadvisor:v0.49.1\n    privileged: true\n    devices:\n      - /dev/kmsg\n',
      'docker/Dockerfile': 'FROM debian:bookworm-slim\nRUN apt-get update\nUSER root\n',
      'k8s/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: debugger\nspec:\n  template:\n    spec:\n      containers:\n        - name: debugger\n          image: nicolaka/netshoot:v0.13\n          securityContext:\n            privileged: true\n',
      '.devcontainer/devcontainer.json': '{\n  "image": "mcr.microsoft.com/devcontainers/base:debian",\n  "privileged": true\n}\n',
    };
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(dirname(join(ws, f)), { recursive: true });
      writeFileSync(join(ws, f), text);
    }
  }
  return ws;
}

export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 300,
  'files.autoSave': 'off',
  'git.enabled': false,
  'window.commandCenter': false,
};

/** `code-server --install-extension` into a fresh extensions dir (about 1 s). */
export function installExtension({ bin, dir, vsix }) {
  const args = ['--user-data-dir', join(dir, 'user-data'), '--extensions-dir', join(dir, 'extensions'), '--install-extension', vsix];
  const r = spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env, ...xdgEnv(dir) }, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}`.trim();
}

/** `code-server --list-extensions --show-versions`: ["publisher.name@version", …]. */
export function listExtensions({ bin, dir }) {
  const args = ['--user-data-dir', join(dir, 'user-data'), '--extensions-dir', join(dir, 'extensions'), '--list-extensions', '--show-versions'];
  const r = spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env, ...xdgEnv(dir) }, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`code-server --list-extensions failed (${r.status}):\n${r.stderr}`);
  return r.stdout.split('\n').map((l) => l.trim()).filter((l) => /^[\w-]+\.[\w-]+@/.test(l));
}

/**
 * Starts code-server in its own process group (it leaves an extension host and the language
 * server alive after the browser goes, so the whole group is killed on stop).
 */
export async function startCodeServer({ bin, dir, folder, settings = {}, trust = false }) {
  const userData = join(dir, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));
  const port = await freePort();
  const logFile = join(dir, 'code-server.log');
  const fd = openSync(logFile, 'a');
  const args = [
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(trust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', userData,
    '--extensions-dir', join(dir, 'extensions'),
  ];
  if (folder) args.push(folder);
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, ...xdgEnv(dir) } });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  // Never leave the group behind, even when the caller crashes before stop().
  const killGroup = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
  process.on('exit', killGroup);
  child.on('exit', () => { exited = true; });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited early; see ${logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz in 60 s; see ${logFile}`);
    await sleep(250);
  }
  return {
    url,
    port,
    pid: child.pid,
    logFile,
    async stop() {
      // The extension host and the language server are in the same group and may outlive
      // the main process, so the group is signalled even when the main process is gone.
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      const until = Date.now() + 5000;
      while (!exited && Date.now() < until) await sleep(100);
      killGroup();
    },
  };
}

export function launchChromium(dir) {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    env: { ...process.env, ...xdgEnv(dir) },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * Runs an extension-test module inside code-server's extension host (clients.md §3b): the web
 * workbench reads extensionDevelopmentPath/extensionTestsPath from the `payload` query parameter
 * and calls window.codeAutomationExit(code) when the module's run() settles.
 */
export async function runExtensionTestsInCodeServer({ bin, dir, folder, extensionDevelopmentPath, extensionTestsPath, settings = {}, timeoutMs = 300_000 }) {
  const server = await startCodeServer({ bin, dir, folder, settings });
  let browser;
  try {
    const authority = `127.0.0.1:${server.port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDevelopmentPath}`],
      ['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    browser = await launchChromium(dir);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let resolveExit;
    const exit = new Promise((resolve) => { resolveExit = resolve; });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    page.on('console', async (msg) => {
      if (process.env.E2E_DEBUG) console.log('console:', JSON.stringify(await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => '?')))));
      const line = await extensionHostLine(msg);
      if (line !== undefined) console.log(line);
    });
    await page.goto(url);
    const timer = sleep(timeoutMs).then(() => 'timeout');
    const code = await Promise.race([exit, timer]);
    if (code === 'timeout') {
      await page.screenshot({ path: join(dir, 'exthost-timeout.png') }).catch(() => {});
      throw new Error(`extension tests did not finish in ${timeoutMs / 1000} s`);
    }
    return code;
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
  }
}

/**
 * Console output of the extension host reaches the page console as a styled log line
 * ("%c INFO", style, format, args…), among the workbench's own; the suite marks its lines
 * with "[exthost-test]". Returns such a line formatted, else undefined.
 */
async function extensionHostLine(msg) {
  const args = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => undefined)));
  if (typeof args[0] !== 'string' || !args[0].startsWith('%c')) return undefined;
  const text = format(...args.slice(2));
  const at = text.indexOf('[exthost-test] ');
  return at >= 0 ? text.slice(at + '[exthost-test] '.length) : undefined;
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export function cleanup(dir) {
  if (process.env.E2E_KEEP) return;
  rmSync(dir, { recursive: true, force: true });
}
