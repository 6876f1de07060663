/**
 * The boundary fix intents in every format: exact output, the output re-parses, comments and
 * CRLF survive, and no fix where no minimal safe edit exists.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDevcontainer } from '../../server/src/engine/adapters/devcontainer';
import { parseDockerfile } from '../../server/src/engine/adapters/dockerfile';
import type { ParsedFile } from '../../server/src/engine/adapters/types';
import { parseYaml } from '../../server/src/engine/adapters/yaml';
import { applyEdits, lint } from '../../server/src/engine/index';
import type { Container, Workload } from '../../server/src/engine/model';
import type { FixIntent } from '../../server/src/engine/rule';

type Kind = 'compose' | 'kubernetes' | 'devcontainer' | 'dockerfile';
const PATHS: Record<Kind, string> = { compose: 'compose.yaml', kubernetes: 'k8s.yaml', devcontainer: '.devcontainer/devcontainer.json', dockerfile: 'Dockerfile' };

function parse(kind: Kind, text: string): ParsedFile {
  const parsed =
    kind === 'compose' ? parseYaml(text, PATHS[kind], 'compose')
    : kind === 'kubernetes' ? parseYaml(text, PATHS[kind], undefined)
    : kind === 'devcontainer' ? parseDevcontainer(text, PATHS[kind])
    : parseDockerfile(text, PATHS[kind]);
  assert.deepEqual(parsed.problems, []);
  return parsed;
}

interface Where {
  workload?: number;
  container?: number;
}

function apply(kind: Kind, text: string, intent: (c: Container, w: Workload) => FixIntent, where: Where = {}): { title: string; output: string } | null {
  const parsed = parse(kind, text);
  const w = parsed.workloads[where.workload ?? 0];
  assert.ok(w, 'expected a workload');
  const c = w.containers[where.container ?? 0];
  assert.ok(c, 'expected a container');
  const result = parsed.writer.apply(intent(c, w), c, { nonRootUid: 10001, profile: 'default' });
  if (!result) return null;
  const output = applyEdits(text, result.edits);
  assert.notEqual(output, text, 'the fix must change the text');
  const relinted = lint(output, { path: PATHS[kind] });
  assert.deepEqual(relinted.findings.filter((f) => f.ruleId === 'parse-error'), [], `re-parse failed:\n${output}`);
  parse(kind, output);
  return { title: result.title, output };
}

function fixes(kind: Kind, text: string, intent: (c: Container, w: Workload) => FixIntent, title: string, output: string, where: Where = {}): void {
  const r = apply(kind, text, intent, where);
  assert.ok(r, 'expected a fix');
  assert.equal(r.output, output);
  assert.equal(r.title, title);
}

function noFix(kind: Kind, text: string, intent: (c: Container, w: Workload) => FixIntent, where: Where = {}): void {
  assert.equal(apply(kind, text, intent, where), null);
}

const lines = (...l: string[]): string => l.join('\n');
const crlf = (s: string): string => s.replace(/\n/g, '\r\n');
const ns = (kind: string) => (_c: Container, w: Workload): FixIntent => ({ type: 'remove-setting', target: w.hostNamespaces.find((n) => n.value === kind)! });

describe('remove-setting', () => {
  it('Compose: a host namespace pair, comment kept; CRLF kept', () => {
    const text = lines('services:', '  web:', '    image: nginx', '    pid: host # for top', '    network_mode: host', '');
    fixes('compose', text, ns('pid'), 'Remove pid: host', lines('services:', '  web:', '    image: nginx', '    # for top', '    network_mode: host', ''));
    fixes('compose', crlf(text), ns('network'), 'Remove network_mode: host', crlf(lines('services:', '  web:', '    image: nginx', '    pid: host # for top', '')));
  });

  it('Compose: no fix through a merge key, extends, or when a base sets it too', () => {
    const merged = lines('x: &b', '  pid: host', 'services:', '  web:', '    <<: *b', '    image: a', '');
    noFix('compose', merged, ns('pid'));
    const extended = lines('services:', '  base:', '    ipc: host', '  web:', '    extends: base', '    image: a', '');
    noFix('compose', extended, ns('ipc'), { workload: 1 });
    const both = lines('services:', '  base:', '    ipc: host', '  web:', '    extends: base', '    ipc: host', '');
    noFix('compose', both, ns('ipc'), { workload: 1 });
  });

  it('Compose: a volume item, a device, a sysctl (map and list), use_api_socket, the list when it empties', () => {
    const text = lines(
      'services:',
      '  web:',
      '    volumes:',
      '      - ./app:/app',
      '      - /var/run/docker.sock:/var/run/docker.sock # CI',
      '    devices: [/dev/fuse, "/dev:/dev"]',
      '    sysctls:',
      '      net.core.somaxconn: 1024',
      '      net.ipv4.ip_forward: 1',
      '    use_api_socket: true',
      '',
    );
    fixes('compose', text, (c) => ({ type: 'remove-setting', target: c.mounts[1]! }), 'Remove /var/run/docker.sock:/var/run/docker.sock from volumes',
      lines('services:', '  web:', '    volumes:', '      - ./app:/app', '      # CI', '    devices: [/dev/fuse, "/dev:/dev"]', '    sysctls:', '      net.core.somaxconn: 1024', '      net.ipv4.ip_forward: 1', '    use_api_socket: true', ''));
    fixes('compose', text, (c) => ({ type: 'remove-setting', target: c.devices[1]! }), 'Remove "/dev:/dev" from devices',
      text.replace('[/dev/fuse, "/dev:/dev"]', '[/dev/fuse]'));
    fixes('compose', text, (_c, w) => ({ type: 'remove-setting', target: w.sysctls[1]! }), 'Remove net.ipv4.ip_forward: 1 from sysctls',
      text.replace('      net.ipv4.ip_forward: 1\n', ''));
    fixes('compose', text, (c) => ({ type: 'remove-setting', target: c.mounts[2]! }), 'Remove use_api_socket: true',
      text.replace('    use_api_socket: true\n', ''));
    const one = lines('services:', '  web:', '    image: a', '    sysctls:', '      - net.ipv4.ip_forward=1', '    read_only: true', '');
    fixes('compose', one, (_c, w) => ({ type: 'remove-setting', target: w.sysctls[0]! }), 'Remove net.ipv4.ip_forward=1 from sysctls',
      lines('services:', '  web:', '    image: a', '    read_only: true', ''));
  });

  it('Kubernetes: hostPID pair, a hostPort, the seccomp annotation; no fix for a hostPath volume', () => {
    const text = lines(
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '  annotations:',
      '    seccomp.security.alpha.kubernetes.io/pod: unconfined',
      'spec:',
      '  hostPID: true # debug',
      '  hostNetwork: true',
      '  containers:',
      '    - name: a',
      '      image: x',
      '      ports:',
      '        - containerPort: 80',
      '          hostPort: 80',
      '      volumeMounts:',
      '        - name: s',
      '          mountPath: /s',
      '  volumes:',
      '    - name: s',
      '      hostPath:',
      '        path: /var/run/docker.sock',
      '',
    );
    fixes('kubernetes', text, ns('pid'), 'Remove hostPID: true', text.replace('  hostPID: true # debug\n', '  # debug\n'));
    fixes('kubernetes', crlf(text), ns('network'), 'Remove hostNetwork: true', crlf(text.replace('  hostNetwork: true\n', '')));
    fixes('kubernetes', text, (c) => ({ type: 'remove-setting', target: c.hostPorts[0]! }), 'Remove hostPort: 80', text.replace('          hostPort: 80\n', ''));
    fixes('kubernetes', text, (c) => ({ type: 'remove-setting', target: c.seccomp! }), 'Remove the seccomp.security.alpha.kubernetes.io/pod annotation',
      text.replace('    seccomp.security.alpha.kubernetes.io/pod: unconfined\n', ''));
    noFix('kubernetes', text, (c) => ({ type: 'remove-setting', target: c.mounts[0]! }));
    noFix('kubernetes', text, (_c, w) => ({ type: 'remove-setting', target: w.volumeTypes[0]! }));
  });

  it('Kubernetes: no fix inside a map an alias shares', () => {
    const text = lines('apiVersion: v1', 'kind: List', 'items:', '  - apiVersion: v1', '    kind: Pod', '    metadata: {name: a}', '    spec: &s', '      hostIPC: true', '      containers: [{name: a, image: x}]', '  - apiVersion: v1', '    kind: Pod', '    metadata: {name: b}', '    spec: *s', '');
    noFix('kubernetes', text, ns('ipc'));
  });

  it('devcontainer: runArgs elements (one and two), a securityOpt item, a mounts string; comments kept', () => {
    const text = lines(
      '{',
      '  "image": "x",',
      '  // host access',
      '  "runArgs": ["--pid=host", "--network", "host", "--init"],',
      '  "securityOpt": ["label=disable"],',
      '  "mounts": [',
      '    "source=/var/run/docker.sock,target=/var/run/docker.sock,type=bind", // docker',
      '    "source=/etc,target=/e,type=bind"',
      '  ]',
      '}',
      '',
    );
    fixes('devcontainer', text, ns('pid'), 'Remove --pid=host from runArgs', text.replace('"--pid=host", ', ''));
    fixes('devcontainer', text, ns('network'), 'Remove --network host from runArgs', text.replace('"--network", "host", ', ''));
    fixes('devcontainer', text, (c) => ({ type: 'remove-setting', target: c.selinux! }), 'Remove label=disable from securityOpt', text.replace('  "securityOpt": ["label=disable"],\n', ''));
    fixes('devcontainer', text, (c) => ({ type: 'remove-setting', target: c.mounts[0]! }), 'Remove source=/var/run/docker.sock,target=/var/run/docker.sock,type=bind from mounts',
      text.replace('    "source=/var/run/docker.sock,target=/var/run/docker.sock,type=bind", // docker\n', '    // docker\n'));
    fixes('devcontainer', crlf(text), ns('pid'), 'Remove --pid=host from runArgs', crlf(text.replace('"--pid=host", ', '')));
  });

  it('Dockerfile: a VOLUME argument, the whole line when it is the only one, JSON form', () => {
    const text = lines('FROM a', '# data', 'VOLUME /data /var/run/docker.sock', 'VOLUME ["/a", "/b"]', 'VOLUME /only', 'CMD ["x"]', '');
    fixes('dockerfile', text, (c) => ({ type: 'remove-setting', target: c.mounts[1]! }), 'Remove /var/run/docker.sock from VOLUME', text.replace(' /var/run/docker.sock', ''));
    fixes('dockerfile', text, (c) => ({ type: 'remove-setting', target: c.mounts[0]! }), 'Remove /data from VOLUME', text.replace('/data ', ''));
    fixes('dockerfile', text, (c) => ({ type: 'remove-setting', target: c.mounts[2]! }), 'Remove "/a" from VOLUME', text.replace('"/a", ', ''));
    fixes('dockerfile', crlf(text), (c) => ({ type: 'remove-setting', target: c.mounts[4]! }), 'Remove VOLUME /only', crlf(text.replace('VOLUME /only\n', '')));
  });
});

describe('set-confinement', () => {
  it('Compose: removes the unconfined entries (the list when it empties)', () => {
    const text = lines('services:', '  web:', '    security_opt:', '      - seccomp:unconfined # debug', '      - no-new-privileges:true', '    image: a', '');
    fixes('compose', text, () => ({ type: 'set-confinement', which: 'seccomp', value: 'runtime/default' }), 'Remove seccomp:unconfined from security_opt',
      lines('services:', '  web:', '    security_opt:', '      # debug', '      - no-new-privileges:true', '    image: a', ''));
    const only = lines('services:', '  web:', '    security_opt: [apparmor=unconfined]', '    image: a', '');
    fixes('compose', only, () => ({ type: 'set-confinement', which: 'apparmor', value: 'runtime/default' }), 'Remove apparmor=unconfined from security_opt', lines('services:', '  web:', '    image: a', ''));
    noFix('compose', text, () => ({ type: 'set-confinement', which: 'apparmor', value: 'runtime/default' }));
    const merged = lines('x: &b', '  security_opt: [seccomp=unconfined]', 'services:', '  web:', '    <<: *b', '    image: a', '');
    noFix('compose', merged, () => ({ type: 'set-confinement', which: 'seccomp', value: 'runtime/default' }));
  });

  it('Kubernetes: Unconfined → RuntimeDefault at container or pod level, the annotation, or a new profile', () => {
    const text = lines(
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '  annotations:',
      '    container.apparmor.security.beta.kubernetes.io/a: unconfined',
      'spec:',
      '  securityContext:',
      '    seccompProfile:',
      '      type: Unconfined # legacy',
      '  containers:',
      '    - name: a',
      '      image: x',
      '      securityContext:',
      '        seccompProfile: {type: Unconfined}',
      '    - name: b',
      '      image: y',
      '',
    );
    fixes('kubernetes', text, () => ({ type: 'set-confinement', which: 'seccomp', value: 'runtime/default' }), 'Set seccompProfile type RuntimeDefault',
      text.replace('{type: Unconfined}', '{type: RuntimeDefault}'));
    fixes('kubernetes', text, () => ({ type: 'set-confinement', which: 'seccomp', value: 'runtime/default' }), 'Set seccompProfile type RuntimeDefault',
      text.replace('type: Unconfined # legacy', 'type: RuntimeDefault # legacy'), { container: 1 });
    fixes('kubernetes', crlf(text), () => ({ type: 'set-confinement', which: 'apparmor', value: 'runtime/default' }), 'Set the AppArmor annotation to runtime/default',
      crlf(text.replace('beta.kubernetes.io/a: unconfined', 'beta.kubernetes.io/a: runtime/default')));
    fixes('kubernetes', text, () => ({ type: 'set-confinement', which: 'apparmor', value: 'runtime/default' }), 'Set appArmorProfile type RuntimeDefault',
      text.replace('      image: y\n', '      image: y\n      securityContext:\n        appArmorProfile:\n          type: RuntimeDefault\n'), { container: 1 });
    const local = lines('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  containers:', '    - name: a', '      securityContext:', '        seccompProfile: {type: Localhost, localhostProfile: x.json}', '');
    noFix('kubernetes', local, () => ({ type: 'set-confinement', which: 'seccomp', value: 'runtime/default' }));
  });

  it('devcontainer: securityOpt items and runArgs --security-opt', () => {
    const text = lines('{', '  "securityOpt": ["seccomp=unconfined", "label=disable"],', '  "runArgs": ["--security-opt", "apparmor=unconfined"]', '}', '');
    fixes('devcontainer', text, () => ({ type: 'set-confinement', which: 'seccomp', value: 'runtime/default' }), 'Remove seccomp=unconfined from securityOpt', text.replace('"seccomp=unconfined", ', ''));
    fixes('devcontainer', text, () => ({ type: 'set-confinement', which: 'apparmor', value: 'runtime/default' }), 'Remove --security-opt apparmor=unconfined from runArgs', text.replace('"--security-opt", "apparmor=unconfined"', ''));
  });
});

describe('add-drop-all', () => {
  it('Compose: after cap_add, at the end of the service, into an own list (flow style kept)', () => {
    const text = lines('services:', '  web:', '    cap_add:', '      - NET_ADMIN', '    image: a', '  db:', '    image: b', '  c:', '    cap_drop: [NET_RAW]', '');
    fixes('compose', text, () => ({ type: 'add-drop-all' }), 'Add cap_drop: [ALL]', text.replace('      - NET_ADMIN\n', '      - NET_ADMIN\n    cap_drop:\n      - ALL\n'));
    fixes('compose', text, () => ({ type: 'add-drop-all' }), 'Add cap_drop: [ALL]', text.replace('    image: b\n', '    image: b\n    cap_drop:\n      - ALL\n'), { workload: 1 });
    fixes('compose', crlf(text), () => ({ type: 'add-drop-all' }), 'Add cap_drop: [ALL]', crlf(text.replace('[NET_RAW]', '[NET_RAW, ALL]')), { workload: 2 });
    noFix('compose', 'services:\n  a:\n    cap_drop: [all]\n', () => ({ type: 'add-drop-all' }));
  });

  it('Kubernetes: creates the levels needed and keeps add', () => {
    const base = lines('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  containers:', '    - name: a', '      image: x', '');
    fixes('kubernetes', base, () => ({ type: 'add-drop-all' }), 'Add capabilities.drop: [ALL]', base.replace('      image: x\n', '      image: x\n      securityContext:\n        capabilities:\n          drop:\n            - ALL\n'));
    const withAdd = base.replace('      image: x\n', '      image: x\n      securityContext:\n        capabilities:\n          add: [NET_ADMIN] # vpn\n');
    fixes('kubernetes', withAdd, () => ({ type: 'add-drop-all' }), 'Add capabilities.drop: [ALL]', withAdd.replace('# vpn\n', '# vpn\n          drop:\n            - ALL\n'));
    const withSc = base.replace('      image: x\n', '      image: x\n      securityContext:\n        runAsNonRoot: true\n');
    fixes('kubernetes', withSc, () => ({ type: 'add-drop-all' }), 'Add capabilities.drop: [ALL]', withSc.replace('runAsNonRoot: true\n', 'runAsNonRoot: true\n        capabilities:\n          drop:\n            - ALL\n'));
  });

  it('devcontainer: runArgs gets --cap-drop=ALL (created when missing)', () => {
    fixes('devcontainer', '{\n  "runArgs": ["--init"]\n}\n', () => ({ type: 'add-drop-all' }), 'Add --cap-drop=ALL to runArgs', '{\n  "runArgs": ["--init", "--cap-drop=ALL"]\n}\n');
    fixes('devcontainer', '{\r\n  "image": "x" // base\r\n}\r\n', () => ({ type: 'add-drop-all' }), 'Add --cap-drop=ALL to runArgs', '{\r\n  "image": "x", // base\r\n  "runArgs": ["--cap-drop=ALL"]\r\n}\r\n');
  });

  it('Dockerfile: no fix', () => {
    noFix('dockerfile', 'FROM a\n', () => ({ type: 'add-drop-all' }));
  });
});

describe('set-read-only-root', () => {
  it('Compose: read_only: true, replacing an own false; an override on the service when inherited', () => {
    fixes('compose', 'services:\n  a:\n    image: x\n', () => ({ type: 'set-read-only-root' }), 'Set read_only: true', 'services:\n  a:\n    image: x\n    read_only: true\n');
    fixes('compose', 'services:\n  a:\n    read_only: false # tmp\n    image: x\n', () => ({ type: 'set-read-only-root' }), 'Set read_only: true', 'services:\n  a:\n    read_only: true # tmp\n    image: x\n');
    fixes('compose', 'x: &b\n  read_only: false\nservices:\n  a:\n    <<: *b\n    image: x\n', () => ({ type: 'set-read-only-root' }), 'Set read_only: true', 'x: &b\n  read_only: false\nservices:\n  a:\n    <<: *b\n    image: x\n    read_only: true\n');
  });

  it('Kubernetes: readOnlyRootFilesystem: true', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      securityContext:\n        readOnlyRootFilesystem: false\n';
    fixes('kubernetes', text, () => ({ type: 'set-read-only-root' }), 'Set readOnlyRootFilesystem: true', text.replace('false', 'true'));
  });

  it('devcontainer: --read-only appended, or --read-only=false rewritten', () => {
    fixes('devcontainer', '{ "runArgs": ["--init"] }', () => ({ type: 'set-read-only-root' }), 'Add --read-only to runArgs', '{ "runArgs": ["--init", "--read-only"] }');
    fixes('devcontainer', '{ "runArgs": ["--read-only=false"] }', () => ({ type: 'set-read-only-root' }), 'Set --read-only in runArgs', '{ "runArgs": ["--read-only"] }');
  });
});

describe('set-mount-read-only', () => {
  it('Compose: short syntax :ro / ,ro / rw→ro (quotes kept), long syntax read_only: true; no fix for the API socket', () => {
    const text = lines(
      'services:',
      '  web:',
      '    volumes:',
      '      - /etc:/host/etc # config',
      '      - "/var/lib/docker:/d:z"',
      '      - /proc:/p:rw',
      '      - type: bind',
      '        source: /sys',
      '        target: /s',
      '    use_api_socket: true',
      '',
    );
    const ro = (i: number) => (c: Container): FixIntent => ({ type: 'set-mount-read-only', mount: c.mounts[i]! });
    fixes('compose', text, ro(0), 'Mount /etc read-only', text.replace('/etc:/host/etc #', '/etc:/host/etc:ro #'));
    fixes('compose', text, ro(1), 'Mount /var/lib/docker read-only', text.replace('"/var/lib/docker:/d:z"', '"/var/lib/docker:/d:z,ro"'));
    fixes('compose', text, ro(2), 'Mount /proc read-only', text.replace('/proc:/p:rw', '/proc:/p:ro'));
    fixes('compose', crlf(text), ro(3), 'Mount /sys read-only', crlf(text.replace('        target: /s\n', '        target: /s\n        read_only: true\n')));
    noFix('compose', text, ro(4));
  });

  it('Kubernetes: the volumeMount gets readOnly: true', () => {
    const text = lines('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  containers:', '    - name: a', '      volumeMounts:', '        - name: etc', '          mountPath: /host/etc', '  volumes:', '    - name: etc', '      hostPath: {path: /etc}', '');
    fixes('kubernetes', text, (c) => ({ type: 'set-mount-read-only', mount: c.mounts[0]! }), 'Mount /etc read-only', text.replace('mountPath: /host/etc\n', 'mountPath: /host/etc\n          readOnly: true\n'));
    const rw = text.replace('mountPath: /host/etc\n', 'mountPath: /host/etc\n          readOnly: false\n');
    fixes('kubernetes', rw, (c) => ({ type: 'set-mount-read-only', mount: c.mounts[0]! }), 'Mount /etc read-only', text.replace('mountPath: /host/etc\n', 'mountPath: /host/etc\n          readOnly: true\n'));
  });

  it('devcontainer: mount strings get ,readonly; -v gets :ro; objects have no read-only field', () => {
    const text = lines('{', '  "mounts": ["source=/etc,target=/e,type=bind", {"source": "/sys", "target": "/s", "type": "bind"}],', '  "runArgs": ["-v", "/proc:/p", "--volume=/dev:/dev:z", "--mount=type=bind,src=/run,dst=/r"]', '}', '');
    const ro = (i: number) => (c: Container): FixIntent => ({ type: 'set-mount-read-only', mount: c.mounts[i]! });
    fixes('devcontainer', text, ro(0), 'Mount /etc read-only', text.replace('type=bind"', 'type=bind,readonly"'));
    noFix('devcontainer', text, ro(1));
    fixes('devcontainer', text, ro(2), 'Mount /proc read-only', text.replace('"/proc:/p"', '"/proc:/p:ro"'));
    fixes('devcontainer', text, ro(3), 'Mount /dev read-only', text.replace('"--volume=/dev:/dev:z"', '"--volume=/dev:/dev:z,ro"'));
    fixes('devcontainer', text, ro(4), 'Mount /run read-only', text.replace('dst=/r"', 'dst=/r,readonly"'));
  });
});

describe('set-host-users-false', () => {
  it('Kubernetes: hostUsers: false in the pod spec (inserted or rewritten); nothing elsewhere', () => {
    const text = lines('apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: d}', 'spec:', '  template:', '    spec:', '      containers:', '        - name: a', '          image: x', '');
    fixes('kubernetes', text, () => ({ type: 'set-host-users-false' }), 'Set hostUsers: false', `${text}      hostUsers: false\n`);
    const on = text.replace('    spec:\n', '    spec:\n      hostUsers: true # default\n');
    fixes('kubernetes', crlf(on), () => ({ type: 'set-host-users-false' }), 'Set hostUsers: false', crlf(on.replace('hostUsers: true', 'hostUsers: false')));
    noFix('kubernetes', text.replace('    spec:\n', '    spec:\n      hostUsers: false\n'), () => ({ type: 'set-host-users-false' }));
    noFix('compose', 'services:\n  a:\n    image: x\n', () => ({ type: 'set-host-users-false' }));
  });
});
