/**
 * A `.kube` unit runs the Kubernetes YAML its `Yaml=` names (`podman kube play`): that file is
 * linted as Kubernetes, and each of its findings is reported on the unit's `Yaml=` entry, with
 * the place in the YAML as related information, so the unit shows what it deploys. The path is
 * resolved as Quadlet does: absolute, or relative to the unit's folder. Nothing is read without
 * the caller's readFile (the engine stays pure), and the YAML is linted without reading further.
 */
import path from 'node:path';
import type { ReadFile } from '../../cross-file';
import { rangeOf } from '../../cross-file';
import type { Finding, Span, Workload } from '../../model';

/** What a `.kube` workload keeps for this: its `Yaml=` value and where it is written. */
export interface KubeRef {
  type: 'kube';
  yaml?: { value: string; span: Span };
}

export function kubeYamlPaths(workloads: Workload[], unitPath: string): { file: string; span: Span; value: string }[] {
  if (!path.isAbsolute(unitPath)) return [];
  const out: { file: string; span: Span; value: string }[] = [];
  for (const w of workloads) {
    const ref = w.ref as KubeRef | undefined;
    if (ref?.type !== 'kube' || !ref.yaml) continue;
    const v = ref.yaml.value.trim();
    if (v === '' || v.includes('%') || v.includes('$')) continue; // systemd specifiers and variables: not resolved here
    out.push({ file: path.resolve(path.dirname(unitPath), v), span: ref.yaml.span, value: v });
  }
  return out;
}

/**
 * The findings of each `Yaml=` file, moved onto the unit. `lintYaml` lints one text as
 * Kubernetes YAML (the engine's lint without readFile). Returns the paths it tried to read.
 */
export function kubeYamlFindings(workloads: Workload[], unitPath: string, readFile: ReadFile, maxFileSize: number, lintYaml: (text: string, file: string) => Finding[]): { findings: Finding[]; dependencies: string[] } {
  const findings: Finding[] = [];
  const dependencies: string[] = [];
  for (const y of kubeYamlPaths(workloads, unitPath)) {
    dependencies.push(y.file);
    let text: string | undefined;
    try {
      text = readFile(y.file);
    } catch {
      text = undefined;
    }
    if (text === undefined || text.length > maxFileSize) continue;
    for (const f of lintYaml(text, y.file)) {
      if (f.ruleId === 'unused-suppression' || f.ruleId === 'skipped') continue;
      findings.push({
        ruleId: f.ruleId,
        severity: f.severity,
        message: `Through Yaml=${y.value}: ${f.message}`,
        span: y.span,
        fixes: [],
        related: [{ span: f.span, path: y.file, range: rangeOf(text, f.span), message: f.message }],
      });
    }
  }
  return { findings, dependencies };
}
