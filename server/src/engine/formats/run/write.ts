/**
 * Fix intents → edits on a run command line: a flag's words removed (with their line when
 * they stand alone on a continued line), `--privileged` replaced by the `--cap-add` /
 * `--device` flags the workload needs, and new flags written right after the subcommand
 * (`docker run --cap-drop=ALL …`). Nothing is edited where a position is not exact (a folded
 * YAML scalar) or a word is not written verbatim.
 */
import type { FixResult, FormatWriter } from '../../adapters/types';
import type { Container, Edit, Located, Mount } from '../../model';
import { parseShortVolume } from '../../adapters/boundary';
import { additions, leastPrivilegeTitle, replacementTitle } from '../../replace';
import type { EngineSettings, FixIntent } from '../../rule';
import type { WordFlagRef } from '../run-model';
import { removeWords, replaceWordValue, shellWord } from '../word-edits';
import type { RunCommandRef } from './read';

function refOf(l: Located<unknown> | undefined): WordFlagRef | undefined {
  const r = l?.ref as WordFlagRef | undefined;
  return r?.type === 'word-flag' ? r : undefined;
}

function words(r: WordFlagRef): string {
  return r.words.map((w) => w.value ?? '').join(' ');
}

/** Removes a flag's words, or one item of `--cap-add=A,B`. */
function removeFlag(text: string, r: WordFlagRef): Edit[] | null {
  if (r.list && r.index !== undefined && r.list.filter((x) => x.trim() !== '').length > 1) {
    const w = r.valueWord;
    if (w.verbatimStart === undefined) return null;
    let offset = w.verbatimStart + r.prefix.length;
    for (let i = 0; i < r.index; i++) offset += (r.list[i] ?? '').length + 1;
    const item = r.list[r.index] ?? '';
    return r.index < r.list.length - 1 ? [{ start: offset, end: offset + item.length + 1, text: '' }] : [{ start: offset - 1, end: offset + item.length, text: '' }];
  }
  const first = r.words[0] ?? r.valueWord;
  const last = r.words[r.words.length - 1] ?? r.valueWord;
  return removeWords(text, { start: first.span.start, end: last.span.end });
}

function describe(r: WordFlagRef): string {
  if (r.list && r.index !== undefined && r.list.filter((x) => x.trim() !== '').length > 1) return `${(r.list[r.index] ?? '').trim()} from ${words(r)}`;
  return words(r);
}

/** New flags right after the subcommand (or before the first option word). */
function insertFlags(ref: RunCommandRef, flags: string[]): Edit | null {
  if (!ref.insert || flags.length === 0) return null;
  const text = flags.map(shellWord).join(' ');
  return ref.insert.before ? { start: ref.insert.at, end: ref.insert.at, text: `${text} ` } : { start: ref.insert.at, end: ref.insert.at, text: ` ${text}` };
}

export const runWriter: FormatWriter = {
  apply(intent: FixIntent, container: Container, settings: EngineSettings): FixResult | null {
    const ref = container.ref as RunCommandRef | undefined;
    if (!ref || ref.format !== 'run') return null;
    try {
      return apply(ref, intent, container, settings);
    } catch {
      return null;
    }
  },
};

function apply(ref: RunCommandRef, intent: FixIntent, container: Container, _settings: EngineSettings): FixResult | null {
  const { text } = ref;
  switch (intent.type) {
    case 'remove-privileged':
    case 'remove-setting':
    case 'remove-capability': {
      const target = intent.type === 'remove-capability' ? intent.cap : intent.target;
      const r = refOf(target);
      if (!r) return null;
      const edits = removeFlag(text, r);
      return edits ? { title: `Remove ${describe(r)}`, edits } : null;
    }
    case 'replace-privileged':
    case 'least-privilege': {
      const r = refOf(intent.target);
      if (!r) return null;
      const flags: string[] = [];
      const edits: Edit[] = [];
      if (intent.type === 'replace-privileged') {
        const add = additions(container, intent.inference);
        flags.push(...add.caps.map((c) => `--cap-add=${c.name}`), ...add.devices.map((d) => `--device=${d.path}`), ...add.sysctls.map((s) => `--sysctl=${s.name}=${s.value}`), ...add.securityOpt.map((o) => `--security-opt=${o.value}`));
      } else {
        if (!container.capDrop.some((c) => c.name === 'ALL')) flags.push('--cap-drop=ALL');
        const nnp = container.noNewPrivileges;
        const nr = refOf(nnp);
        if (nnp?.value === false && nr) edits.push(replaceWordValue(nr.valueWord, nr.prefix, 'no-new-privileges=true'));
        else if (nnp?.value !== true) flags.push('--security-opt=no-new-privileges');
      }
      const word = r.words[0] ?? r.valueWord;
      if (flags.length > 0) edits.push({ start: word.span.start, end: word.span.end, text: flags.map(shellWord).join(' ') });
      else edits.push(...removeWords(text, word.span));
      const title = intent.type === 'replace-privileged' ? replacementTitle(container, intent.inference).replace(/^Replace privileged with /, 'Replace --privileged with ').replace(/^Remove privileged/, 'Remove --privileged') : leastPrivilegeTitle('run');
      return { title, edits };
    }
    case 'enable-no-new-privileges': {
      const nnp = container.noNewPrivileges;
      const r = refOf(nnp);
      if (nnp?.value === true) return null;
      if (nnp && r) return { title: 'Set no-new-privileges=true', edits: [replaceWordValue(r.valueWord, r.prefix, 'no-new-privileges=true')] };
      if (nnp) return null;
      const e = insertFlags(ref, ['--security-opt=no-new-privileges']);
      return e ? { title: 'Add --security-opt=no-new-privileges', edits: [e] } : null;
    }
    case 'add-drop-all': {
      if (container.capDrop.some((c) => c.name === 'ALL')) return null;
      const e = insertFlags(ref, ['--cap-drop=ALL']);
      return e ? { title: 'Add --cap-drop=ALL', edits: [e] } : null;
    }
    case 'set-read-only-root': {
      const current = container.readOnlyRootFilesystem;
      const r = refOf(current);
      if (current && r) return { title: 'Set --read-only', edits: [{ start: r.valueWord.span.start, end: r.valueWord.span.end, text: '--read-only' }] };
      if (current) return null;
      const e = insertFlags(ref, ['--read-only']);
      return e ? { title: 'Add --read-only', edits: [e] } : null;
    }
    case 'set-non-root-user': {
      const at = container.user.at;
      const r = refOf(at);
      const uid = String(intent.uid);
      if (at && r) return { title: `Set --user ${uid}`, edits: [replaceWordValue(r.valueWord, r.prefix, uid)] };
      if (at) return null;
      const e = insertFlags(ref, [`--user=${uid}`]);
      return e ? { title: `Add --user=${uid}`, edits: [e] } : null;
    }
    case 'set-confinement': {
      const conf = intent.which === 'seccomp' ? container.seccomp : container.apparmor;
      const r = refOf(conf);
      if (!conf || !r || conf.value !== 'unconfined') return null;
      const edits = removeFlag(text, r);
      return edits ? { title: `Remove ${words(r)} (the default ${intent.which === 'seccomp' ? 'seccomp' : 'AppArmor'} profile then applies)`, edits } : null;
    }
    case 'set-mount-read-only':
      return setMountReadOnly(intent.mount);
    default:
      return null;
  }
}

function setMountReadOnly(mount: Mount): FixResult | null {
  const r = refOf(mount);
  if (mount.readOnly || !r || r.valueWord.verbatimStart === undefined || r.valueWord.value === undefined) return null;
  const title = `Mount ${mount.value} read-only`;
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
