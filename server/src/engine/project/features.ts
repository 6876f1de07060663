/**
 * Dev container Features: what a Feature's metadata adds to the container (privileged, capAdd,
 * securityOpt, mounts) joins the devcontainer's own settings, located on the Feature's key in
 * `features`, so that rules report it there. Known Features come from knowledge/features.ts; a
 * local Feature (`"./my-feature"`) is read from its devcontainer-feature.json through the
 * caller's reader. No fix is offered through a Feature (removing one removes a tool).
 */
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import type { Node } from 'jsonc-parser';
import { dockerConfinement, normalizeHostPath } from '../adapters/boundary';
import type { ParsedFile } from '../adapters/types';
import { normalizeCap } from '../adapters/yaml-util';
import type { ReadFile } from '../cross-file';
import { featureMetadataOf, knownFeature } from '../knowledge/features';
import type { FeatureMetadata } from '../knowledge/features';
import type { Container, Located, Mount } from '../model';
import { findProperty } from '../writers/jsonc';
import type { DevcontainerRef } from '../writers/jsonc';

function span(node: Node): { start: number; end: number } {
  return { start: node.offset, end: node.offset + node.length };
}

/** Adds the Features' contributions to a devcontainer's container. Returns the files read (local Features). */
export function applyFeatures(parsed: ParsedFile, file: string, readFile: ReadFile | undefined): string[] {
  const read: string[] = [];
  for (const workload of parsed.workloads) {
    for (const container of workload.containers) {
      const ref = container.ref as DevcontainerRef | undefined;
      if (container.kind !== 'devcontainer' || ref?.format !== 'devcontainer') continue;
      const features = findProperty(ref.root, 'features')?.children?.[1];
      if (features?.type !== 'object') continue;
      for (const prop of features.children ?? []) {
        const key = prop.children?.[0];
        if (prop.type !== 'property' || key?.type !== 'string' || typeof key.value !== 'string') continue;
        const reference = key.value;
        let meta: FeatureMetadata | undefined;
        let name: string;
        if (/^\.\.?\//.test(reference)) {
          name = reference;
          if (!readFile || !path.isAbsolute(file)) continue;
          const metaPath = path.resolve(path.dirname(file), reference, 'devcontainer-feature.json');
          read.push(metaPath);
          let text: string | undefined;
          try {
            text = readFile(metaPath);
          } catch {
            text = undefined;
          }
          if (text === undefined) continue;
          meta = featureMetadataOf(parseJsonc(text, [], { allowTrailingComma: true }));
        } else {
          const known = knownFeature(reference);
          meta = known;
          name = known?.id ?? reference;
        }
        if (meta) addContributions(container, meta, { span: span(prop), valueSpan: span(key), field: `Feature ${name}` });
      }
    }
  }
  return read;
}

function addContributions(c: Container, meta: FeatureMetadata, at: { span: { start: number; end: number }; valueSpan: { start: number; end: number }; field: string }): void {
  if (meta.privileged) c.privileged.push({ value: true, ...at });
  for (const cap of meta.capAdd ?? []) c.capAdd.push({ value: cap, name: normalizeCap(cap), ...at });
  const options: Located<string>[] = (meta.securityOpt ?? []).map((value) => ({ value, ...at }));
  if (options.length > 0) {
    c.securityOpt.push(...options);
    const conf = dockerConfinement(options, () => 'security_opt');
    // The devcontainer's own setting wins over a Feature's.
    c.seccomp = c.seccomp ?? conf.seccomp;
    c.apparmor = c.apparmor ?? conf.apparmor;
    c.selinux = c.selinux ?? conf.selinux;
    c.unmasked.push(...conf.unmasked);
  }
  for (const m of meta.mounts ?? []) {
    if (m.type !== 'bind') continue;
    const { value, relative } = normalizeHostPath(m.source);
    const mount: Mount = { value, ...at, target: m.target, readOnly: false, form: 'bind' };
    if (relative) mount.relative = true;
    c.mounts.push(mount);
    if (c.hints && !c.hints.volumes.includes(value)) c.hints.volumes.push(value);
  }
}
