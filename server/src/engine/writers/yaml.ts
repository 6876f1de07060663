/**
 * Minimal text edits on YAML that keep comments, indentation, flow/block style and
 * line endings: remove a pair or an item with its line, replace one scalar, insert a
 * pair after the last sibling with the sibling's indentation, append to a list in its
 * own style. Nothing is ever re-serialised beyond the inserted lines.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node, YAMLMap, YAMLSeq } from 'yaml';
import { parseShortVolume, splitSecurityOpt } from '../adapters/boundary';
import type { ComposeMountRef, ComposeRef, ItemRef, MapPairRef } from '../adapters/compose';
import { mergedUnderneath } from '../adapters/compose';
import type { KubernetesAnnotationRef, KubernetesMountRef, KubernetesProfileRef, KubernetesRef } from '../adapters/kubernetes';
import type { FixResult, FormatWriter } from '../adapters/types';
import type { Entry } from '../adapters/yaml-util';
import { aliasTargets, asMap, asSeq, deref, get, scalarString, seqItems, trimmedSpan } from '../adapters/yaml-util';
import { readBool } from '../adapters/yaml-util';
import type { Container, Edit, Located, Mount } from '../model';
import { additions, combineEdits, leastPrivilegeTitle, replacementTitle, writable } from '../replace';
import type { Additions } from '../replace';
import type { EngineSettings, FixIntent } from '../rule';

/** Thrown inside a writer when no minimal safe edit exists; apply() turns it into "no fix". */
class NoSafeEdit extends Error {}

const NNP_TRUE = 'no-new-privileges:true';
const NONE: Additions = { caps: [], devices: [], sysctls: [], securityOpt: [] };

/** A value to insert: a scalar already in YAML syntax, a list, or a map. */
export type YValue = string | { seq: string[] } | { map: [string, YValue][] };

export class YamlWriter implements FormatWriter {
  private readonly eol: string;
  private step = 0;
  private seqPad = -1;

  /** `json`: the file is JSON (a Kubernetes manifest): every edit is written in JSON syntax. */
  constructor(private readonly text: string, private readonly json = false) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  addDocument(_doc: Document.Parsed): void {
    /* documents are reached through container refs */
  }

  apply(intent: FixIntent, container: Container, _settings: EngineSettings): FixResult | null {
    const ref = container.ref as ComposeRef | KubernetesRef | undefined;
    if (!ref) return null;
    try {
      const result = ref.format === 'compose' ? this.compose(intent, container, ref) : this.kubernetes(intent, container, ref);
      if (!result || !this.json) return result;
      // JSON maps and lists are all flow style, so every edit is a flow fragment: quote it for JSON.
      return { title: result.title, edits: result.edits.map((e) => ({ ...e, text: flowToJson(e.text) })) };
    } catch {
      return null; // never a crash for a fix we cannot compute
    }
  }

  // ---- Compose -------------------------------------------------------------------

  private compose(intent: FixIntent, c: Container, ref: ComposeRef): FixResult | null {
    const { doc, service } = ref;
    switch (intent.type) {
      case 'remove-privileged': {
        const entry = intent.target.ref as Entry | undefined;
        if (!entry || ref.aliased || isAnchored(entry)) return null;
        if (entry.owner === service && !intent.target.via && ref.privilegedUnderneath && entry.rawValue) {
          return { title: 'Set privileged: false (a merge key or extends also sets it)', edits: [this.replaceScalar(entry.rawValue, 'false')] };
        }
        if (entry.owner === service && !intent.target.via) return { title: 'Remove privileged: true', edits: this.removePair(entry) };
        const title = `Set privileged: false on ${c.label} (the shared definition stays as it is)`;
        // `privileged: *alias` on the service itself: replace the alias, never add a second key.
        if (entry.owner === service && entry.rawValue) return { title, edits: [this.replaceNode(entry.rawValue, 'false')] };
        return { title, edits: [this.insertPair(service, 'privileged', 'false')] };
      }
      case 'replace-privileged':
      case 'least-privilege':
        return this.composeReplace(intent, c, ref);
      case 'enable-no-new-privileges': {
        const nnp = c.noNewPrivileges;
        const own = ownEntry(service, 'security_opt', doc);
        if (nnp && nnp.value === false && !nnp.via && (nnp.ref as ItemRef).list.owner === service) {
          return { title: 'Set no-new-privileges:true', edits: [this.replaceScalar((nnp.ref as ItemRef).item, 'no-new-privileges:true')] };
        }
        const inherited = c.securityOpt.filter((o) => o.span.start !== nnp?.span.start).map((o) => this.scalarText(o));
        // `security_opt: *so`: a copy on this service, the anchor untouched (never a second key).
        if (own && own.rawValue && isAlias(own.rawValue)) {
          if (own.value && !asSeq(own.value)) return null;
          const list = `[${[...inherited, NNP_TRUE].join(', ')}]`;
          return { title: `Set security_opt: ${list} on ${c.label} (the shared definition stays as it is)`, edits: [this.replaceNode(own.rawValue, list)] };
        }
        if (own && !own.via) {
          if (asSeq(own.value)) return { title: 'Add no-new-privileges:true to security_opt', edits: [this.appendItem(asSeq(own.value)!, NNP_TRUE)] };
          // `security_opt:` with no value: write the value, never a second key.
          if (own.rawValue === null || (isScalar(own.rawValue) && own.rawValue.value === null)) {
            const at = this.afterColon(own);
            if (at === undefined) return null;
            return { title: 'Set security_opt: [no-new-privileges:true]', edits: [{ start: at, end: at, text: ` [${NNP_TRUE}]` }] };
          }
          return null;
        }
        return { title: 'Add security_opt: [no-new-privileges:true]', edits: [this.insertPair(service, 'security_opt', { seq: [...inherited, 'no-new-privileges:true'] })] };
      }
      case 'set-non-root-user': {
        const value = `"${intent.uid}:${intent.uid}"`;
        const own = ownEntry(service, 'user', doc);
        if (own && own.value && !own.via) return { title: `Set user: ${value}`, edits: [this.replaceScalar(own.value, value)] };
        return { title: `Set user: ${value}`, edits: [this.insertPair(service, 'user', value)] };
      }
      case 'remove-capability':
        return this.removeCapability(intent.cap, (cap) => `Remove ${cap} from ${intent.cap.field}`, service, doc);
      case 'remove-setting':
        if (ref.aliased || sharedByAlias(doc, service)) return null;
        return this.composeRemove(intent.target, ref);
      case 'set-confinement':
        if (ref.aliased || sharedByAlias(doc, service)) return null;
        return this.composeConfinement(intent.which, c, ref);
      case 'add-drop-all':
        if (ref.aliased || sharedByAlias(doc, service)) return null;
        return this.composeDropAll(c, ref);
      case 'set-read-only-root': {
        if (ref.aliased || sharedByAlias(doc, service) || c.readOnlyRootFilesystem?.value === true) return null;
        const title = 'Set read_only: true';
        const own = ownEntry(service, 'read_only', doc);
        if (own && !own.via && own.rawValue) {
          if (isAnchored(own)) return null;
          return { title, edits: [isAlias(own.rawValue) ? this.replaceNode(own.rawValue, 'true') : this.replaceScalar(own.rawValue, 'true')] };
        }
        return { title, edits: [this.insertPair(service, 'read_only', 'true')] };
      }
      case 'set-mount-read-only':
        if (ref.aliased || sharedByAlias(doc, service)) return null;
        return this.composeMountReadOnly(intent.mount, ref);
      case 'set-host-users-false':
        return null;
    }
  }

  // ---- Kubernetes ----------------------------------------------------------------

  private kubernetes(intent: FixIntent, c: Container, ref: KubernetesRef): FixResult | null {
    const { doc, container } = ref;
    const scEntry = ownEntry(container, 'securityContext', doc);
    const sc = scEntry && !scEntry.via ? asMap(scEntry.value) : undefined;
    const usesSc = intent.type !== 'remove-setting' && intent.type !== 'set-host-users-false' && intent.type !== 'set-mount-read-only';
    if (scEntry && !sc && usesSc) return null; // an aliased or non-map securityContext: no minimal safe edit
    switch (intent.type) {
      case 'remove-privileged': {
        const entry = intent.target.ref as Entry | undefined;
        if (!entry || intent.target.via || entry.owner !== sc || isAnchored(entry)) return null;
        return { title: 'Remove privileged: true', edits: this.removePair(entry) };
      }
      case 'replace-privileged':
      case 'least-privilege': {
        const entry = intent.target.ref as Entry | undefined;
        if (!entry || !sc || intent.target.via || entry.owner !== sc || isAnchored(entry)) return null;
        return this.kubernetesReplace(intent, c, sc, entry, doc);
      }
      case 'enable-no-new-privileges':
        return { title: 'Set allowPrivilegeEscalation: false', edits: this.setInSecurityContext(container, sc, [['allowPrivilegeEscalation', 'false']], doc) };
      case 'set-non-root-user': {
        // runAsNonRoot alone makes the kubelet refuse an image that runs as root
        // (CreateContainerConfigError): write it only with a non-zero runAsUser in effect.
        const pairs: [string, string][] = [['runAsNonRoot', 'true']];
        const nonZeroUid = c.user.verdict === 'nonroot' && c.user.at !== undefined && c.user.at.field.includes('runAsUser');
        if (!nonZeroUid) pairs.push(['runAsUser', String(intent.uid)]);
        const title = pairs.length > 1 ? `Set runAsNonRoot: true and runAsUser: ${intent.uid}` : 'Set runAsNonRoot: true';
        return { title, edits: this.setInSecurityContext(container, sc, pairs, doc) };
      }
      case 'remove-capability':
        return this.removeCapability(intent.cap, (cap) => `Remove ${cap} from capabilities.add`, undefined, doc);
      case 'remove-setting':
        return this.kubernetesRemove(intent.target, ref);
      case 'set-confinement':
        return this.kubernetesConfinement(intent.which, c, ref, sc);
      case 'add-drop-all':
        return this.kubernetesDropAll(c, ref, sc);
      case 'set-read-only-root':
        if (c.readOnlyRootFilesystem?.value === true || sharedByAlias(doc, container)) return null;
        return { title: 'Set readOnlyRootFilesystem: true', edits: this.setInSecurityContext(container, sc, [['readOnlyRootFilesystem', 'true']], doc) };
      case 'set-mount-read-only': {
        const m = intent.mount.ref as KubernetesMountRef | undefined;
        if (intent.mount.readOnly || m?.format !== 'kubernetes-mount' || !m.volumeMount || sharedByAlias(doc, m.volumeMount)) return null;
        const title = `Mount ${intent.mount.value} read-only`;
        const own = ownEntry(m.volumeMount, 'readOnly', doc);
        if (own && own.rawValue && !own.via && !isAnchored(own)) return { title, edits: [this.replaceScalar(own.rawValue, 'true')] };
        if (own) return null;
        return { title, edits: [this.insertPair(m.volumeMount, 'readOnly', 'true')] };
      }
      case 'set-host-users-false': {
        const { pod } = ref;
        if (sharedByAlias(doc, pod)) return null;
        const title = 'Set hostUsers: false';
        const own = ownEntry(pod, 'hostUsers', doc);
        if (own && own.rawValue && !own.via && !isAnchored(own)) {
          if (readBool(own.value, false) === false) return null;
          return { title, edits: [this.replaceScalar(own.rawValue, 'false')] };
        }
        if (own) return null;
        return { title, edits: [this.insertPair(pod, 'hostUsers', 'false')] };
      }
    }
  }

  // ---- The container boundary ----------------------------------------------------

  /** `Remove pid: host` / `Remove seccomp:unconfined from security_opt`, from the text as written. */
  private removeTitle(target: Located<unknown>, item: boolean): string {
    const written = this.text.slice(target.span.start, target.span.end);
    const multiLine = /[\r\n]/.test(written) || written.length > 60;
    const what = !multiLine ? written : typeof target.value === 'string' && target.value !== '' && target.value.length <= 60 ? target.value : target.field;
    return item ? `Remove ${what} from ${target.field}` : `Remove ${what}`;
  }

  /** Whether a key removed from the service would let another value through (a merge key, a service it extends). */
  private hiddenUnderneath(ref: ComposeRef, key: string): boolean {
    if (mergedUnderneath(ref.service, key, ref.doc).length > 0) return true;
    return (ref.bases ?? []).some((m) => get(m, key, ref.doc) !== undefined);
  }

  private composeRemove(target: Located<unknown>, ref: ComposeRef): FixResult | null {
    const { service, doc } = ref;
    const r = target.ref as Entry | ItemRef | MapPairRef | undefined;
    if (!r || target.via) return null;
    if ('keyNode' in r) {
      if (r.owner !== service || r.via || isAnchored(r) || this.hiddenUnderneath(ref, r.key)) return null;
      return { title: this.removeTitle(target, false), edits: this.removePair(r) };
    }
    if ('item' in r) {
      // Compose appends a base service's list (extends): the same entry there would still apply.
      const written = scalarString(deref(r.item, doc));
      const inBase = (ref.bases ?? []).some((m) => seqItems(get(m, r.list.key, doc)?.value, doc).some((it) => scalarString(it.node) === written));
      if (written !== undefined && inBase) return null;
      const edits = this.removeListItems(r.list, [r.item], service, doc);
      return edits ? { title: this.removeTitle(target, true), edits } : null;
    }
    const inner = asMap(r.map.value);
    if (!inner || r.map.owner !== service || r.map.via || r.entry.owner !== inner || r.entry.via || isAnchored(r.entry) || isAnchored(r.map)) return null;
    const title = this.removeTitle(target, true);
    if (inner.items.length <= 1) {
      if (mergedUnderneath(service, r.map.key, doc).length > 0) return null; // the merged map would take over
      if (this.isFlow(inner)) return { title, edits: this.removePair(r.entry) };
      return { title, edits: this.removePair(r.map) };
    }
    return { title, edits: this.removePair(r.entry) };
  }

  /**
   * Removes items from a list the service (or container) owns: the whole pair when none would be
   * left (an empty list when a merge key brings the same list), else each item with its line.
   */
  private removeListItems(list: Entry, items: unknown[], service: YAMLMap | undefined, doc: Document.Parsed): Edit[] | null {
    const seq = asSeq(list.value);
    if (!seq || list.via || isAnchored(list) || (service && list.owner !== service)) return null;
    if (!items.every((i) => seq.items.includes(i as never) && !isAlias(i))) return null;
    if (seq.items.length <= items.length) {
      if (service && mergedUnderneath(service, list.key, doc).length > 0) {
        if (this.isFlow(seq)) return [this.replaceNode(seq as unknown as Node, '[]')];
        return null;
      }
      return this.removePair(list);
    }
    const edits: Edit[] = [];
    for (const i of items) {
      const e = this.removeItem(seq, i);
      if (e.length === 0) return null;
      edits.push(...e);
    }
    return combineEdits(edits);
  }

  /** Docker: drop every own `<which>=unconfined` entry, so the runtime default applies again. */
  private composeConfinement(which: 'seccomp' | 'apparmor', c: Container, ref: ComposeRef): FixResult | null {
    if (c[which]?.value !== 'unconfined') return null;
    const entries = c.securityOpt.filter((o) => {
      const { key, value } = splitSecurityOpt(o.value);
      return key === which && value?.trim() === 'unconfined';
    });
    const first = entries[0];
    if (!first || entries.some((o) => o.via)) return null;
    const list = (first.ref as ItemRef).list;
    if (entries.some((o) => (o.ref as ItemRef).list !== list)) return null;
    const edits = this.removeListItems(list, entries.map((o) => (o.ref as ItemRef).item), ref.service, ref.doc);
    return edits ? { title: this.removeTitle(first, true), edits } : null;
  }

  /** Insert pairs right after an own pair of a block map (`cap_drop` after `cap_add`). */
  private insertPairsAfter(entry: Entry, pairs: [string, YValue][]): Edit {
    if (this.isFlow(entry.owner)) return this.insertPairs(entry.owner, pairs);
    const keyStart = entry.keyNode.range?.[0] ?? 0;
    const valueEnd = entry.rawValue?.range ? trimmedSpan(entry.rawValue, this.text).end : (entry.keyNode.range?.[1] ?? keyStart);
    const le = this.lineEnd(valueEnd);
    const col = this.column(keyStart);
    return { start: le, end: le, text: pairs.map(([k, v]) => this.blockPair(k, v, col)).join('') };
  }

  private composeDropAll(c: Container, ref: ComposeRef): FixResult | null {
    const { service, doc } = ref;
    if (c.capDrop.some((x) => x.name === 'ALL')) return null;
    const pairs: [string, YValue][] = [];
    const edits: Edit[] = [];
    this.mergeList(service, 'cap_drop', [capStyle(c.capDrop.map((x) => x.value))('ALL')], pairs, edits, doc);
    if (pairs.length > 0) {
      const capAdd = ownEntry(service, 'cap_add', doc);
      edits.push(capAdd && !capAdd.via && !this.isFlow(service) ? this.insertPairsAfter(capAdd, pairs) : this.insertPairs(service, pairs));
    }
    return { title: 'Add cap_drop: [ALL]', edits: combineEdits(edits) };
  }

  private composeMountReadOnly(mount: Mount, ref: ComposeRef): FixResult | null {
    const r = mount.ref as ComposeMountRef | undefined;
    if (mount.readOnly || mount.via || !r || !('form' in r) || r.list.owner !== ref.service || r.list.via || isAlias(r.item) || isAnchored(r.list)) return null;
    const title = `Mount ${mount.value} read-only`;
    if (r.form === 'long') {
      const map = asMap(r.item);
      if (!map) return null;
      const own = ownEntry(map, 'read_only', ref.doc);
      if (own && own.rawValue && !own.via) return { title, edits: [this.replaceScalar(own.rawValue, 'true')] };
      if (own) return null;
      return { title, edits: [this.insertPair(map, 'read_only', 'true')] };
    }
    if (!isScalar(r.item)) return null;
    const written = String(r.item.value);
    const parsed = parseShortVolume(written);
    if (!parsed) return null;
    const span = trimmedSpan(r.item as Node, this.text);
    const raw = this.text.slice(span.start, span.end);
    if (/[\r\n]/.test(raw)) return null;
    const quoted = r.item.type === 'QUOTE_DOUBLE' || r.item.type === 'QUOTE_SINGLE';
    const contentEnd = quoted ? span.end - 1 : span.end;
    if (parsed.mode !== undefined && parsed.mode.split(',').some((m) => m.trim() === 'rw')) {
      const i = raw.lastIndexOf('rw');
      if (i < 0) return null;
      return { title, edits: [{ start: span.start + i, end: span.start + i + 2, text: 'ro' }] };
    }
    const add = parsed.mode !== undefined ? (parsed.mode === '' ? 'ro' : ',ro') : ':ro';
    return { title, edits: [{ start: contentEnd, end: contentEnd, text: add }] };
  }

  private kubernetesRemove(target: Located<unknown>, ref: KubernetesRef): FixResult | null {
    const { doc } = ref;
    const r = target.ref as Entry | ItemRef | KubernetesProfileRef | KubernetesAnnotationRef | KubernetesMountRef | undefined;
    if (!r || target.via) return null;
    const pair = (e: Entry, title: string): FixResult | null => {
      if (e.via || isAnchored(e) || sharedByAlias(doc, e.owner)) return null;
      return { title, edits: this.removePair(e) };
    };
    if ('format' in r) {
      if (r.format === 'kubernetes-profile') return pair(r.profile, `Remove ${r.profile.key}`);
      if (r.format === 'kubernetes-annotation') return pair(r.entry, `Remove the ${r.entry.key} annotation`);
      return null; // a hostPath volume and its mounts: not a minimal edit
    }
    if ('keyNode' in r) return pair(r, this.removeTitle(target, false));
    if (r.list.key === 'volumes' || sharedByAlias(doc, r.list.owner)) return null; // a volume: its volumeMounts would dangle
    const edits = this.removeListItems(r.list, [r.item], undefined, doc);
    return edits ? { title: this.removeTitle(target, true), edits } : null;
  }

  private kubernetesConfinement(which: 'seccomp' | 'apparmor', c: Container, ref: KubernetesRef, sc: YAMLMap | undefined): FixResult | null {
    const { doc, container } = ref;
    const key = which === 'seccomp' ? 'seccompProfile' : 'appArmorProfile';
    const conf = c[which];
    const title = `Set ${key} type RuntimeDefault`;
    if (!conf) {
      if (sharedByAlias(doc, container)) return null;
      const own = sc ? ownEntry(sc, key, doc) : undefined;
      if (own) return null; // written but unreadable (no type): leave it to the user
      return { title, edits: this.setInSecurityContextValue(container, sc, key, { map: [['type', 'RuntimeDefault']] }, doc) };
    }
    if (conf.value !== 'unconfined') return null;
    const r = conf.ref as KubernetesProfileRef | KubernetesAnnotationRef | undefined;
    if (r?.format === 'kubernetes-profile') {
      const t = r.type;
      if (!t.rawValue || t.via || r.profile.via || isAnchored(t) || isAnchored(r.profile) || sharedByAlias(doc, t.owner)) return null;
      return { title, edits: [this.replaceScalar(t.rawValue, 'RuntimeDefault')] };
    }
    if (r?.format === 'kubernetes-annotation') {
      const e = r.entry;
      if (!e.rawValue || e.via || isAnchored(e) || sharedByAlias(doc, e.owner)) return null;
      return { title: `Set the ${which === 'seccomp' ? 'seccomp' : 'AppArmor'} annotation to runtime/default`, edits: [this.replaceScalar(e.rawValue, 'runtime/default')] };
    }
    return null;
  }

  private kubernetesDropAll(c: Container, ref: KubernetesRef, sc: YAMLMap | undefined): FixResult | null {
    const { doc, container } = ref;
    if (c.capDrop.some((x) => x.name === 'ALL') || sharedByAlias(doc, container)) return null;
    const title = 'Add capabilities.drop: [ALL]';
    const all = capStyle(c.capDrop.map((x) => x.value))('ALL');
    const dropAll: YValue = { map: [['drop', { seq: [all] }]] };
    if (!sc) return { title, edits: [this.insertPair(container, 'securityContext', { map: [['capabilities', dropAll]] })] };
    const capsEntry = ownEntry(sc, 'capabilities', doc);
    if (capsEntry && (capsEntry.via || !asMap(capsEntry.value) || isAnchored(capsEntry))) return null;
    const capMap = capsEntry ? asMap(capsEntry.value) : undefined;
    if (!capMap) return { title, edits: [this.insertPair(sc, 'capabilities', dropAll)] };
    const pairs: [string, YValue][] = [];
    const edits: Edit[] = [];
    this.mergeList(capMap, 'drop', [all], pairs, edits, doc);
    if (pairs.length > 0) {
      if (capMap.items.length === 0 && !this.isFlow(capMap)) return null;
      const add = ownEntry(capMap, 'add', doc);
      edits.push(add && !add.via && !this.isFlow(capMap) ? this.insertPairsAfter(add, pairs) : this.insertPairs(capMap, pairs));
    }
    return { title, edits: combineEdits(edits) };
  }

  /** Sets one key of the container's securityContext to a (possibly structured) value, creating securityContext if needed. */
  private setInSecurityContextValue(container: YAMLMap, sc: YAMLMap | undefined, key: string, value: YValue, doc: Document.Parsed): Edit[] {
    if (!sc) return [this.insertPair(container, 'securityContext', { map: [[key, value]] })];
    if (ownEntry(sc, key, doc)) throw new NoSafeEdit();
    if (sc.items.length === 0 && !this.isFlow(sc)) throw new NoSafeEdit();
    return [this.insertPair(sc, key, value)];
  }

  // ---- Replacing privileged ------------------------------------------------------

  /**
   * Compose: privileged goes (its line becomes the new settings, or `privileged: false` is added
   * to the service when the value comes from a shared anchor or `extends`), and each inferred
   * item is merged into the service's own list in its style, or a new block list is created.
   */
  private composeReplace(intent: Extract<FixIntent, { type: 'replace-privileged' | 'least-privilege' }>, c: Container, ref: ComposeRef): FixResult {
    const { doc, service } = ref;
    const entry = intent.target.ref as Entry | undefined;
    if (!entry || ref.aliased || isAnchored(entry)) throw new NoSafeEdit();
    const adds = intent.type === 'replace-privileged' ? writable('compose', additions(c, intent.inference)) : NONE;
    const pairs: [string, YValue][] = [];
    const edits: Edit[] = [];
    const style = capStyle(c.capAdd.map((x) => x.value));
    if (adds.caps.length > 0) this.mergeList(service, 'cap_add', adds.caps.map((x) => style(x.name)), pairs, edits, doc);
    if (adds.devices.length > 0) this.mergeList(service, 'devices', adds.devices.map((d) => d.path), pairs, edits, doc);
    if (adds.securityOpt.length > 0) this.mergeList(service, 'security_opt', adds.securityOpt.map((o) => yamlScalar(o.value)), pairs, edits, doc);
    if (adds.sysctls.length > 0) this.mergeSysctls(service, adds.sysctls.map((x) => [x.name, x.value]), pairs, edits, doc);
    if (intent.type === 'least-privilege') {
      if (!c.capDrop.some((x) => x.name === 'ALL')) this.mergeList(service, 'cap_drop', [capStyle(c.capDrop.map((x) => x.value))('ALL')], pairs, edits, doc);
      this.composeNoNewPrivileges(c, service, pairs, edits, doc);
    }
    const title = intent.type === 'replace-privileged' ? replacementTitle(c, intent.inference) : leastPrivilegeTitle('compose');
    if (entry.owner === service && !intent.target.via) {
      // Another privileged: true (merge key, extends) lies underneath: say false here instead of removing.
      if (ref.privilegedUnderneath) pairs.unshift(['privileged', 'false']);
      edits.push(...this.replacePairWith(entry, pairs));
      return { title, edits: combineEdits(edits) };
    }
    // Shared through an anchor, a merge key or extends: override on this service only.
    if (entry.owner === service && entry.rawValue) edits.push(this.replaceNode(entry.rawValue, 'false'));
    else pairs.unshift(['privileged', 'false']);
    if (pairs.length > 0) edits.push(this.insertPairs(service, pairs));
    return { title: `${title}; sets privileged: false on ${c.label}, the shared definition stays as it is`, edits: combineEdits(edits) };
  }

  /** no-new-privileges:true for least privilege: rewrite an own `:false`, else add it to security_opt. */
  private composeNoNewPrivileges(c: Container, service: YAMLMap, pairs: [string, YValue][], edits: Edit[], doc: Document.Parsed): void {
    const nnp = c.noNewPrivileges;
    if (nnp?.value === true) return;
    const item = nnp?.ref as ItemRef | undefined;
    if (nnp && item && !nnp.via && item.list.owner === service && !item.list.via) {
      edits.push(this.replaceScalar(item.item, NNP_TRUE));
      return;
    }
    this.mergeList(service, 'security_opt', [NNP_TRUE], pairs, edits, doc, (s) => !/^["']?no-new-privileges/.test(s));
  }

  /** Kubernetes: capabilities go into securityContext.capabilities.add; least privilege is drop [ALL] and allowPrivilegeEscalation: false. */
  private kubernetesReplace(intent: Extract<FixIntent, { type: 'replace-privileged' | 'least-privilege' }>, c: Container, sc: YAMLMap, entry: Entry, doc: Document.Parsed): FixResult {
    const scPairs: [string, YValue][] = [];
    const edits: Edit[] = [];
    const capPairs: [string, YValue][] = [];
    const capsEntry = ownEntry(sc, 'capabilities', doc);
    if (capsEntry && (capsEntry.via || !asMap(capsEntry.value))) throw new NoSafeEdit();
    const capMap = capsEntry ? asMap(capsEntry.value) : undefined;
    const listInto = (key: 'add' | 'drop', items: string[]): void => {
      if (capMap) this.mergeList(capMap, key, items, capPairs, edits, doc);
      else capPairs.push([key, { seq: items }]);
    };
    if (intent.type === 'replace-privileged') {
      const adds = writable('kubernetes', additions(c, intent.inference));
      const style = capStyle(c.capAdd.map((x) => x.value));
      if (adds.caps.length > 0) listInto('add', adds.caps.map((x) => style(x.name)));
    } else {
      if (!c.capDrop.some((x) => x.name === 'ALL')) listInto('drop', [capStyle(c.capDrop.map((x) => x.value))('ALL')]);
      const ape = ownEntry(sc, 'allowPrivilegeEscalation', doc);
      if (ape && (ape.via || !ape.value)) throw new NoSafeEdit();
      if (!ape) scPairs.push(['allowPrivilegeEscalation', 'false']);
      else if (readBool(ape.value, false) !== false) edits.push(this.replaceScalar(ape.value!, 'false'));
    }
    if (capPairs.length > 0) {
      if (capMap) edits.push(this.insertPairs(capMap, capPairs));
      else scPairs.unshift(['capabilities', { map: capPairs }]);
    }
    edits.push(...this.replacePairWith(entry, scPairs));
    const title = intent.type === 'replace-privileged' ? replacementTitle(c, intent.inference) : leastPrivilegeTitle('kubernetes');
    return { title, edits: combineEdits(edits) };
  }

  /**
   * Adds items to the list `key` of `map`: appended to the map's own list in its style, or a new
   * list (keeping the items a merge key brought in, since an own key replaces the merged one).
   */
  private mergeList(map: YAMLMap, key: string, items: string[], pairs: [string, YValue][], edits: Edit[], doc: Document.Parsed, keepInherited: (text: string) => boolean = () => true): void {
    const e = get(map, key, doc);
    if (!e) {
      pairs.push([key, { seq: items }]);
      return;
    }
    const seq = asSeq(e.value);
    if (e.value && !seq) throw new NoSafeEdit(); // not a list (a string, a map): leave it to the user
    const inherited = seq ? this.itemTexts(seq).filter(keepInherited) : [];
    if (e.owner !== map) {
      pairs.push([key, { seq: [...inherited, ...items] }]);
      return;
    }
    if (!e.rawValue) throw new NoSafeEdit(); // `cap_add:` with no value
    if (isAlias(e.rawValue)) {
      edits.push(this.replaceNode(e.rawValue, `[${[...inherited, ...items].join(', ')}]`));
      return;
    }
    if (!seq || seq.items.length === 0) {
      if (seq && this.isFlow(seq)) {
        edits.push(this.appendItems(seq, items));
        return;
      }
      throw new NoSafeEdit();
    }
    edits.push(this.appendItems(seq, items));
  }

  /** Sysctls into a map (`name: value`) or a list (`name=value`), whichever the service uses; a new map otherwise. */
  private mergeSysctls(map: YAMLMap, items: [string, string][], pairs: [string, YValue][], edits: Edit[], doc: Document.Parsed): void {
    const e = get(map, 'sysctls', doc);
    const asList = items.map(([k, v]) => yamlScalar(`${k}=${v}`));
    const asPairs: [string, YValue][] = items.map(([k, v]) => [k, yamlScalar(v)]);
    if (!e) {
      pairs.push(['sysctls', { map: asPairs }]);
      return;
    }
    const seq = asSeq(e.value);
    const m = asMap(e.value);
    if (seq) {
      this.mergeList(map, 'sysctls', asList, pairs, edits, doc);
      return;
    }
    if (!m) throw new NoSafeEdit();
    const inherited: [string, YValue][] = (m.items as unknown as { key: Node; value: Node | null }[]).map((p) => [this.nodeText(p.key), p.value ? this.nodeText(p.value) : '']);
    if (e.owner !== map) {
      pairs.push(['sysctls', { map: [...inherited, ...asPairs] }]);
      return;
    }
    if (e.rawValue && isAlias(e.rawValue)) {
      edits.push(this.replaceNode(e.rawValue, this.flowValue({ map: [...inherited, ...asPairs] })));
      return;
    }
    if (m.items.length === 0 && !this.isFlow(m)) throw new NoSafeEdit();
    edits.push(this.insertPairs(m, asPairs));
  }

  private nodeText(node: Node): string {
    const span = trimmedSpan(node, this.text);
    const t = this.text.slice(span.start, span.end);
    if (/[\r\n]/.test(t)) throw new NoSafeEdit(); // a multi-line item cannot be copied into a new list safely
    return t;
  }

  private itemTexts(seq: YAMLSeq): string[] {
    return seq.items.map((i) => {
      if (!isScalar(i) && !isAlias(i)) throw new NoSafeEdit();
      return this.nodeText(i as Node);
    });
  }

  /**
   * Replaces a pair (`privileged: true`) with other pairs at the same place, keeping any
   * comment on its line; with no pairs, removes it.
   */
  private replacePairWith(entry: Entry, pairs: [string, YValue][]): Edit[] {
    if (pairs.length === 0) return this.removePair(entry);
    const map = entry.owner;
    const keyStart = entry.keyNode.range?.[0] ?? 0;
    const valueEnd = entry.rawValue?.range ? trimmedSpan(entry.rawValue, this.text).end : (entry.keyNode.range?.[1] ?? keyStart);
    const body = pairs.map(([k, v]) => `${k}: ${this.flowValue(v)}`).join(', ');
    if (this.isFlow(map)) return [{ start: keyStart, end: valueEnd, text: body }];
    const ls = this.lineStart(keyStart);
    const le = this.lineEnd(valueEnd);
    const prefix = this.text.slice(ls, keyStart);
    if (!/^[ \t]*$/.test(prefix)) throw new NoSafeEdit(); // `- privileged: true`: not in this model
    const end = this.afterBreak(le);
    const keep = this.commentsIn(keyStart, le).map((c) => `${prefix}${c}${this.eol}`).join('');
    const lines = pairs.map(([k, v]) => this.blockPair(k, v, prefix.length)).join('').slice(this.eol.length);
    return [{ start: ls, end, text: `${keep}${lines}${end > le ? this.eol : ''}` }];
  }

  private setInSecurityContext(container: YAMLMap, sc: YAMLMap | undefined, pairs: [string, string][], doc: Document.Parsed): Edit[] {
    if (!sc) return [this.insertPair(container, 'securityContext', { map: pairs })];
    const edits: Edit[] = [];
    const missing: [string, YValue][] = [];
    for (const [k, v] of pairs) {
      const e = ownEntry(sc, k, doc);
      if (e && e.value && !e.via) edits.push(this.replaceScalar(e.value, v));
      else missing.push([k, v]);
    }
    if (missing.length > 0) edits.push(this.insertPairs(sc, missing));
    return edits;
  }

  private removeCapability(cap: Located<string> & { name: string }, title: (cap: string) => string, service: YAMLMap | undefined, doc: Document.Parsed): FixResult | null {
    const ref = cap.ref as ItemRef | undefined;
    if (!ref || cap.via) return null;
    if (service && ref.list.owner !== service) return null; // inherited through extends or a merge: leave it to the user
    const seq = asSeq(ref.list.value);
    if (!seq || ref.list.via) return null;
    if (seq.items.length <= 1 && service && mergedUnderneath(service, ref.list.key, doc).length > 0) {
      // A merge key brings the same list: removing the own one would let it through. Leave an empty list.
      if (this.isFlow(seq)) return { title: title(cap.value), edits: this.removeItem(seq, ref.item) };
      const colon = this.text.indexOf(':', ref.list.keyNode.range?.[1] ?? 0);
      const removed = this.removeItem(seq, ref.item);
      if (colon < 0 || removed.length === 0) return null;
      return { title: title(cap.value), edits: combineEdits([{ start: colon + 1, end: colon + 1, text: ' []' }, ...removed]) };
    }
    if (seq.items.length <= 1) return { title: title(cap.value), edits: this.removePair(ref.list) };
    return { title: title(cap.value), edits: this.removeItem(seq, ref.item) };
  }

  // ---- Primitives ----------------------------------------------------------------

  private lineStart(pos: number): number {
    let i = pos;
    while (i > 0 && this.text[i - 1] !== '\n' && this.text[i - 1] !== '\r') i--;
    return i;
  }

  /** Offset of the line break ending the line that holds pos (or the text's end). */
  private lineEnd(pos: number): number {
    let i = pos;
    while (i < this.text.length && this.text[i] !== '\n' && this.text[i] !== '\r') i++;
    return i;
  }

  private afterBreak(pos: number): number {
    if (this.text[pos] === '\r' && this.text[pos + 1] === '\n') return pos + 2;
    if (this.text[pos] === '\n' || this.text[pos] === '\r') return pos + 1;
    return pos;
  }

  /** Comments between start and end (trailing and full-line), in order. */
  private commentsIn(start: number, end: number): string[] {
    const out: string[] = [];
    let quote: string | undefined;
    for (let i = start; i < end; i++) {
      const ch = this.text[i];
      if (ch === '\n' || ch === '\r') {
        quote = undefined;
        continue;
      }
      if (quote) {
        if (ch === quote) quote = undefined;
        continue;
      }
      if (ch === '"' || ch === "'") {
        const prev = this.text[i - 1];
        if (prev === undefined || /[\s:[{,-]/.test(prev)) quote = ch;
        continue;
      }
      if (ch === '#' && (i === this.lineStart(i) || /[ \t]/.test(this.text[i - 1]))) {
        const e = this.lineEnd(i);
        out.push(this.text.slice(i, e).trimEnd());
        i = e - 1;
      }
    }
    return out;
  }

  private isFlow(node: YAMLMap | YAMLSeq): boolean {
    return !!(node as { flow?: boolean }).flow;
  }

  private indentStep(): number {
    if (this.step) return this.step;
    const lines = this.text.split(/\r\n|\r|\n/);
    let prevIndent = -1;
    let prevOpens = false;
    for (const line of lines) {
      if (!line.trim() || line.trimStart().startsWith('#')) continue;
      const indent = line.length - line.trimStart().length;
      if (prevOpens && indent > prevIndent && !line.trimStart().startsWith('- ')) {
        this.step = indent - prevIndent;
        break;
      }
      prevIndent = indent;
      prevOpens = /:\s*(#.*)?$/.test(line) && !line.trimStart().startsWith('- ');
    }
    if (!this.step || this.step > 8) this.step = 2;
    return this.step;
  }

  /** Indentation of `- ` under a `key:` relative to the key: 0 (Kubernetes style) or the step. */
  private seqIndent(): number {
    if (this.seqPad >= 0) return this.seqPad;
    const lines = this.text.split(/\r\n|\r|\n/);
    // One pass: each `key:` line is compared with the next line that is neither blank nor a comment.
    let opener: RegExpExecArray | null = null;
    for (const line of lines) {
      if (!line.trim() || line.trimStart().startsWith('#')) continue;
      const d = opener && /^( *)- /.exec(line);
      if (opener && d) {
        this.seqPad = Math.max(0, d[1].length - opener[1].length);
        return this.seqPad;
      }
      opener = /^( *)[^\s#-][^:#]*:\s*(#.*)?$/.exec(line);
    }
    this.seqPad = this.indentStep();
    return this.seqPad;
  }

  private column(pos: number): number {
    return pos - this.lineStart(pos);
  }

  private scalarText(loc: Located<string>): string {
    return this.text.slice(loc.valueSpan.start, loc.valueSpan.end);
  }

  replaceScalar(node: Node, value: string): Edit {
    const span = trimmedSpan(node, this.text);
    let out = value;
    if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && !/^["']/.test(value) && /^[A-Za-z0-9:_-]+$/.test(value) && !/^(true|false|\d+)$/.test(value)) {
      const q = node.type === 'QUOTE_DOUBLE' ? '"' : "'";
      out = `${q}${value}${q}`;
    }
    return { start: span.start, end: span.end, text: out };
  }

  /** Removes a pair: its line(s) in block style (keeping any comment on them), or the pair and one comma in flow style. */
  removePair(entry: Entry): Edit[] {
    const map = entry.owner;
    const keyStart = entry.keyNode.range?.[0] ?? 0;
    const valueEnd = entry.rawValue?.range ? trimmedSpan(entry.rawValue, this.text).end : (entry.keyNode.range?.[1] ?? keyStart);
    const pairs = map.items;
    const idx = pairs.findIndex((p) => p === entry.pair);
    if (this.isFlow(map)) return this.removeFlowElement(pairs.map((p) => pairSpanOf(p as never, this.text)), idx, (map.range?.[1] ?? this.text.length) - 1);
    const ls = this.lineStart(keyStart);
    const le = this.lineEnd(valueEnd);
    const prefix = this.text.slice(ls, keyStart);
    const comments = this.commentsIn(keyStart, le);
    if (/^[ \t]*$/.test(prefix)) {
      const keep = comments.map((c) => `${prefix}${c}${this.eol}`).join('');
      return [{ start: ls, end: this.afterBreak(le), text: keep }];
    }
    // First pair of a `- key: value` item: pull the next pair up onto the dash line.
    const next = pairs[idx + 1] as { key?: Node } | undefined;
    const nextStart = next?.key?.range?.[0];
    const dashIndent = prefix.replace(/[^ \t]/g, ' ').replace(/- *$/, '');
    const keep = comments.map((c) => `${dashIndent}${c}${this.eol}`).join('');
    if (nextStart !== undefined) {
      const edits: Edit[] = [{ start: keyStart, end: nextStart, text: '' }];
      if (keep) edits.push({ start: ls, end: ls, text: keep });
      return edits;
    }
    const edits: Edit[] = [{ start: keyStart, end: valueEnd, text: '{}' }];
    if (keep) edits.push({ start: ls, end: ls, text: keep });
    return edits;
  }

  /**
   * Removes one element of a flow map or sequence with one separating comma, and nothing else:
   * the whitespace, line breaks and comments between elements stay where they are, wherever the
   * brackets sit; a trailing comma goes with the only element (`{a: 1, }` → `{}`).
   */
  private removeFlowElement(spans: { start: number; end: number }[], idx: number, closeAt: number): Edit[] {
    const cur = spans[idx];
    const next = spans[idx + 1];
    if (next) {
      const comma = this.flowComma(cur.end, next.start);
      if (comma < 0) return [{ start: cur.start, end: next.start, text: '' }];
      let end = comma + 1;
      while (this.text[end] === ' ' || this.text[end] === '\t') end++;
      // A comment after the comma keeps a blank before it (`[# x` would not be a comment).
      if (this.text[end] === '#') end = comma + 1;
      return [{ start: cur.start, end, text: '' }];
    }
    const prev = spans[idx - 1];
    const trailing = this.flowComma(cur.end, closeAt);
    if (prev) {
      // With a trailing comma, the element goes with it (the previous comma becomes the trailing one);
      // without, the comma before it goes. Whatever lies between (line breaks, comments) stays.
      if (trailing >= 0) return [{ start: cur.start, end: trailing + 1, text: '' }];
      const comma = this.flowComma(prev.end, cur.start);
      if (!this.hasComment(prev.end, cur.start)) return [{ start: prev.end, end: cur.end, text: '' }];
      const edits: Edit[] = [{ start: cur.start, end: cur.end, text: '' }];
      if (comma >= 0) edits.push({ start: comma, end: comma + 1, text: '' });
      return edits;
    }
    return [{ start: cur.start, end: trailing >= 0 ? trailing + 1 : cur.end, text: '' }];
  }

  /** Whether a `#` comment starts between two offsets. */
  private hasComment(from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (this.text[i] === '#' && (i === 0 || /\s/.test(this.text[i - 1] ?? ''))) return true;
    return false;
  }

  /** The first `,` between two offsets that is not inside a comment, or -1. */
  private flowComma(from: number, to: number): number {
    for (let i = from; i < to; i++) {
      const ch = this.text[i];
      if (ch === ',') return i;
      if (ch === '#' && (i === 0 || /\s/.test(this.text[i - 1] ?? ''))) {
        while (i < to && this.text[i] !== '\n' && this.text[i] !== '\r') i++;
      }
    }
    return -1;
  }

  removeItem(seq: YAMLSeq, item: unknown): Edit[] {
    const idx = seq.items.findIndex((i) => i === item);
    const spans = seq.items.map((i) => trimmedSpan(i as Node, this.text));
    if (idx < 0) return [];
    if (this.isFlow(seq)) return this.removeFlowElement(spans, idx, (seq.range?.[1] ?? this.text.length) - 1);
    const cur = spans[idx];
    const ls = this.lineStart(cur.start);
    const le = this.lineEnd(cur.end);
    const prefix = this.text.slice(ls, cur.start);
    const comments = this.commentsIn(cur.start, le);
    const indent = prefix.replace(/- *$/, '');
    if (!/^[ \t]*- *$/.test(prefix)) return [];
    return [{ start: ls, end: this.afterBreak(le), text: comments.map((c) => `${indent}${c}${this.eol}`).join('') }];
  }

  appendItem(seq: YAMLSeq, item: string): Edit {
    return this.appendItems(seq, [item]);
  }

  /** Appends items to a list in its own style: `, a, b` before a flow list's `]`, `- a` lines after a block list's last item. */
  appendItems(seq: YAMLSeq, items: string[]): Edit {
    if (this.isFlow(seq)) {
      const end = (seq.range?.[1] ?? 0) - 1; // the closing bracket
      const close = this.text.lastIndexOf(']', end);
      const body = items.join(', ');
      if (seq.items.length === 0) return { start: close, end: close, text: body };
      // Span the last item (unchanged) so that a fix removing it overlaps this one instead of touching it.
      const lastStart = trimmedSpan(seq.items[seq.items.length - 1] as Node, this.text).start;
      return { start: lastStart, end: close, text: `${this.text.slice(lastStart, close)}, ${body}` };
    }
    const last = seq.items[seq.items.length - 1] as Node;
    const first = seq.items[0] as Node;
    const firstStart = first.range?.[0] ?? 0;
    const dash = this.text.lastIndexOf('-', firstStart);
    const pad = ' '.repeat(this.column(dash));
    const le = this.lineEnd(trimmedSpan(last, this.text).end);
    return { start: le, end: le, text: items.map((item) => `${this.eol}${pad}- ${item}`).join('') };
  }

  /** Replaces a node (an alias, a scalar) with text, verbatim. */
  replaceNode(node: Node, text: string): Edit {
    const span = trimmedSpan(node, this.text);
    return { start: span.start, end: span.end, text };
  }

  /** The offset just after the `:` of a pair whose value is empty (`key:`), if the text has it there. */
  afterColon(entry: Entry): number | undefined {
    const keyEnd = entry.keyNode.range?.[1];
    if (keyEnd === undefined) return undefined;
    let i = keyEnd;
    while (this.text[i] === ' ' || this.text[i] === '\t') i++;
    return this.text[i] === ':' ? i + 1 : undefined;
  }

  insertPair(map: YAMLMap, key: string, value: YValue): Edit {
    return this.insertPairs(map, [[key, value]]);
  }

  insertPairs(map: YAMLMap, pairs: [string, YValue][]): Edit {
    if (this.isFlow(map)) {
      const flowItems = map.items as unknown as { key: Node; value: Node | null }[];
      const lastItem = flowItems[flowItems.length - 1];
      if (lastItem) {
        // Right after the last pair: before a trailing comma, a comment or a `}` on its own line,
        // so `{a: 1, }` and multi-line maps with comments stay valid and keep their layout.
        const at = lastItem.value?.range ? trimmedSpan(lastItem.value, this.text).end : (lastItem.key.range?.[1] ?? 0);
        const firstKey = flowItems[0].key.range?.[0] ?? at;
        const open = this.text.lastIndexOf('{', firstKey);
        // A flow map written one pair per line (JSON as usually formatted) gets its new pairs on lines of their own.
        const sep = open >= 0 && hasLineBreak(this.text, open, firstKey) ? `,${this.eol}${' '.repeat(this.column(firstKey))}` : ', ';
        return { start: at, end: at, text: `${sep}${pairs.map(([k, v]) => `${k}: ${this.flowValue(v)}`).join(sep)}` };
      }
      const end = (map.range?.[1] ?? 0) - 1;
      const close = this.text.lastIndexOf('}', end);
      return { start: close, end: close, text: pairs.map(([k, v]) => `${k}: ${this.flowValue(v)}`).join(', ') };
    }
    const items = map.items as unknown as { key: Node; value: Node | null }[];
    const first = items[0];
    const last = items[items.length - 1];
    const col = this.column(first.key.range?.[0] ?? 0);
    const lastEnd = last.value?.range ? trimmedSpan(last.value, this.text).end : (last.key.range?.[1] ?? 0);
    const le = this.lineEnd(lastEnd);
    const body = pairs.map(([k, v]) => this.blockPair(k, v, col)).join('');
    return { start: le, end: le, text: body };
  }

  private blockPair(key: string, value: YValue, col: number): string {
    const pad = ' '.repeat(col);
    if (typeof value === 'string') return `${this.eol}${pad}${key}: ${value}`;
    if ('seq' in value) {
      const dashPad = ' '.repeat(col + this.seqIndent());
      return `${this.eol}${pad}${key}:` + value.seq.map((s) => `${this.eol}${dashPad}- ${s}`).join('');
    }
    return `${this.eol}${pad}${key}:` + value.map.map(([k, v]) => this.blockPair(k, v, col + this.indentStep())).join('');
  }

  private flowValue(value: YValue): string {
    if (typeof value === 'string') return value;
    if ('seq' in value) return `[${value.seq.join(', ')}]`;
    return `{${value.map.map(([k, v]) => `${k}: ${this.flowValue(v)}`).join(', ')}}`;
  }
}

/** Per document: the alias targets' ranges by start, and the largest end among each prefix. */
const aliasCover = new WeakMap<object, { starts: number[]; maxEnds: number[] }>();

/**
 * Whether `node` is (inside) a node some alias points at: editing it would change every
 * place that alias is used, so no writer touches it. A binary search: a node is inside a target
 * when some target starting at or before it ends at or after it.
 */
export function sharedByAlias(doc: Document.Parsed, node: unknown): boolean {
  let cover = aliasCover.get(doc);
  if (!cover) {
    const ranges = aliasTargets(doc)
      .map((t) => t.range)
      .filter((r): r is NonNullable<typeof r> => !!r)
      .sort((a, b) => a[0] - b[0]);
    const starts: number[] = [];
    const maxEnds: number[] = [];
    for (const r of ranges) {
      starts.push(r[0]);
      maxEnds.push(Math.max(r[2], maxEnds[maxEnds.length - 1] ?? -Infinity));
    }
    cover = { starts, maxEnds };
    aliasCover.set(doc, cover);
  }
  const range = (node as Node | undefined)?.range;
  if (!range) return false;
  let lo = 0;
  let hi = cover.starts.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cover.starts[mid] <= range[0]) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return last >= 0 && cover.maxEnds[last] >= range[1];
}

/** The value carries an anchor (`privileged: &p true`): removing or changing it would change its aliases too. */
function isAnchored(entry: Entry): boolean {
  return !!(entry.rawValue as { anchor?: string } | null)?.anchor;
}

/**
 * A YAML flow fragment (`, capabilities: {drop: [ALL]}`, `RuntimeDefault`, `no-new-privileges:true`)
 * in JSON syntax: plain scalars that are not booleans, null or numbers become JSON strings, single-
 * quoted ones double-quoted; what is already JSON (double-quoted strings, punctuation) is kept.
 * A plain scalar runs to `,`, `]`, `}` or a `: ` (YAML flow reads `a:b` as one scalar).
 */
export function flowToJson(fragment: string): string {
  let out = '';
  let i = 0;
  const n = fragment.length;
  while (i < n) {
    const c = fragment[i];
    if (c === '"') {
      let j = i + 1;
      while (j < n && fragment[j] !== '"') j += fragment[j] === '\\' ? 2 : 1;
      out += fragment.slice(i, j + 1);
      i = j + 1;
    } else if (c === "'") {
      let j = i + 1;
      let value = '';
      while (j < n) {
        if (fragment[j] === "'" && fragment[j + 1] === "'") {
          value += "'";
          j += 2;
        } else if (fragment[j] === "'") break;
        else value += fragment[j++];
      }
      out += JSON.stringify(value);
      i = j + 1;
    } else if ('{}[],: \t\r\n'.includes(c)) {
      out += c;
      i++;
    } else {
      let j = i;
      while (j < n && !',]}\r\n'.includes(fragment[j]) && !(fragment[j] === ':' && (j + 1 >= n || ' \t'.includes(fragment[j + 1])))) j++;
      let k = j;
      while (k > i && (fragment[k - 1] === ' ' || fragment[k - 1] === '\t')) k--;
      const word = fragment.slice(i, k);
      out += /^(true|false|null|-?\d+(\.\d+)?)$/.test(word) ? word : JSON.stringify(word);
      i += word.length;
    }
  }
  return out;
}

/** A plain YAML scalar when that reads back as the same string, else a double-quoted one. */
export function yamlScalar(value: string): string {
  if (/^[A-Za-z0-9_./][A-Za-z0-9_./:=@+-]*$/.test(value) && !/:$/.test(value)) return value;
  return JSON.stringify(value);
}

/** Writes capability names the way a list already spells them: `CAP_` prefix or not. */
export function capStyle(existing: string[]): (name: string) => string {
  const prefixed = existing.length > 0 && existing.every((v) => /^cap_/i.test(v.trim()));
  const lower = existing.length > 0 && existing.every((v) => v === v.toLowerCase());
  return (name) => {
    const n = prefixed && name !== 'ALL' ? `CAP_${name}` : name;
    return lower ? n.toLowerCase() : n;
  };
}

function ownEntry(map: YAMLMap, key: string, doc: Document.Parsed): Entry | undefined {
  const e = get(map, key, doc);
  return e && e.owner === map ? e : undefined;
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  const n = text.indexOf('\n', from);
  const r = text.indexOf('\r', from);
  return (n >= 0 && n < to) || (r >= 0 && r < to);
}

function pairSpanOf(pair: { key: Node; value: Node | null }, text: string): { start: number; end: number } {
  const start = pair.key.range?.[0] ?? 0;
  const end = pair.value?.range ? trimmedSpan(pair.value, text).end : (pair.key.range?.[1] ?? start);
  return { start, end };
}

export { isMap, isSeq };
