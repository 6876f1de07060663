/**
 * The Analyzer's timing, with fake timers: when a document is analysed after edits, how often,
 * and when its diagnostics are published (server/src/lsp/analysis.ts).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { Connection } from 'vscode-languageserver/node';
import { lint } from '../../server/src/engine';
import type { LintOptions, LintResult } from '../../server/src/engine';
import { ANALYSE_AFTER_MS, Analyzer, CHEAP_MS, DEBOUNCE_MS } from '../../server/src/lsp/analysis';
import { DocumentStore } from '../../server/src/lsp/documents';
import type { ProjectConfigLoader } from '../../server/src/lsp/project-config';
import { normalizeSettings } from '../../server/src/lsp/settings';
import type { SettingsStore } from '../../server/src/lsp/settings';

const URI = 'file:///ws/compose.yaml';
const TEXT = 'services:\n  web:\n    image: nginx\n    privileged: true\n';

interface Harness {
  analyzer: Analyzer;
  documents: DocumentStore;
  /** The version of each analysis, in order. */
  analysed: number[];
  /** [version, fake time] of each publish. */
  published: [number, number][];
  /** Extra fake milliseconds each lint "takes" (the clock advances by it). */
  lintCost: { ms: number };
}

function harness(): Harness {
  const documents = new DocumentStore();
  const analysed: number[] = [];
  const published: [number, number][] = [];
  const lintCost = { ms: 1 };
  let clock = 0;
  const connection = {
    sendDiagnostics: (p: { version?: number }) => {
      published.push([p.version ?? -1, Date.now()]);
      return Promise.resolve();
    },
    console: { error: (m: string) => assert.fail(m), warn: () => undefined, log: () => undefined, info: () => undefined },
  } as unknown as Connection;
  const settings = { get: () => Promise.resolve(normalizeSettings(undefined)) } as unknown as SettingsStore;
  const projectConfig = { forFile: () => Promise.resolve({ config: {}, isIgnored: () => false }) } as unknown as ProjectConfigLoader;
  // The analyzer times each lint with the real clock and calls a lint of at most CHEAP_MS cheap: a
  // real lint here (its first run compiles the engine) can take longer than that on a busy machine.
  // The result is computed once, outside the timed call; only lintCost is spent inside it.
  const fixed = lint(TEXT, { path: URI });
  const countingLint = (_text: string, _options: LintOptions): LintResult => {
    analysed.push(documents.get(URI)!.version);
    const result = fixed;
    // The analyzer times lint with the clock it is given: each lint takes exactly lintCost.ms on it,
    // however busy the machine is.
    clock += lintCost.ms;
    return result;
  };
  const analyzer = new Analyzer({ connection, documents, settings, projectConfig, relatedInformation: () => true, lint: countingLint, now: () => clock });
  return { analyzer, documents, analysed, published, lintCost };
}

/** Lets the analyzer's promise chains (settings, config, lint) run between fake ticks. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

async function tick(ms: number): Promise<void> {
  mock.timers.tick(ms);
  await settle();
}

function edit(h: Harness, version: number): void {
  const doc = h.documents.get(URI)!;
  const end = doc.positionAt(doc.getText().length);
  h.documents.change({ textDocument: { uri: URI, version }, contentChanges: [{ range: { start: end, end }, text: '#' }] });
  h.analyzer.schedule(URI);
}

describe('Analyzer timing', () => {
  let h: Harness;
  beforeEach(async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    h = harness();
    h.documents.open({ textDocument: { uri: URI, languageId: 'yaml', version: 1, text: TEXT } });
    h.analyzer.schedule(URI, 0);
    await tick(0);
    assert.deepEqual(h.analysed, [1]);
    assert.deepEqual(h.published.map(([v]) => v), [1]);
    h.published.length = 0;
  });
  afterEach(() => {
    h.analyzer.dispose();
    mock.timers.reset();
  });

  it('analyses a cheap document once it has been quiet for ANALYSE_AFTER_MS and publishes at DEBOUNCE_MS', async () => {
    const t0 = Date.now();
    edit(h, 2);
    await tick(ANALYSE_AFTER_MS - 1);
    assert.deepEqual(h.analysed, [1], 'not before the quiet period');
    await tick(1);
    assert.deepEqual(h.analysed, [1, 2], 'analysed early');
    assert.deepEqual(h.published, [], 'but not published yet');
    await tick(DEBOUNCE_MS - ANALYSE_AFTER_MS);
    assert.deepEqual(h.published, [[2, t0 + DEBOUNCE_MS]]);
    assert.deepEqual(h.analysed, [1, 2], 'the publish reuses the early analysis');
  });

  it('analyses a burst of 100 edits once, its last version, and publishes only that', async () => {
    for (let v = 2; v <= 101; v++) {
      edit(h, v);
      await tick(ANALYSE_AFTER_MS - 5);
    }
    await tick(DEBOUNCE_MS);
    assert.deepEqual(h.analysed, [1, 101]);
    assert.deepEqual(h.published.map(([v]) => v), [101]);
  });

  it('an edit after the early analysis analyses again; the stale result is never published', async () => {
    edit(h, 2);
    await tick(ANALYSE_AFTER_MS);
    assert.deepEqual(h.analysed, [1, 2]);
    edit(h, 3);
    await tick(DEBOUNCE_MS);
    assert.deepEqual(h.analysed, [1, 2, 3]);
    assert.deepEqual(h.published.map(([v]) => v), [3]);
  });

  it('an expensive document is analysed only when the publish delay ends', async () => {
    h.lintCost.ms = CHEAP_MS + 5;
    edit(h, 2);
    await tick(DEBOUNCE_MS);
    assert.deepEqual(h.analysed, [1, 2], 'the first edit: its cost was not known to be high yet');
    edit(h, 3);
    await tick(DEBOUNCE_MS - 1);
    assert.deepEqual(h.analysed, [1, 2], 'no early analysis');
    await tick(1);
    assert.deepEqual(h.analysed, [1, 2, 3]);
    assert.deepEqual(h.published.map(([v]) => v), [2, 3]);
  });
});

describe('Analyses share their diagnostics getters (#16)', () => {
  it("two versions' analyses have the same getter functions, so V8 gives them one hidden class and no analysis outlives the scavenges after it", async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const h = harness();
    try {
      h.documents.open({ textDocument: { uri: URI, languageId: 'yaml', version: 1, text: TEXT } });
      const first = await h.analyzer.current(URI);
      edit(h, 2);
      const second = await h.analyzer.current(URI);
      assert.ok(first && second && first !== second && first.version === 1 && second.version === 2);
      for (const key of ['diagnostics', 'diagnosticParts'] as const) {
        const a = Object.getOwnPropertyDescriptor(first, key);
        const b = Object.getOwnPropertyDescriptor(second, key);
        assert.ok(a?.get && a.enumerable, `${key}: an enumerable accessor`);
        assert.equal(a.get, b?.get, `${key}: one getter for every analysis`);
      }
      // Made when read, the same list on every read, and what the findings say.
      assert.equal(second.diagnostics, second.diagnostics);
      assert.deepEqual(second.diagnostics.map((d) => d.code), second.result.findings.map((f) => f.ruleId));
      assert.deepEqual(second.diagnosticParts.flat(), second.diagnostics);
    } finally {
      h.analyzer.dispose();
      mock.timers.reset();
    }
  });
});
