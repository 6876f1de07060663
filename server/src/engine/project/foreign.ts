/**
 * Values that reach a linted file's model from another file of its project (a Compose base or
 * override, a file an `extends` names): each is registered with the file it is written in. The
 * engine reports a finding only where its value is written, and never offers a fix that would
 * have to edit another file through the linted file's writer.
 */
import type { Container, Workload } from '../model';

const foreign = new WeakMap<object, string>();

/** The file a value is written in, when that is not the linted file. */
export function foreignFile(value: object | undefined): string | undefined {
  return value ? foreign.get(value) : undefined;
}

/** Registers one value (a Located made from another, an anchor) as written in `file`. */
export function markForeignValue(value: object, file: string): void {
  foreign.set(value, file);
}

function isLocated(v: unknown): v is { span: object; valueSpan: object } {
  return !!v && typeof v === 'object' && 'span' in v && 'valueSpan' in v;
}

function markValue(v: unknown, file: string): void {
  if (Array.isArray(v)) {
    for (const item of v) markValue(item, file);
  } else if (isLocated(v)) {
    foreign.set(v, file);
  }
}

/** Registers every located value of a workload and its containers (and their anchors) as written in `file`. */
export function markForeign(workload: Workload, file: string): void {
  foreign.set(workload.anchor, file);
  for (const value of Object.values(workload)) markValue(value, file);
  for (const c of workload.containers) markContainer(c, file);
}

function markContainer(c: Container, file: string): void {
  foreign.set(c.anchor, file);
  for (const [key, value] of Object.entries(c)) {
    if (key === 'user') {
      if (c.user.at) foreign.set(c.user.at, file);
    } else markValue(value, file);
  }
}
