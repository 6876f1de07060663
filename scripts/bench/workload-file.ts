/**
 * The "4.5 MB manifest of workloads" of issue #16: every Kubernetes document of the corpus
 * that runs a pod (Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet,
 * ReplicationController, PodTemplate), concatenated round-robin until the target size, each
 * copy made unique (a leading comment naming its source and copy, and `-<copy>` appended to
 * its `metadata.name`). Helm templates and documents holding `{{` are left out (they are not
 * YAML). Deterministic: the same corpus gives the same file.
 *
 *   node out/scripts/bench/workload-file.js [out.yaml] [--bytes N] [--corpus DIR]
 *
 * writes the file (default: stdout) and prints its size and document count on stderr.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const WORKLOAD_KINDS = new Set(['Pod', 'PodTemplate', 'ReplicationController', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/** The file: 4.56 MB. */
export const WORKLOAD_FILE_BYTES = 4_560_000;

export interface WorkloadFile {
  text: string;
  documents: number;
  /** Distinct corpus documents it is made of. */
  sources: number;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(p);
  }
  return out;
}

/** The corpus's workload documents, each with the file it comes from. */
export function corpusWorkloads(corpus: string): { source: string; text: string }[] {
  const out: { source: string; text: string }[] = [];
  for (const file of yamlFiles(corpus)) {
    if (file.includes(`${'/'}helm-templates${'/'}`)) continue;
    const text = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
    if (text.includes('{{') || /^%/m.test(text)) continue;
    for (const part of text.split(/^---(?:[ \t].*)?$/m)) {
      const kind = /^kind:[ \t]*["']?(\w+)/m.exec(part)?.[1];
      if (!kind || !WORKLOAD_KINDS.has(kind) || !/^apiVersion:/m.test(part) || /^\.\.\.$/m.test(part)) continue;
      const body = part.replace(/^\n+/, '').replace(/\s+$/, '');
      if (body.length > 0) out.push({ source: relative(corpus, file), text: body });
    }
  }
  return out;
}

/** One unique copy: a comment naming it, and the copy number on its metadata.name. */
function uniqueCopy(doc: { source: string; text: string }, copy: number): string {
  let renamed = false;
  const lines = doc.text.split('\n');
  let inMetadata = false;
  for (let i = 0; i < lines.length && !renamed; i++) {
    const line = lines[i];
    if (/^metadata:\s*$/.test(line)) inMetadata = true;
    else if (/^\S/.test(line)) inMetadata = false;
    else if (inMetadata) {
      const m = /^([ \t]+name:[ \t]*)(["']?)([^"'#\s]+)\2([ \t]*(?:#.*)?)$/.exec(line);
      if (m) {
        lines[i] = `${m[1]}${m[2]}${m[3]}-${copy}${m[2]}${m[4]}`;
        renamed = true;
      }
    }
  }
  return `# copy ${copy} of ${doc.source}\n${lines.join('\n')}\n`;
}

export function workloadFile(corpus: string, bytes = WORKLOAD_FILE_BYTES): WorkloadFile {
  const docs = corpusWorkloads(corpus);
  if (docs.length === 0) throw new Error(`no Kubernetes workload documents in ${corpus}`);
  const parts: string[] = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const part = `---\n${uniqueCopy(docs[n % docs.length], Math.floor(n / docs.length) + 1)}`;
    parts.push(part);
    size += part.length;
  }
  return { text: parts.join(''), documents: parts.length, sources: docs.length };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  let out: string | undefined;
  let bytes = WORKLOAD_FILE_BYTES;
  let corpus = process.env.CPL_CORPUS ?? join(__dirname, '..', '..', '..', '..', 'shared', 'corpus');
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--bytes') bytes = Number(args[++i]);
    else if (args[i] === '--corpus') corpus = args[++i] ?? corpus;
    else out = args[i];
  }
  const file = workloadFile(corpus, bytes);
  if (out) writeFileSync(out, file.text);
  else process.stdout.write(file.text);
  process.stderr.write(`${file.text.length} characters, ${file.documents} documents (${file.sources} distinct corpus workloads, each copy unique)\n`);
}
