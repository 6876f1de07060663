/**
 * Helpers the container-boundary rules share: reporting a pod-level setting (which every
 * container that sets nothing inherits) once, labels, and setting texts for messages.
 */
import type { Confinement, Container, Located, Span, Workload } from '../../model';

export function sameSpan(a: Span | undefined, b: Span | undefined): boolean {
  return a !== undefined && b !== undefined && a.start === b.start && a.end === b.end;
}

/**
 * Whether this container is the first of its workload whose setting (`get`) is written at the
 * same place: a pod-level setting (or a map shared through an alias) is reported once, on the
 * first container that sees it, whose fix edits it where it is written.
 */
export function firstToShare(container: Container, workload: Workload, get: (c: Container) => Located<unknown> | undefined): boolean {
  const mine = get(container);
  if (!mine) return true;
  const first = workload.containers.find((c) => sameSpan(get(c)?.span, mine.span));
  return first === undefined || first === container;
}

/** How many containers of the workload see a setting written at the same place. */
export function sharedBy(container: Container, workload: Workload, get: (c: Container) => Located<unknown> | undefined): number {
  const mine = get(container);
  if (!mine) return 0;
  return workload.containers.filter((c) => sameSpan(get(c)?.span, mine.span)).length;
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A Kubernetes setting written at pod level (`spec.securityContext…`), shared by the containers that do not override it. */
export function isPodLevel(setting: Located<unknown>): boolean {
  return setting.field.startsWith('spec.');
}

/**
 * How a Docker security option is written, for messages: `seccomp:unconfined in security_opt`,
 * `apparmor=unconfined in runArgs`. The option text comes from the container's securityOpt list
 * (same span); `fallback` when it cannot be found.
 */
export function dockerOptionText(container: Container, setting: Located<unknown>, fallback: string): string {
  const opt = container.securityOpt.find((o) => sameSpan(o.span, setting.span));
  const text = opt ? opt.value.trim() : fallback;
  return `${text} in ${setting.field}`;
}

/** Docker sources of a confinement setting (the option can simply go; the runtime default then applies). */
export function isDockerSource(conf: Confinement): boolean {
  return conf.source === 'security_opt' || conf.source === 'runArgs';
}

/** Who a finding is about: the container, or the workload (`Pod/p`, `Deployment/api`) when the setting is written for the whole pod. */
export function subjectOf(container: Container, workload: Workload, podWide: boolean): string {
  return podWide ? workload.name : capitalize(container.label);
}
