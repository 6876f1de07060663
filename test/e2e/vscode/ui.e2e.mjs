// Real VS Code, driven like a user: the packaged .vsix installed into code-server 4.100.3
// (VS Code 1.100.3) with a fresh profile, opened in Debian's Chromium by playwright-core.
//   node --test-reporter=spec test/e2e/vscode/ui.e2e.mjs
// Needs: dist/container-privilege-lint.vsix (npm run package), code-server and chromium
// (scripts/install-code-server.sh). The workspace is a copy of examples/, opened in
// Restricted Mode (workspace trust on, never asked): the extension declares it works untrusted.
// Screenshots go to $SHOTS (default docs/screenshots); a failing step also leaves
// failure-<step>.png and code-server.log in the run dir, which is kept then.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  EXTENSION_ID, ROOT, VSIX, cleanup, codeServerBin, installExtension, launchChromium, listExtensions, log, makeWorkspace, runDir, sleep,
  startCodeServer,
} from './lib.mjs';

const SHOTS = process.env.SHOTS ?? join(ROOT, 'docs', 'screenshots');
const WAIT = 60_000;

let dir;
let ws;
let server;
let browser;
let page;
let composeFile;
let composeOriginal;
let privilegedLine; // 1-based
let failed = false;

async function shot(name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Wraps a step: skip after a failure, screenshot on failure. */
function step(name, fn) {
  test(name, async (t) => {
    if (failed) return t.skip('an earlier step failed');
    const t0 = Date.now();
    try {
      await fn();
      log(`${name}: ${Date.now() - t0} ms`);
    } catch (e) {
      failed = true;
      await page?.screenshot({ path: join(dir, `failure-${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
      throw e;
    }
  });
}

async function palette(command) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${command}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
}

async function goToLine(line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

async function editorText() {
  return (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

before(async () => {
  dir = runDir('cpl-vscode-ui');
  ws = makeWorkspace(dir);
  composeFile = join(ws, 'compose', 'docker-compose.yml');
  composeOriginal = readFileSync(composeFile, 'utf8');
  privilegedLine = composeOriginal.split('\n').findIndex((l) => /^\s+privileged: true/.test(l)) + 1;
  assert.ok(privilegedLine > 0, 'the compose example has a privileged: true line');
  const bin = codeServerBin();
  log(`run dir ${dir}`);
  log(installExtension({ bin, dir, vsix: VSIX }).split('\n').pop());
  const installed = listExtensions({ bin, dir });
  assert.ok(installed.some((e) => e.startsWith(`${EXTENSION_ID}@`)), `installed: ${installed.join(', ')}`);
  log(`installed extensions: ${installed.join(', ')}`);
  server = await startCodeServer({
    bin,
    dir,
    trust: true,
    settings: {
      // Restricted Mode without the modal prompt: the extension must work untrusted.
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'never',
      // The scan command is what this test proves, so no scan at startup.
      'containerPrivilegeLint.scanOnStartup': false,
    },
  });
  log(`code-server at ${server.url} (pid ${server.pid})`);
  browser = await launchChromium(dir);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (failed) console.log(`kept ${dir} (code-server.log, failure-*.png)`);
  else cleanup(dir);
});

step('workbench loads with the workspace', async () => {
  await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: WAIT });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'compose' }).first().waitFor({ timeout: WAIT });
  // Restricted Mode is on (trust enabled, not granted).
  await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 15_000 });
  await shot('01-workbench');
});

step('opening docker-compose.yml shows a squiggle on privileged', async () => {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('docker-compose.yml');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'docker-compose.yml' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: 'docker-compose.yml' }).waitFor({ timeout: WAIT });
  await page.locator('.monaco-editor .view-lines', { hasText: 'privileged' }).first().waitFor({ timeout: WAIT });
  // Covers extension-host start, activation and the server's first diagnostics.
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: WAIT });
  await goToLine(privilegedLine, 5);
  await shot('02-squiggle');
});

step('the Problems panel lists no-privileged for the open file only', async () => {
  await page.keyboard.press('Control+Shift+M');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'no-privileged' }).first();
  await row.waitFor({ timeout: WAIT });
  const text = await row.innerText();
  assert.match(text, /runs privileged/);
  assert.match(text, /container-privilege-lint/);
  assert.match(text, new RegExp(`Ln ${privilegedLine}, Col 5`));
  const all = await page.locator('.markers-panel').innerText();
  assert.doesNotMatch(all, /deployment\.yaml/, 'unopened files are not scanned yet (scanOnStartup is off)');
  await shot('03-problems');
});

step('hover on privileged explains the risk and links the rule doc', async () => {
  await page.locator('.monaco-editor .view-lines').first().click();
  await goToLine(privilegedLine, 6);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover .rendered-markdown', { hasText: 'no-privileged' }).first();
  await hover.waitFor({ state: 'visible', timeout: WAIT });
  const text = await hover.innerText();
  assert.match(text, /capabilit/i, 'the risk is explained');
  const links = await page.locator('.monaco-hover a').evaluateAll((as) => as.map((a) => a.getAttribute('data-href') ?? a.getAttribute('href') ?? ''));
  assert.ok(links.some((h) => h.includes('no-privileged')), `a link to the rule doc: ${links.join(', ')}`);
  await shot('04-hover');
  await page.keyboard.press('Escape');
});

step('Ctrl+. offers the fixes and applying "Remove privileged: true" edits the file', async () => {
  await goToLine(privilegedLine, 5);
  await page.keyboard.press('Control+.');
  const wanted = 'Remove privileged'; // a suggestion since #10: 'Remove privileged (likely, …)'
  await page.locator('.action-widget .monaco-list-row', { hasText: wanted }).first().waitFor({ timeout: WAIT });
  const titles = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
  log(`quick fixes: ${titles.map((t) => t.replace(/\s+/g, ' ').trim()).join(' | ')}`);
  assert.ok(titles.some((t) => t.includes('Disable no-privileged for this line')));
  await shot('05-quick-fix');
  // Keyboard only: a context-view-pointerBlock intercepts mouse clicks on the menu.
  for (let i = 0; i < 20; i++) {
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    if ((await focused.count()) > 0 && (await focused.first().innerText()).includes(wanted)) break;
    await page.keyboard.press('ArrowDown');
    await sleep(50);
  }
  assert.match(await page.locator('.action-widget .monaco-list-row.focused').first().innerText(), /Remove privileged/);
  await page.keyboard.press('Enter');
  // The privileged line is gone from the editor and so is its error squiggle.
  await page.waitForFunction(
    () => !document.querySelector('.monaco-editor .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes('privileged: true'),
    null,
    { timeout: WAIT },
  );
  const lines = composeOriginal.split('\n');
  const before = lines[privilegedLine - 2].trim();
  const afterLine = lines[privilegedLine].trim();
  const text = await editorText();
  assert.ok(text.includes(before) && text.includes(afterLine), 'the neighbouring lines are kept');
  await page.keyboard.press('Control+S');
  const expected = [...lines.slice(0, privilegedLine - 1), ...lines.slice(privilegedLine)].join('\n');
  const until = Date.now() + 15_000;
  let onDisk = '';
  while (Date.now() < until) {
    onDisk = readFileSync(composeFile, 'utf8');
    if (onDisk === expected) break;
    await sleep(200);
  }
  assert.equal(onDisk, expected, 'the saved file is the original minus the privileged line');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'no-privileged' }).first().waitFor({ state: 'detached', timeout: WAIT });
  await shot('06-fixed');
});

step('"Disable no-root-user for this line" inserts a suppression comment that the grammar highlights', async () => {
  const lines = readFileSync(composeFile, 'utf8').split('\n');
  const userLine = lines.findIndex((l) => /^\s+user: root\b/.test(l)) + 1;
  assert.ok(userLine > 0, 'the compose example has a user: root line');
  await page.locator('.monaco-editor .view-lines').first().click();
  await goToLine(userLine, 5);
  await page.keyboard.press('Control+.');
  const wanted = 'Disable no-root-user for this line';
  await page.locator('.action-widget .monaco-list-row', { hasText: wanted }).first().waitFor({ timeout: WAIT });
  for (let i = 0; i < 20; i++) {
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    if ((await focused.count()) > 0 && (await focused.first().innerText()).includes(wanted)) break;
    await page.keyboard.press('ArrowDown');
    await sleep(50);
  }
  await page.keyboard.press('Enter');
  const directive = page.locator('.monaco-editor .view-line', { hasText: 'container-privilege-lint-disable-next-line no-root-user' }).first();
  await directive.waitFor({ timeout: WAIT });
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'no-root-user' }).first().waitFor({ state: 'detached', timeout: WAIT });
  // The injection grammar at work in VS Code's own YAML grammar: the directive keyword and the
  // rule id are coloured unlike the rest of the comment.
  const colours = await directive.evaluate((line) => {
    const out = {};
    for (const span of line.querySelectorAll('span > span')) {
      const text = span.textContent.replace(/\u00a0/g, ' ').trim();
      if (text) out[text] = getComputedStyle(span).color;
    }
    return out;
  });
  log(`token colours: ${JSON.stringify(colours)}`);
  const colourOf = (needle) => Object.entries(colours).find(([t]) => t.includes(needle))?.[1];
  const hash = colourOf('#');
  assert.ok(hash && colourOf('container-privilege-lint-disable-next-line') && colourOf('no-root-user'), 'tokens found');
  assert.notEqual(colourOf('container-privilege-lint-disable-next-line'), hash, 'the directive keyword is highlighted');
  assert.notEqual(colourOf('no-root-user'), hash, 'the rule id is highlighted');
  await goToLine(userLine, 1);
  await shot('08-suppression');
  await page.keyboard.press('Control+S');
});

step('"Container Privilege Lint: Scan Workspace" puts unopened Dockerfile and Kubernetes findings in Problems', async () => {
  await palette('Container Privilege Lint: Scan Workspace');
  const panel = page.locator('.markers-panel');
  // The list is virtualised and there are more rows than fit: narrow it to each file in turn
  // with the Problems filter (which matches file paths) and look for that file's findings.
  const filter = page.getByPlaceholder(/^Filter \(e\.g\. text/).first();
  for (const [file, rule] of [['deployment.yaml', 'no-privileged'], ['Dockerfile', 'no-root-user'], ['devcontainer.json', 'no-privileged']]) {
    await filter.fill(`**/${file}`);
    // The file's group row, then one of its findings (the filter leaves only that file's rows).
    await panel.locator('.monaco-list-row', { hasText: file }).first().waitFor({ timeout: WAIT });
    await page.waitForFunction(
      ([f, r]) => {
        const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((e) => e.textContent ?? '');
        return rows.length > 0 && rows[0].includes(f) && rows.some((t) => t.includes(r));
      },
      [file, rule],
      { timeout: WAIT },
    );
  }
  await filter.fill('');
  await palette('View: Toggle Maximized Panel');
  await sleep(500);
  await shot('07-scan-workspace');
});
