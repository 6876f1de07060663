/**
 * What `--fix` (safe fixes only) must keep, and what it still fixes, on files shaped like the
 * deployments #10 saw broken: node agents, CNI plugins, Docker-in-Docker, firewall and socket
 * agents, dev containers whose user needs sudo, Dockerfiles whose later steps need root, nginx.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixAll, lint } from '../../server/src/engine';

function fixed(text: string, file: string, unsafe = false): string {
  const r = fixAll(text, { path: file }, { unsafe });
  assert.equal(r.error, undefined, r.error);
  return r.text;
}

const NODE_EXPORTER = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  selector:
    matchLabels: {app: node-exporter}
  template:
    metadata:
      labels: {app: node-exporter}
    spec:
      hostNetwork: true
      hostPID: true
      containers:
        - name: node-exporter
          image: quay.io/prometheus/node-exporter:v1.8.2
          args: ["--path.rootfs=/host"]
          volumeMounts:
            - name: root
              mountPath: /host
              readOnly: true
      volumes:
        - name: root
          hostPath:
            path: /
`;

const FLANNEL = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: kube-flannel-ds
  namespace: kube-flannel
spec:
  selector:
    matchLabels: {app: flannel}
  template:
    metadata:
      labels: {app: flannel}
    spec:
      hostNetwork: true
      containers:
        - name: kube-flannel
          image: ghcr.io/flannel-io/flannel:v0.28.9
          command: ["/opt/bin/flanneld", "--ip-masq", "--kube-subnet-mgr"]
          securityContext:
            privileged: false
            capabilities:
              add: ["NET_ADMIN", "NET_RAW"]
          volumeMounts:
            - name: run
              mountPath: /run/flannel
            - name: xtables-lock
              mountPath: /run/xtables.lock
      volumes:
        - name: run
          hostPath:
            path: /run/flannel
        - name: xtables-lock
          hostPath:
            path: /run/xtables.lock
            type: FileOrCreate
`;

describe('--fix keeps what node agents need', () => {
  it('node-exporter DaemonSet: host network, host PID and the / mount stay; its own non-root uid is set', () => {
    const out = fixed(NODE_EXPORTER, 'node-exporter.yaml');
    assert.match(out, /hostNetwork: true/);
    assert.match(out, /hostPID: true/);
    assert.match(out, /path: \//);
    // The image runs as nobody (65534): a known user, so this is safe and uses that uid.
    assert.match(out, /runAsNonRoot: true\n\s+runAsUser: 65534/);
    assert.match(out, /allowPrivilegeEscalation: false/);
    // The findings say the access is expected, and how to contain it.
    const ns = lint(out, { path: 'node-exporter.yaml' }).findings.filter((f) => f.ruleId === 'no-host-namespaces');
    assert.equal(ns.length, 2);
    for (const f of ns) {
      assert.match(f.detail ?? '', /This access is expected for a node metrics exporter \(Prometheus node exporter\)/);
      assert.deepEqual(f.fixes, [], 'no fix removes what the agent needs');
    }
  });

  it('even --unsafe-fixes does not remove the node exporter\'s host namespaces or its / mount', () => {
    const out = fixed(NODE_EXPORTER, 'node-exporter.yaml', true);
    assert.match(out, /hostNetwork: true/);
    assert.match(out, /hostPID: true/);
    assert.match(out, /path: \//);
  });

  it('flannel DaemonSet: hostNetwork, NET_ADMIN/NET_RAW and its host paths stay', () => {
    for (const unsafe of [false, true]) {
      const out = fixed(FLANNEL, 'kube-flannel.yml', unsafe);
      assert.match(out, /hostNetwork: true/);
      assert.match(out, /add: \["NET_ADMIN", "NET_RAW"\]/);
      assert.match(out, /path: \/run\/flannel/);
      assert.match(out, /path: \/run\/xtables.lock/);
    }
    // Any flannel image (flannel/minikube, rancher/mirrored-flannelcni-flannel…) is the CNI plugin.
    const minikube = FLANNEL.replace(/ghcr\.io\/flannel-io\/flannel:v0\.28\.9/g, 'flannel/minikube');
    assert.match(fixed(minikube, 'minikube.yml', true), /hostNetwork: true/);
    const caps = lint(FLANNEL, { path: 'kube-flannel.yml' }).findings.filter((f) => f.ruleId === 'no-risky-capabilities');
    assert.ok(caps.length > 0);
    for (const f of caps) assert.match(f.detail ?? '', /expected for a CNI plugin \(flannel\).*pod-security\.kubernetes\.io\/enforce: privileged/);
  });
});

describe('--fix never removes privileged, host access or opt-outs', () => {
  it('Docker-in-Docker keeps privileged (Compose and dev container)', () => {
    const compose = 'services:\n  dind:\n    image: docker:27-dind\n    privileged: true\n';
    assert.match(fixed(compose, 'compose.yml'), /privileged: true/);
    const dev = '{\n  "image": "docker:dind",\n  "runArgs": ["--privileged"]\n}\n';
    assert.match(fixed(dev, '.devcontainer/devcontainer.json'), /"--privileged"/);
  });

  it('an unknown firewall agent with host networking keeps network_mode: host and privileged; the suggestion has NET_ADMIN and NET_RAW', () => {
    const text = 'services:\n  fw:\n    image: registry.example.com/acme/firewall-agent:2\n    network_mode: host\n    privileged: true\n    volumes:\n      - /lib/modules:/lib/modules:ro\n';
    const out = fixed(text, 'compose.yml');
    assert.match(out, /network_mode: host/);
    assert.match(out, /privileged: true/);
    const finding = lint(text, { path: 'compose.yml' }).findings.find((f) => f.ruleId === 'no-privileged')!;
    const replace = finding.fixes.find((f) => f.intent === 'replace-privileged')!;
    assert.equal(replace.kind, 'suggestion');
    assert.match(replace.title, /NET_ADMIN, NET_RAW/);
  });

  it('a socket agent keeps label=disable; its missing no-new-privileges is still fixed', () => {
    const text = 'services:\n  agent:\n    image: registry.example.com/acme/socket-agent:1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n    security_opt:\n      - label=disable\n';
    const out = fixed(text, 'compose.yml');
    assert.match(out, /- label=disable/);
    assert.match(out, /\/var\/run\/docker.sock:\/var\/run\/docker.sock/);
    assert.match(out, /- no-new-privileges:true/);
  });
});

describe('--fix and setuid', () => {
  it('a debugger dev container whose user needs sudo gets no no-new-privileges, and keeps its seccomp opt-out', () => {
    const text = '{\n  // Go debugging\n  "image": "mcr.microsoft.com/devcontainers/go:1-1.22-bookworm",\n  "remoteUser": "vscode",\n  "capAdd": ["SYS_PTRACE"],\n  "securityOpt": ["seccomp=unconfined"]\n}\n';
    const out = fixed(text, '.devcontainer/devcontainer.json');
    assert.equal(out, text);
    const nnp = lint(text, { path: '.devcontainer/devcontainer.json' }).findings.find((f) => f.ruleId === 'require-no-new-privileges')!;
    assert.equal(nnp.fixes[0]!.kind, 'suggestion');
    assert.match(nnp.fixes[0]!.check!, /remoteUser vscode is not root/);
  });

  describe('a Compose service built from a Dockerfile that gains privilege at exec', () => {
    const compose = 'services:\n  web:\n    build: ./app\n    user: "101"\n';
    const lintWith = (dockerfile: string) => {
      const files: Record<string, string> = { '/p/compose.yml': compose, '/p/app/Dockerfile': dockerfile };
      return lint(compose, { path: '/p/compose.yml', readFile: (f) => files[f] }).findings.find((f) => f.ruleId === 'require-no-new-privileges')!;
    };
    for (const [sign, dockerfile, check] of [
      ['setcap', 'FROM debian:12\nRUN setcap cap_net_bind_service=+ep /usr/sbin/nginx\nUSER 101\n', /app\/Dockerfile runs setcap/],
      ['a setuid bit', 'FROM alpine:3.20\nRUN chmod u+s /usr/bin/ping\nUSER 101\n', /app\/Dockerfile sets a setuid or setgid bit/],
      ['chmod 4755', 'FROM alpine:3.20\nRUN chmod 4755 /usr/local/bin/helper\nUSER 101\n', /sets a setuid or setgid bit/],
      ['sudo installed', 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends sudo\nUSER 101\n', /installs sudo/],
    ] as const) {
      it(`${sign}: no-new-privileges is a suggestion that says why`, () => {
        const nnp = lintWith(dockerfile);
        assert.equal(nnp.fixes[0]!.kind, 'suggestion');
        assert.match(nnp.fixes[0]!.check!, check);
      });
    }
    it('none of them: the fix stays safe (chmod 0755 is not a setuid bit)', () => {
      assert.equal(lintWith('FROM alpine:3.20\nRUN chmod 0755 /app/run && chmod +x /app/run\nUSER 101\n').fixes[0]!.kind, 'safe');
    });
  });

  it('a known non-root image still gets no-new-privileges', () => {
    const text = 'services:\n  web:\n    image: nginxinc/nginx-unprivileged:1.27\n';
    assert.match(fixed(text, 'compose.yml'), /no-new-privileges:true/);
  });
});

describe('--fix and the user', () => {
  it('a Dockerfile whose later steps need root keeps USER root; --unsafe-fixes adds USER after the last RUN', () => {
    const text = 'FROM debian:bookworm\nUSER root\nRUN apt-get update && apt-get install -y curl\nCOPY app /app\nCMD ["/app"]\n';
    assert.equal(fixed(text, 'Dockerfile'), text);
    const unsafe = fixed(text, 'Dockerfile', true);
    assert.equal(unsafe, 'FROM debian:bookworm\nUSER root\nRUN apt-get update && apt-get install -y curl\nCOPY app /app\nUSER 10001\nCMD ["/app"]\n');
  });

  it('a USER root with no step after it is replaced in place (still a suggestion)', () => {
    const text = 'FROM debian:bookworm\nRUN apt-get update\nUSER root\nCMD ["/app"]\n';
    const finding = lint(text, { path: 'Dockerfile' }).findings.find((f) => f.ruleId === 'no-root-user')!;
    assert.equal(finding.fixes[0]!.title, 'Replace USER root with USER 10001');
    assert.equal(finding.fixes[0]!.kind, 'suggestion');
  });

  it('nginx images: --fix adds no USER and no runAsUser (the master binds port 80 as root)', () => {
    const dockerfile = 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n';
    assert.equal(fixed(dockerfile, 'Dockerfile'), dockerfile);
    const podText = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports:\n        - containerPort: 80\n';
    assert.doesNotMatch(fixed(podText, 'pod.yaml'), /runAsNonRoot|runAsUser/);
    const check = lint(podText, { path: 'pod.yaml' }).findings.find((f) => f.ruleId === 'no-root-user')!.fixes[0]!.check!;
    assert.match(check, /NGINX \(official image\).*port 80/);
  });

  it('runAsNonRoot is never written alone, even with --unsafe-fixes', () => {
    const podText = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: registry.example.com/api:3\n';
    const out = fixed(podText, 'pod.yaml', true);
    assert.match(out, /runAsNonRoot: true\n\s+runAsUser: 10001/);
  });
});

describe('a Dockerfile that ends inside an instruction', () => {
  for (const [name, text] of [
    ['a \\ continuation', 'FROM debian\nRUN apt-get update && \\\n'],
    ['a backtick continuation (escape=`)', '# escape=`\nFROM debian\nRUN echo hi `\n'],
    ['an unterminated heredoc', 'FROM debian\nRUN <<EOF\napt-get update\n'],
  ] as const) {
    it(`${name}: no USER is appended, by any fix`, () => {
      const finding = lint(text, { path: 'Dockerfile' }).findings.find((f) => f.ruleId === 'no-root-user');
      assert.ok(finding);
      assert.deepEqual(finding.fixes, []);
      assert.equal(fixed(text, 'Dockerfile', true), text);
    });
  }
});
