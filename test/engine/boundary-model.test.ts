/**
 * The container-boundary part of the model: host namespaces, confinement, unmasked paths,
 * mounts, devices, read-only root, host ports, build, runtime, probe hosts, sysctls and
 * volume types, in every format they apply to, with the exact text of each span.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDevcontainer } from '../../server/src/engine/adapters/devcontainer';
import { parseDockerfile } from '../../server/src/engine/adapters/dockerfile';
import type { ParsedFile } from '../../server/src/engine/adapters/types';
import { parseYaml } from '../../server/src/engine/adapters/yaml';
import type { Container, Located, Mount, Span, Workload } from '../../server/src/engine/model';

type Kind = 'compose' | 'kubernetes' | 'devcontainer' | 'dockerfile';

function parse(kind: Kind, text: string): ParsedFile {
  const parsed =
    kind === 'compose' ? parseYaml(text, 'compose.yaml', 'compose')
    : kind === 'kubernetes' ? parseYaml(text, 'k8s.yaml', undefined)
    : kind === 'devcontainer' ? parseDevcontainer(text, '.devcontainer/devcontainer.json')
    : parseDockerfile(text, 'Dockerfile');
  assert.deepEqual(parsed.problems, []);
  return parsed;
}

function workload(kind: Kind, text: string, index = 0): Workload {
  const w = parse(kind, text).workloads[index];
  assert.ok(w, 'expected a workload');
  return w;
}

function container(kind: Kind, text: string, w = 0, c = 0): Container {
  const found = workload(kind, text, w).containers[c];
  assert.ok(found, 'expected a container');
  return found;
}

const slice = (text: string, span: Span | undefined): string | undefined => (span ? text.slice(span.start, span.end) : undefined);

/** A located value as the texts it points at. */
function view(text: string, l: Located<unknown> | undefined): Record<string, unknown> | undefined {
  if (!l) return undefined;
  const out: Record<string, unknown> = { value: l.value, span: slice(text, l.span), valueSpan: slice(text, l.valueSpan), field: l.field };
  if (l.via) out.via = slice(text, l.via);
  if ('source' in l) out.source = (l as { source: unknown }).source;
  return out;
}

function mountView(text: string, m: Mount): Record<string, unknown> {
  const out: Record<string, unknown> = { ...view(text, m), readOnly: m.readOnly, form: m.form };
  if (m.target !== undefined) out.target = m.target;
  if (m.hostPathType !== undefined) out.hostPathType = m.hostPathType;
  if (m.relative) out.relative = true;
  return out;
}

const views = (text: string, list: Located<unknown>[]): unknown[] => list.map((l) => view(text, l));

describe('boundary model: Compose', () => {
  const text = [
    'x-base: &base',
    '  pid: host',
    '  security_opt:',
    '    - apparmor:unconfined',
    'services:',
    '  base:',
    '    image: a',
    '    ipc: host',
    '    volumes:',
    '      - /etc:/host/etc',
    '    sysctls:',
    '      net.core.somaxconn: 1024',
    '  web:',
    '    <<: *base',
    '    extends: base',
    '    image: nginx',
    '    network_mode: host',
    '    userns_mode: "host"',
    '    uts: host',
    '    cgroup: host',
    '    security_opt:',
    '      - seccomp=unconfined',
    '      - label=disable',
    '      - "label:user:USER"',
    '      - systempaths=unconfined',
    '      - writable-cgroups',
    '    volumes:',
    '      - /var/run/docker.sock:/var/run/docker.sock:ro',
    '      - ./data/:/data',
    '      - named:/x',
    '      - /anonymous',
    '      - "${SOCK:-/run//containerd/containerd.sock}:/s"',
    '      - type: bind',
    '        source: /var/lib/docker/',
    '        target: /d',
    '        read_only: true',
    '      - type: volume',
    '        source: v',
    '        target: /v',
    '    use_api_socket: true',
    '    devices:',
    '      - /dev/ttyUSB0:/dev/ttyUSB0:rwm',
    '      - source: /dev/fuse',
    '      - nvidia.com/gpu=all',
    '    device_cgroup_rules:',
    "      - 'a *:* rwm'",
    '    read_only: yes',
    '    build:',
    '      context: ./app',
    '      dockerfile: Dockerfile.prod',
    '    runtime: runsc',
    '    sysctls:',
    '      - net.ipv4.ip_forward=1',
    '  db:',
    '    build: ./db',
    '    pid: service:web',
    '    network_mode: bridge',
    '',
  ].join('\n');

  it('host namespaces: own, through a merge key and through extends; only `host` counts', () => {
    assert.deepEqual(views(text, workload('compose', text, 1).hostNamespaces), [
      { value: 'pid', span: 'pid: host', valueSpan: 'host', field: 'pid', via: '*base' },
      { value: 'ipc', span: 'ipc: host', valueSpan: 'host', field: 'ipc', via: 'extends' },
      { value: 'uts', span: 'uts: host', valueSpan: 'host', field: 'uts' },
      { value: 'cgroup', span: 'cgroup: host', valueSpan: 'host', field: 'cgroup' },
      { value: 'network', span: 'network_mode: host', valueSpan: 'host', field: 'network_mode' },
      { value: 'user', span: 'userns_mode: "host"', valueSpan: '"host"', field: 'userns_mode' },
    ]);
    assert.deepEqual(workload('compose', text, 2).hostNamespaces, []);
  });

  it('confinement from security_opt (an own list hides the merge key\'s), SELinux user, unmasked paths', () => {
    const c = container('compose', text, 1);
    assert.deepEqual(view(text, c.seccomp), { value: 'unconfined', span: 'seccomp=unconfined', valueSpan: 'seccomp=unconfined', field: 'security_opt', source: 'security_opt' });
    assert.equal(c.apparmor, undefined);
    assert.deepEqual(view(text, c.selinux), { value: 'disable', span: 'label=disable', valueSpan: 'label=disable', field: 'security_opt', source: 'security_opt' });
    assert.deepEqual(view(text, c.seLinuxUser), { value: 'USER', span: '"label:user:USER"', valueSpan: '"label:user:USER"', field: 'security_opt' });
    assert.deepEqual(views(text, c.unmasked), [
      { value: 'systempaths=unconfined', span: 'systempaths=unconfined', valueSpan: 'systempaths=unconfined', field: 'security_opt' },
      { value: 'writable-cgroups', span: 'writable-cgroups', valueSpan: 'writable-cgroups', field: 'security_opt' },
    ]);
  });

  it('apparmor through a merge key when the service has no own security_opt', () => {
    const t = 'x: &b\n  security_opt: ["apparmor=unconfined", "seccomp:/p.json"]\nservices:\n  s:\n    <<: *b\n    image: a\n';
    const c = container('compose', t);
    assert.deepEqual(view(t, c.apparmor), { value: 'unconfined', span: '"apparmor=unconfined"', valueSpan: '"apparmor=unconfined"', field: 'security_opt', via: '*b', source: 'security_opt' });
    assert.deepEqual(view(t, c.seccomp), { value: '/p.json', span: '"seccomp:/p.json"', valueSpan: '"seccomp:/p.json"', field: 'security_opt', via: '*b', source: 'security_opt' });
  });

  it('SELinux: disable wins over a type label, a type over other labels; bare disable; label=type', () => {
    const t = 'services:\n  a:\n    security_opt: ["label=type:spc_t", "label=level:s0", "disable"]\n  b:\n    security_opt: ["label=level:s0", "label=type:spc_t", "label=role:r"]\n';
    assert.deepEqual(view(t, container('compose', t, 0).selinux), { value: 'disable', span: '"disable"', valueSpan: '"disable"', field: 'security_opt', source: 'security_opt' });
    const b = container('compose', t, 1);
    assert.deepEqual(view(t, b.selinux), { value: 'type:spc_t', span: '"label=type:spc_t"', valueSpan: '"label=type:spc_t"', field: 'security_opt', source: 'security_opt' });
    assert.equal(b.seLinuxRole?.value, 'r');
    const unmasked = 'services:\n  a:\n    security_opt: ["writable-cgroups=false", "writable-cgroups:true", "systempaths:unconfined"]\n';
    assert.deepEqual(container('compose', unmasked).unmasked.map((u) => u.value), ['writable-cgroups:true']);
  });

  it('mounts: short and long bind syntax, normalised, relative, interpolated; named and anonymous volumes skipped; use_api_socket', () => {
    assert.deepEqual(container('compose', text, 1).mounts.map((m) => mountView(text, m)), [
      { value: '/etc', span: '/etc:/host/etc', valueSpan: '/etc', field: 'volumes', via: 'extends', readOnly: false, form: 'bind', target: '/host/etc' },
      { value: '/var/run/docker.sock', span: '/var/run/docker.sock:/var/run/docker.sock:ro', valueSpan: '/var/run/docker.sock', field: 'volumes', readOnly: true, form: 'bind', target: '/var/run/docker.sock' },
      { value: './data/', span: './data/:/data', valueSpan: './data/', field: 'volumes', readOnly: false, form: 'bind', target: '/data', relative: true },
      { value: '/run/containerd/containerd.sock', span: '"${SOCK:-/run//containerd/containerd.sock}:/s"', valueSpan: '${SOCK:-/run//containerd/containerd.sock}', field: 'volumes', readOnly: false, form: 'bind', target: '/s' },
      { value: '/var/lib/docker', span: 'type: bind\n        source: /var/lib/docker/\n        target: /d\n        read_only: true', valueSpan: '/var/lib/docker/', field: 'volumes', readOnly: true, form: 'bind', target: '/d' },
      { value: '/var/run/docker.sock', span: 'use_api_socket: true', valueSpan: 'true', field: 'use_api_socket', readOnly: false, form: 'api-socket', target: '/var/run/docker.sock' },
    ]);
    const modes = 'services:\n  a:\n    volumes: ["/:/host:ro,z", "~/x:/x:rw", "//etc//:/e"]\n';
    assert.deepEqual(container('compose', modes).mounts.map((m) => [m.value, m.readOnly, m.relative === true]), [['/', true, false], ['~/x', false, true], ['/etc', false, false]]);
  });

  it('devices (short, long, CDI) and device cgroup rules', () => {
    const c = container('compose', text, 1);
    assert.deepEqual(views(text, c.devices), [
      { value: '/dev/ttyUSB0', span: '/dev/ttyUSB0:/dev/ttyUSB0:rwm', valueSpan: '/dev/ttyUSB0', field: 'devices' },
      { value: '/dev/fuse', span: 'source: /dev/fuse', valueSpan: '/dev/fuse', field: 'devices' },
      { value: 'nvidia.com/gpu=all', span: 'nvidia.com/gpu=all', valueSpan: 'nvidia.com/gpu=all', field: 'devices' },
    ]);
    assert.deepEqual(views(text, c.deviceCgroupRules), [{ value: 'a *:* rwm', span: "'a *:* rwm'", valueSpan: "'a *:* rwm'", field: 'device_cgroup_rules' }]);
  });

  it('read_only (YAML 1.1 boolean), build (map and string), runtime; Kubernetes-only lists are empty', () => {
    const c = container('compose', text, 1);
    assert.deepEqual(view(text, c.readOnlyRootFilesystem), { value: true, span: 'read_only: yes', valueSpan: 'yes', field: 'read_only' });
    assert.deepEqual(view(text, c.build), { value: { context: './app', dockerfile: 'Dockerfile.prod' }, span: 'build:\n      context: ./app\n      dockerfile: Dockerfile.prod', valueSpan: 'context: ./app\n      dockerfile: Dockerfile.prod', field: 'build' });
    assert.deepEqual(view(text, container('compose', text, 2).build), { value: { context: './db' }, span: 'build: ./db', valueSpan: './db', field: 'build' });
    assert.deepEqual(view(text, c.runtime), { value: 'runsc', span: 'runtime: runsc', valueSpan: 'runsc', field: 'runtime' });
    assert.deepEqual([c.hostPorts, c.probeHosts, workload('compose', text, 1).volumeTypes, workload('compose', text, 1).unmountedHostPaths], [[], [], [], []]);
    assert.deepEqual(container('compose', 'services:\n  a:\n    build: {dockerfile: D}\n').build?.value, { context: '.', dockerfile: 'D' });
  });

  it('sysctls: list and map, nearest first across extends, each name once', () => {
    assert.deepEqual(views(text, workload('compose', text, 1).sysctls), [
      { value: 'net.ipv4.ip_forward', span: 'net.ipv4.ip_forward=1', valueSpan: 'net.ipv4.ip_forward', field: 'sysctls' },
      { value: 'net.core.somaxconn', span: 'net.core.somaxconn: 1024', valueSpan: 'net.core.somaxconn', field: 'sysctls', via: 'extends' },
    ]);
  });

  it('CRLF: spans still point at the setting', () => {
    const crlf = 'services:\r\n  a:\r\n    pid: host\r\n    volumes:\r\n      - /etc:/etc:ro\r\n    read_only: true\r\n';
    const w = workload('compose', crlf);
    assert.equal(slice(crlf, w.hostNamespaces[0]?.span), 'pid: host');
    assert.equal(slice(crlf, w.containers[0]?.mounts[0]?.span), '/etc:/etc:ro');
    assert.equal(slice(crlf, w.containers[0]?.readOnlyRootFilesystem?.span), 'read_only: true');
  });
});

describe('boundary model: Kubernetes', () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    'spec:',
    '  template:',
    '    metadata:',
    '      annotations:',
    '        seccomp.security.alpha.kubernetes.io/pod: unconfined',
    '        container.seccomp.security.alpha.kubernetes.io/side: docker/default',
    '        container.apparmor.security.beta.kubernetes.io/app: unconfined',
    '    spec:',
    '      hostPID: true',
    '      hostIPC: yes',
    '      hostNetwork: false',
    '      hostUsers: false',
    '      securityContext:',
    '        sysctls:',
    '          - name: net.ipv4.ip_forward',
    '            value: "1"',
    '        seccompProfile:',
    '          type: Localhost',
    '          localhostProfile: prof.json',
    '        seLinuxOptions:',
    '          type: spc_t',
    '          user: system_u',
    '        windowsOptions:',
    '          hostProcess: true',
    '      initContainers:',
    '        - name: init',
    '          image: z',
    '      containers:',
    '        - name: app',
    '          image: x',
    '          securityContext:',
    '            seccompProfile:',
    '              type: Unconfined',
    '            procMount: Unmasked',
    '            readOnlyRootFilesystem: true',
    '            seLinuxOptions:',
    '              role: r',
    '          ports:',
    '            - containerPort: 80',
    '              hostPort: 8080',
    '            - containerPort: 81',
    '              hostPort: 0',
    '          livenessProbe:',
    '            httpGet:',
    '              host: 10.0.0.1',
    '              port: 80',
    '          readinessProbe:',
    '            tcpSocket:',
    '              host: ""',
    '          lifecycle:',
    '            preStop:',
    '              tcpSocket:',
    '                host: example.com',
    '          volumeMounts:',
    '            - name: sock',
    '              mountPath: /var/run/docker.sock',
    '              readOnly: true',
    '            - name: cfg',
    '              mountPath: /cfg',
    '        - name: side',
    '          image: y',
    '          securityContext:',
    '            procMount: Default',
    '            windowsOptions:',
    '              hostProcess: false',
    '          volumeMounts:',
    '            - name: sock',
    '              mountPath: /s',
    '      volumes:',
    '        - name: sock',
    '          hostPath:',
    '            path: //var/run/docker.sock/',
    '            type: Socket',
    '        - name: dev',
    '          hostPath:',
    '            path: /dev',
    '        - name: cfg',
    '          configMap:',
    '            name: c',
    '',
  ].join('\n');

  it('pod level: host namespaces (YAML 1.1 booleans, false ignored), hostUsers, sysctls, volume types, hostProcess', () => {
    const w = workload('kubernetes', text);
    assert.deepEqual(views(text, w.hostNamespaces), [
      { value: 'pid', span: 'hostPID: true', valueSpan: 'true', field: 'hostPID' },
      { value: 'ipc', span: 'hostIPC: yes', valueSpan: 'yes', field: 'hostIPC' },
    ]);
    assert.deepEqual(view(text, w.hostUsers), { value: false, span: 'hostUsers: false', valueSpan: 'false', field: 'hostUsers' });
    assert.deepEqual(views(text, w.sysctls), [{ value: 'net.ipv4.ip_forward', span: 'name: net.ipv4.ip_forward\n            value: "1"', valueSpan: 'net.ipv4.ip_forward', field: 'spec.securityContext.sysctls' }]);
    assert.deepEqual(w.volumeTypes.map((v) => [v.value, slice(text, v.valueSpan)]), [['hostPath', 'hostPath'], ['hostPath', 'hostPath'], ['configMap', 'configMap']]);
    assert.equal(slice(text, w.volumeTypes[2]?.span), 'name: cfg\n          configMap:\n            name: c');
    assert.deepEqual(view(text, w.windowsHostProcess), { value: true, span: 'hostProcess: true', valueSpan: 'true', field: 'spec.securityContext.windowsOptions.hostProcess' });
  });

  it('hostPath volumes: per mounting container with its readOnly and mountPath; unmounted ones on the workload', () => {
    const w = workload('kubernetes', text);
    const sock = 'name: sock\n          hostPath:\n            path: //var/run/docker.sock/\n            type: Socket';
    assert.deepEqual(w.containers[1]?.mounts.map((m) => mountView(text, m)), [
      { value: '/var/run/docker.sock', span: sock, valueSpan: '//var/run/docker.sock/', field: 'volumes.hostPath', readOnly: true, form: 'hostPath', target: '/var/run/docker.sock', hostPathType: 'Socket' },
    ]);
    assert.deepEqual(w.containers[2]?.mounts.map((m) => [m.value, m.readOnly, m.target]), [['/var/run/docker.sock', false, '/s']]);
    assert.deepEqual(w.containers[0]?.mounts, []);
    assert.deepEqual(w.unmountedHostPaths.map((m) => mountView(text, m)), [
      { value: '/dev', span: 'name: dev\n          hostPath:\n            path: /dev', valueSpan: '/dev', field: 'volumes.hostPath', readOnly: false, form: 'hostPath' },
    ]);
    assert.deepEqual(w.containers[1]?.devices, []);
  });

  it('seccomp: container field over pod field over annotations (container annotation first); normalised values', () => {
    const [init, app, side] = workload('kubernetes', text).containers;
    assert.deepEqual(view(text, app?.seccomp), { value: 'unconfined', span: 'type: Unconfined', valueSpan: 'Unconfined', field: 'securityContext.seccompProfile.type', source: 'container' });
    assert.deepEqual(view(text, side?.seccomp), { value: 'localhost/prof.json', span: 'type: Localhost', valueSpan: 'Localhost', field: 'spec.securityContext.seccompProfile.type', source: 'pod' });
    assert.equal(init?.seccomp?.source, 'pod');
    const annotated = text.replace('        seccompProfile:\n          type: Localhost\n          localhostProfile: prof.json\n', '');
    const [init2, , side2] = workload('kubernetes', annotated).containers;
    assert.deepEqual(view(annotated, side2?.seccomp), { value: 'runtime/default', span: 'container.seccomp.security.alpha.kubernetes.io/side: docker/default', valueSpan: 'docker/default', field: 'metadata.annotations', source: 'annotation' });
    assert.deepEqual(view(annotated, init2?.seccomp), { value: 'unconfined', span: 'seccomp.security.alpha.kubernetes.io/pod: unconfined', valueSpan: 'unconfined', field: 'metadata.annotations', source: 'annotation' });
  });

  it('AppArmor: the container annotation where no field is set; a field wins', () => {
    const [, app, side] = workload('kubernetes', text).containers;
    assert.deepEqual(view(text, app?.apparmor), { value: 'unconfined', span: 'container.apparmor.security.beta.kubernetes.io/app: unconfined', valueSpan: 'unconfined', field: 'metadata.annotations', source: 'annotation' });
    assert.equal(side?.apparmor, undefined);
    const withField = text.replace('            procMount: Unmasked\n', '            procMount: Unmasked\n            appArmorProfile:\n              type: RuntimeDefault\n');
    assert.deepEqual(view(withField, workload('kubernetes', withField).containers[1]?.apparmor), { value: 'runtime/default', span: 'type: RuntimeDefault', valueSpan: 'RuntimeDefault', field: 'securityContext.appArmorProfile.type', source: 'container' });
  });

  it('SELinux: the container map replaces the pod map whole; user and role kept; pod level kept on the workload', () => {
    const w = workload('kubernetes', text);
    const [, app, side] = w.containers;
    assert.equal(app?.selinux, undefined);
    assert.deepEqual(view(text, app?.seLinuxRole), { value: 'r', span: 'role: r', valueSpan: 'r', field: 'securityContext.seLinuxOptions.role' });
    assert.equal(app?.seLinuxUser, undefined);
    assert.deepEqual(view(text, side?.selinux), { value: 'type:spc_t', span: 'type: spc_t', valueSpan: 'spc_t', field: 'spec.securityContext.seLinuxOptions.type', source: 'pod' });
    assert.deepEqual(view(text, side?.seLinuxUser), { value: 'system_u', span: 'user: system_u', valueSpan: 'system_u', field: 'spec.securityContext.seLinuxOptions.user' });
    assert.deepEqual(
      [w.podConfinement?.seccomp?.value, w.podConfinement?.selinux?.value, w.podConfinement?.seLinuxUser?.value, w.podConfinement?.apparmor],
      ['localhost/prof.json', 'type:spc_t', 'system_u', undefined],
    );
  });

  it('procMount, readOnlyRootFilesystem, hostPorts (0 ignored), probe and lifecycle hosts ("" ignored), container hostProcess', () => {
    const [, app, side] = workload('kubernetes', text).containers;
    assert.deepEqual(views(text, app?.unmasked ?? []), [{ value: 'Unmasked', span: 'procMount: Unmasked', valueSpan: 'Unmasked', field: 'securityContext.procMount' }]);
    assert.deepEqual(side?.unmasked, []);
    assert.deepEqual(view(text, app?.readOnlyRootFilesystem), { value: true, span: 'readOnlyRootFilesystem: true', valueSpan: 'true', field: 'securityContext.readOnlyRootFilesystem' });
    assert.deepEqual(views(text, app?.hostPorts ?? []), [{ value: 8080, span: 'hostPort: 8080', valueSpan: '8080', field: 'ports.hostPort' }]);
    assert.deepEqual(views(text, app?.probeHosts ?? []), [
      { value: '10.0.0.1', span: 'host: 10.0.0.1', valueSpan: '10.0.0.1', field: 'livenessProbe.httpGet.host' },
      { value: 'example.com', span: 'host: example.com', valueSpan: 'example.com', field: 'lifecycle.preStop.tcpSocket.host' },
    ]);
    assert.deepEqual(view(text, side?.windowsHostProcess), { value: false, span: 'hostProcess: false', valueSpan: 'false', field: 'securityContext.windowsOptions.hostProcess' });
    assert.equal(app?.windowsHostProcess, undefined);
  });

  it('Pod metadata annotations and aliases: a shared securityContext through an anchor', () => {
    const t = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '  annotations:',
      '    container.apparmor.security.beta.kubernetes.io/a: localhost/prof',
      'spec:',
      '  hostNetwork: true',
      '  containers:',
      '    - name: a',
      '      securityContext: &sc',
      '        seccompProfile: {type: RuntimeDefault}',
      '    - name: b',
      '      securityContext: *sc',
      '',
    ].join('\n');
    const w = workload('kubernetes', t);
    assert.deepEqual(view(t, w.hostNamespaces[0]), { value: 'network', span: 'hostNetwork: true', valueSpan: 'true', field: 'hostNetwork' });
    assert.equal(w.containers[0]?.apparmor?.value, 'localhost/prof');
    assert.equal(w.containers[1]?.apparmor, undefined);
    assert.deepEqual(view(t, w.containers[1]?.seccomp), { value: 'runtime/default', span: 'type: RuntimeDefault', valueSpan: 'RuntimeDefault', field: 'securityContext.seccompProfile.type', source: 'container' });
  });

  it('CronJob template metadata, CRLF', () => {
    const t = 'apiVersion: batch/v1\r\nkind: CronJob\r\nmetadata:\r\n  name: c\r\nspec:\r\n  jobTemplate:\r\n    spec:\r\n      template:\r\n        metadata:\r\n          annotations:\r\n            seccomp.security.alpha.kubernetes.io/pod: unconfined\r\n        spec:\r\n          hostPID: true\r\n          containers:\r\n            - name: a\r\n              image: x\r\n';
    const w = workload('kubernetes', t);
    assert.equal(slice(t, w.hostNamespaces[0]?.span), 'hostPID: true');
    assert.deepEqual(view(t, w.containers[0]?.seccomp), { value: 'unconfined', span: 'seccomp.security.alpha.kubernetes.io/pod: unconfined', valueSpan: 'unconfined', field: 'metadata.annotations', source: 'annotation' });
  });
});

describe('boundary model: devcontainer.json', () => {
  const text = [
    '{',
    '  // comment',
    '  "image": "x",',
    '  "securityOpt": ["seccomp=unconfined", "label=type:spc_t"],',
    '  "mounts": [',
    '    "source=/var/run/docker.sock,target=/var/run/docker-host.sock,type=bind",',
    '    "source=vol,target=/v,type=volume",',
    '    { "source": "/etc/", "target": "/e", "type": "bind" },',
    '    "type=bind,src=${localEnv:HOME}/.ssh,dst=/root/.ssh,readonly"',
    '  ],',
    '  "runArgs": [',
    '    "--pid=host", "--network", "host", "--net=bridge", "--userns=host", "--cgroupns", "host", "--ipc=host", "--uts=host",',
    '    "-v", "/:/host:ro", "--volume=/var/lib/docker:/d", "--mount", "type=bind,source=/sys,target=/s",',
    '    "--device=/dev/ttyUSB0:/dev/ttyUSB0", "--device-cgroup-rule", "a *:* rwm",',
    '    "--read-only", "--security-opt", "apparmor:unconfined", "--security-opt=systempaths=unconfined", "--use-api-socket"',
    '  ]',
    '}',
    '',
  ].join('\n');

  it('host namespaces from runArgs, one- and two-element forms', () => {
    assert.deepEqual(views(text, workload('devcontainer', text).hostNamespaces), [
      { value: 'pid', span: '"--pid=host"', valueSpan: 'host', field: 'runArgs' },
      { value: 'network', span: '"--network", "host"', valueSpan: 'host', field: 'runArgs' },
      { value: 'user', span: '"--userns=host"', valueSpan: 'host', field: 'runArgs' },
      { value: 'cgroup', span: '"--cgroupns", "host"', valueSpan: 'host', field: 'runArgs' },
      { value: 'ipc', span: '"--ipc=host"', valueSpan: 'host', field: 'runArgs' },
      { value: 'uts', span: '"--uts=host"', valueSpan: 'host', field: 'runArgs' },
    ]);
    const net = '{ "runArgs": ["--net=host"] }';
    assert.deepEqual(views(net, workload('devcontainer', net).hostNamespaces), [{ value: 'network', span: '"--net=host"', valueSpan: 'host', field: 'runArgs' }]);
  });

  it('confinement from securityOpt and runArgs --security-opt; unmasked paths', () => {
    const c = container('devcontainer', text);
    assert.deepEqual(view(text, c.seccomp), { value: 'unconfined', span: '"seccomp=unconfined"', valueSpan: '"seccomp=unconfined"', field: 'securityOpt', source: 'security_opt' });
    assert.deepEqual(view(text, c.apparmor), { value: 'unconfined', span: '"--security-opt", "apparmor:unconfined"', valueSpan: 'apparmor:unconfined', field: 'runArgs', source: 'runArgs' });
    assert.deepEqual(view(text, c.selinux), { value: 'type:spc_t', span: '"label=type:spc_t"', valueSpan: '"label=type:spc_t"', field: 'securityOpt', source: 'security_opt' });
    assert.deepEqual(views(text, c.unmasked), [{ value: 'systempaths=unconfined', span: '"--security-opt=systempaths=unconfined"', valueSpan: 'systempaths=unconfined', field: 'runArgs' }]);
  });

  it('mounts: mount strings and objects, -v, --volume, --mount, --use-api-socket; volumes skipped', () => {
    assert.deepEqual(container('devcontainer', text).mounts.map((m) => mountView(text, m)), [
      { value: '/var/run/docker.sock', span: '"source=/var/run/docker.sock,target=/var/run/docker-host.sock,type=bind"', valueSpan: '/var/run/docker.sock', field: 'mounts', readOnly: false, form: 'mount-string', target: '/var/run/docker-host.sock' },
      { value: '/etc', span: '{ "source": "/etc/", "target": "/e", "type": "bind" }', valueSpan: '/etc/', field: 'mounts', readOnly: false, form: 'bind', target: '/e' },
      { value: '${localEnv:HOME}/.ssh', span: '"type=bind,src=${localEnv:HOME}/.ssh,dst=/root/.ssh,readonly"', valueSpan: '${localEnv:HOME}/.ssh', field: 'mounts', readOnly: true, form: 'mount-string', target: '/root/.ssh', relative: true },
      { value: '/', span: '"-v", "/:/host:ro"', valueSpan: '/', field: 'runArgs', readOnly: true, form: 'bind', target: '/host' },
      { value: '/var/lib/docker', span: '"--volume=/var/lib/docker:/d"', valueSpan: '/var/lib/docker', field: 'runArgs', readOnly: false, form: 'bind', target: '/d' },
      { value: '/sys', span: '"--mount", "type=bind,source=/sys,target=/s"', valueSpan: '/sys', field: 'runArgs', readOnly: false, form: 'mount-string', target: '/s' },
      { value: '/var/run/docker.sock', span: '"--use-api-socket"', valueSpan: '"--use-api-socket"', field: 'runArgs', readOnly: false, form: 'api-socket', target: '/var/run/docker.sock' },
    ]);
  });

  it('devices, device cgroup rules, --read-only', () => {
    const c = container('devcontainer', text);
    assert.deepEqual(views(text, c.devices), [{ value: '/dev/ttyUSB0', span: '"--device=/dev/ttyUSB0:/dev/ttyUSB0"', valueSpan: '/dev/ttyUSB0', field: 'runArgs' }]);
    assert.deepEqual(views(text, c.deviceCgroupRules), [{ value: 'a *:* rwm', span: '"--device-cgroup-rule", "a *:* rwm"', valueSpan: 'a *:* rwm', field: 'runArgs' }]);
    assert.deepEqual(view(text, c.readOnlyRootFilesystem), { value: true, span: '"--read-only"', valueSpan: '"--read-only"', field: 'runArgs' });
    const off = '{ "runArgs": ["--read-only=false"] }';
    assert.equal(container('devcontainer', off).readOnlyRootFilesystem?.value, false);
  });

  it('CRLF and a BOM keep offsets', () => {
    const t = '\uFEFF{\r\n  "runArgs": ["--pid=host", "-v", "/etc:/etc"]\r\n}\r\n';
    const w = workload('devcontainer', t);
    assert.equal(slice(t, w.hostNamespaces[0]?.span), '"--pid=host"');
    assert.equal(slice(t, w.containers[0]?.mounts[0]?.valueSpan), '/etc');
  });
});

describe('boundary model: Dockerfile', () => {
  it('VOLUME arguments of the final stage and the stages it is built on, plain and JSON form', () => {
    const text = 'FROM a AS base\nVOLUME /var/lib/docker/\nFROM b AS other\nVOLUME /other\nFROM base\nVOLUME ["/data", "/var/run/docker.sock"]\nVOLUME /x \\\n  /y\n';
    assert.deepEqual(container('dockerfile', text).mounts.map((m) => mountView(text, m)), [
      { value: '/var/lib/docker', span: '/var/lib/docker/', valueSpan: '/var/lib/docker/', field: 'VOLUME', readOnly: false, form: 'volume-instruction', target: '/var/lib/docker' },
      { value: '/data', span: '"/data"', valueSpan: '/data', field: 'VOLUME', readOnly: false, form: 'volume-instruction', target: '/data' },
      { value: '/var/run/docker.sock', span: '"/var/run/docker.sock"', valueSpan: '/var/run/docker.sock', field: 'VOLUME', readOnly: false, form: 'volume-instruction', target: '/var/run/docker.sock' },
      { value: '/x', span: '/x', valueSpan: '/x', field: 'VOLUME', readOnly: false, form: 'volume-instruction', target: '/x' },
      { value: '/y', span: '/y', valueSpan: '/y', field: 'VOLUME', readOnly: false, form: 'volume-instruction', target: '/y' },
    ]);
  });

  it('nothing else applies to a Dockerfile', () => {
    const text = 'FROM a\r\nVOLUME /v\r\n';
    const w = workload('dockerfile', text);
    const c = w.containers[0]!;
    assert.deepEqual([w.hostNamespaces, w.sysctls, w.volumeTypes, w.unmountedHostPaths, c.unmasked, c.devices, c.deviceCgroupRules, c.hostPorts, c.probeHosts], [[], [], [], [], [], [], [], [], []]);
    assert.equal(slice(text, c.mounts[0]?.span), '/v');
  });
});
