/**
 * Fix intents → edits on a Quadlet unit, in the unit's own style: native keys where Quadlet
 * has one (`NoNewPrivileges=true`, `DropCapability=all`, `AddCapability=`, `AddDevice=`,
 * `ReadOnly=true`, `User=`), new entries after the section's last entry, a `--privileged` in
 * PodmanArgs= replaced by those entries, and a removed setting taking its line with it.
 */
import type { FixResult, FormatWriter } from '../../adapters/types';
import type { Container, Edit, Located, Mount, Workload } from '../../model';
import { additions, leastPrivilegeTitle, quadletOptionText, replacementTitle } from '../../replace';
import type { EngineSettings, FixIntent } from '../../rule';
import { parseShortVolume } from '../../adapters/boundary';
import type { WordFlagRef } from '../run-model';
import type { QuadletContainerRef, QuadletUnitRef, QuadletValueRef } from './read';
import { removeWords, replaceWordValue } from '../word-edits';

type Ref = QuadletValueRef | WordFlagRef;

function refOf(l: Located<unknown>): Ref | undefined {
  const r = l.ref as Ref | undefined;
  return r && (r.type === 'entry' || r.type === 'entry-word' || r.type === 'word-flag') ? r : undefined;
}

/** Where new entries go: after the section's last entry, else after its header. */
function insertEntries(ref: QuadletContainerRef, lines: string[]): Edit {
  const { text, section, unit } = ref;
  const last = section.entries[section.entries.length - 1];
  const at = last ? last.lines.end : section.headerLine.end;
  const needsBreak = at > 0 && text[at - 1] !== '\n';
  return { start: at, end: at, text: `${needsBreak ? unit.eol : ''}${lines.map((l) => `${l}${unit.eol}`).join('')}` };
}

/** Edits removing a setting: its entry, its word of a list entry, or its PodmanArgs word(s). */
function removeEdits(ref: Pick<QuadletContainerRef, 'text' | 'podmanArgs'>, r: Ref): Edit[] | null {
  const { text } = ref;
  if (r.type === 'entry') return [{ start: r.entry.lines.start, end: r.entry.lines.end, text: '' }];
  if (r.type === 'entry-word') {
    if (r.words.length === 1) return [{ start: r.entry.lines.start, end: r.entry.lines.end, text: '' }];
    return removeWords(text, r.word.span);
  }
  // A PodmanArgs flag: one item of `--cap-add=A,B`, or the flag's words (the entry with its last words).
  if (r.list && r.index !== undefined && r.list.filter((x) => x.trim() !== '').length > 1) {
    const w = r.valueWord;
    if (w.verbatimStart === undefined) return null;
    const items = r.list;
    let offset = w.verbatimStart + r.prefix.length;
    for (let i = 0; i < r.index; i++) offset += (items[i] ?? '').length + 1;
    const item = items[r.index] ?? '';
    // Take the comma after it, or before it when it is the last item.
    return r.index < items.length - 1 ? [{ start: offset, end: offset + item.length + 1, text: '' }] : [{ start: offset - 1, end: offset + item.length, text: '' }];
  }
  const owner = ref.podmanArgs.get(r.words[0] ?? r.valueWord);
  if (owner && owner.words.every((w) => r.words.includes(w))) return [{ start: owner.entry.lines.start, end: owner.entry.lines.end, text: '' }];
  const first = r.words[0] ?? r.valueWord;
  const last = r.words[r.words.length - 1] ?? r.valueWord;
  return removeWords(text, { start: first.span.start, end: last.span.end });
}

function describe(l: Located<unknown>): string {
  const r = refOf(l);
  if (r?.type === 'word-flag' && r.list && r.index !== undefined && r.list.filter((x) => x.trim() !== '').length > 1) return `${(r.list[r.index] ?? '').trim()} from ${r.words.map((w) => w.value ?? '').join(' ')} in PodmanArgs`;
  if (r?.type === 'word-flag') return `${r.words.map((w) => w.value ?? '').join(' ')} from PodmanArgs`;
  if (r?.type === 'entry-word') return `${r.word.value ?? ''} from ${r.entry.key}=`;
  if (r?.type === 'entry') return `${r.entry.key}=${r.entry.value}`;
  return l.field;
}

export const quadletWriter: FormatWriter = {
  apply(intent: FixIntent, container: Container, settings: EngineSettings): FixResult | null {
    const ref = container.ref as QuadletContainerRef | undefined;
    if (!ref || ref.format !== 'quadlet') return null;
    try {
      return apply(ref, intent, container, settings);
    } catch {
      return null; // never a crash for a fix we cannot compute
    }
  },
  // A .pod, .kube or .build unit: a pod-level setting (Network=host, UserNS=host, Volume=, a PodmanArgs flag) is removed where it is written, a Volume= made read-only.
  applyToWorkload(intent: FixIntent, workload: Workload): FixResult | null {
    const ref = workload.ref as QuadletUnitRef | undefined;
    if (!ref || ref.format !== 'quadlet-unit') return null;
    try {
      if (intent.type === 'set-mount-read-only') return setMountReadOnly(intent.mount);
      if (intent.type !== 'remove-setting') return null;
      const r = refOf(intent.target);
      if (!r) return null;
      const edits = removeEdits(ref, r);
      return edits ? { title: `Remove ${describe(intent.target)}`, edits } : null;
    } catch {
      return null;
    }
  },
};

function apply(ref: QuadletContainerRef, intent: FixIntent, container: Container, settings: EngineSettings): FixResult | null {
  switch (intent.type) {
    case 'remove-privileged':
    case 'remove-setting':
    case 'remove-capability': {
      const target = intent.type === 'remove-capability' ? intent.cap : intent.target;
      const r = refOf(target);
      if (!r) return null;
      const edits = removeEdits(ref, r);
      return edits ? { title: `Remove ${describe(target)}`, edits } : null;
    }
    case 'replace-privileged':
    case 'least-privilege': {
      const r = refOf(intent.target);
      if (!r) return null;
      const removal = removeEdits(ref, r);
      if (!removal) return null;
      const lines: string[] = [];
      const edits: Edit[] = [...removal];
      if (intent.type === 'replace-privileged') {
        const add = additions(container, intent.inference);
        if (add.caps.length > 0) lines.push(`AddCapability=${add.caps.map((c) => `CAP_${c.name}`).join(' ')}`);
        for (const d of add.devices) lines.push(`AddDevice=${d.path}`);
        if (add.sysctls.length > 0) lines.push(`Sysctl=${add.sysctls.map((s) => `${s.name}=${s.value}`).join(' ')}`);
        for (const o of add.securityOpt) lines.push(quadletOptionText(o.value));
      } else {
        if (!container.capDrop.some((c) => c.name === 'ALL')) lines.push('DropCapability=all');
        const nnp = enableNnpEdits(container);
        if (nnp?.line) lines.push(nnp.line);
        else if (nnp) edits.push(...nnp.edits);
      }
      if (lines.length > 0) edits.push(insertEntries(ref, lines));
      const title = intent.type === 'replace-privileged' ? replacementTitle(container, intent.inference).replace(/^Replace privileged with /, 'Replace --privileged with ').replace(/^Remove privileged/, 'Remove --privileged') : leastPrivilegeTitle('quadlet');
      return { title, edits };
    }
    case 'enable-no-new-privileges': {
      const nnp = enableNnpEdits(container);
      if (!nnp) return null;
      return nnp.line ? { title: `Add ${nnp.line}`, edits: [insertEntries(ref, [nnp.line])] } : { title: nnp.title, edits: nnp.edits };
    }
    case 'add-drop-all':
      if (container.capDrop.some((c) => c.name === 'ALL')) return null;
      return { title: 'Add DropCapability=all', edits: [insertEntries(ref, ['DropCapability=all'])] };
    case 'set-read-only-root': {
      const current = container.readOnlyRootFilesystem;
      const r = current ? refOf(current) : undefined;
      if (current && r?.type === 'entry') return { title: 'Set ReadOnly=true', edits: [{ start: r.entry.valueSpan.start, end: r.entry.valueSpan.end, text: 'true' }] };
      if (current && r?.type === 'word-flag') return { title: 'Set --read-only in PodmanArgs', edits: [replaceWordValue(r.valueWord, '', '--read-only')] };
      return { title: 'Add ReadOnly=true', edits: [insertEntries(ref, ['ReadOnly=true'])] };
    }
    case 'set-non-root-user': {
      const at = container.user.at;
      const r = at ? refOf(at) : undefined;
      const uid = String(intent.uid);
      if (at && r?.type === 'entry') return { title: `Set User=${uid}`, edits: [{ start: r.entry.valueSpan.start, end: r.entry.valueSpan.end, text: uid }] };
      if (at && r?.type === 'word-flag') return { title: `Set --user ${uid} in PodmanArgs`, edits: [replaceWordValue(r.valueWord, r.prefix, uid)] };
      if (at) return null;
      return { title: `Add User=${uid}`, edits: [insertEntries(ref, [`User=${uid}`])] };
    }
    case 'set-confinement': {
      const conf = intent.which === 'seccomp' ? container.seccomp : container.apparmor;
      const r = conf ? refOf(conf) : undefined;
      if (!conf || !r || conf.value !== 'unconfined') return null;
      const edits = removeEdits(ref, r);
      return edits ? { title: `Remove ${describe(conf)} (the default ${intent.which === 'seccomp' ? 'seccomp' : 'AppArmor'} profile then applies)`, edits } : null;
    }
    case 'set-mount-read-only':
      return setMountReadOnly(intent.mount);
    default:
      return null;
  }
  void settings;
}

/** NoNewPrivileges=true: change a false value where it is written, or a new entry. */
function enableNnpEdits(container: Container): { title: string; edits: Edit[]; line?: string } | null {
  const current = container.noNewPrivileges;
  if (current?.value === true) return null;
  if (current) {
    const r = refOf(current);
    if (r?.type === 'entry') return { title: 'Set NoNewPrivileges=true', edits: [{ start: r.entry.valueSpan.start, end: r.entry.valueSpan.end, text: 'true' }] };
    if (r?.type === 'word-flag') return { title: 'Set no-new-privileges=true in PodmanArgs', edits: [replaceWordValue(r.valueWord, r.prefix, 'no-new-privileges=true')] };
    return null;
  }
  return { title: 'Add NoNewPrivileges=true', edits: [], line: 'NoNewPrivileges=true' };
}

function setMountReadOnly(mount: Mount): FixResult | null {
  const r = refOf(mount);
  if (mount.readOnly || !r) return null;
  const title = `Mount ${mount.value} read-only`;
  if (r.type === 'entry') {
    const e = r.entry;
    if (e.key === 'Volume') {
      const parsed = parseShortVolume(e.value);
      if (!parsed || e.value.startsWith('"')) return null;
      if (parsed.mode === undefined) return { title, edits: [{ start: e.valueSpan.end, end: e.valueSpan.end, text: ':ro' }] };
      const modes = parsed.mode.split(',').filter((m) => m.trim() !== '' && m.trim() !== 'rw');
      return { title, edits: [{ start: e.valueSpan.start, end: e.valueSpan.end, text: `${parsed.source}:${parsed.target}:${[...modes, 'ro'].join(',')}` }] };
    }
    if (e.key === 'Mount') {
      if (/(^|,)\s*(readonly|ro)\s*=/i.test(e.value) || e.value.startsWith('"')) return null;
      return { title, edits: [{ start: e.valueSpan.end, end: e.valueSpan.end, text: ',readonly' }] };
    }
    return null;
  }
  if (r.type !== 'word-flag' || r.valueWord.verbatimStart === undefined || r.valueWord.value === undefined) return null;
  const value = r.valueWord.value.slice(r.prefix.length);
  const end = r.valueWord.verbatimStart + r.valueWord.value.length;
  if (r.flag === '--volume') {
    const parsed = parseShortVolume(value);
    if (!parsed) return null;
    if (parsed.mode === undefined) return { title, edits: [{ start: end, end, text: ':ro' }] };
    const modes = parsed.mode.split(',').filter((m) => m.trim() !== '' && m.trim() !== 'rw');
    return { title, edits: [replaceWordValue(r.valueWord, r.prefix, `${parsed.source}:${parsed.target}:${[...modes, 'ro'].join(',')}`)] };
  }
  if (/(^|,)\s*(readonly|ro)\s*=/i.test(value)) return null;
  return { title, edits: [{ start: end, end, text: ',readonly' }] };
}
