/**
 * Every rule that reads run commands, over `docker run` / `podman run` command lines in shell
 * scripts, Makefiles and workflows: every flag spelling, what is not a command (comments, echo
 * arguments, heredoc bodies, quoted strings, words after the image), unknown variables, and the
 * fixes as minimal edits of the command line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/engine';
import type { Rule } from '../../../server/src/engine/rule';
import { RuleTester } from '../../rule-tester';
import type { InvalidCase, ValidCase } from '../../rule-tester';

/** Not commands: a comment, an echo argument, a heredoc body, a quoted string, a word after the image. */
const NOT_COMMANDS = '#!/bin/sh\n# docker run --privileged x\necho docker run --privileged x\ncat <<EOF\ndocker run --privileged x\nEOF\nprintf "%s" "docker run --privileged x"\ndocker run --security-opt=no-new-privileges --cap-drop=ALL alpine sh -c "docker run --privileged x" --privileged\n';

const cases: Record<string, { valid: ValidCase[]; invalid: InvalidCase[] }> = {
  'no-privileged': {
    valid: [
      { name: 'run: comments, echo, heredoc, strings and the container\'s own arguments are not commands', path: 'setup.sh', code: NOT_COMMANDS },
      { name: 'run: --privileged=false, and an unknown variable is not guessed', path: 'setup.sh', code: 'docker run --privileged=false alpine\ndocker run $FLAGS alpine\n' },
    ],
    invalid: [
      {
        name: 'run: --privileged alone on a continuation line, replaced with the image\'s flags (comment and echo untouched)',
        path: 'vpn.sh',
        code: '#!/bin/sh\n# docker run --privileged x\necho docker run --privileged x\ndocker run --rm \\\n  --privileged \\\n  qmcgaw/gluetun\n',
        errors: [{
          message: 'The docker run command on line 4 runs privileged',
          line: 5, column: 3, endLine: 5, endColumn: 15,
          fixes: [
            { kind: 'safe', title: 'Replace --privileged with --cap-add=NET_ADMIN and --device=/dev/net/tun (qmcgaw/gluetun image)', output: '#!/bin/sh\n# docker run --privileged x\necho docker run --privileged x\ndocker run --rm \\\n  --cap-add=NET_ADMIN --device=/dev/net/tun \\\n  qmcgaw/gluetun\n' },
            { kind: 'suggestion', title: 'Replace --privileged with least privilege (--cap-drop=ALL --security-opt=no-new-privileges)', output: '#!/bin/sh\n# docker run --privileged x\necho docker run --privileged x\ndocker run --rm \\\n  --cap-drop=ALL --security-opt=no-new-privileges \\\n  qmcgaw/gluetun\n' },
            { kind: 'suggestion', title: 'Remove --privileged', output: '#!/bin/sh\n# docker run --privileged x\necho docker run --privileged x\ndocker run --rm \\\n  qmcgaw/gluetun\n' },
          ],
        }],
      },
      {
        name: 'run: podman --privileged=true',
        path: 'run.sh',
        code: 'podman run --privileged=true -it alpine sh\n',
        errors: [{ message: 'The podman run command on line 1 runs privileged', detail: /escaping to the host is trivial/, line: 1, column: 12, endLine: 1, endColumn: 29, fixes: [
          { kind: 'suggestion', title: 'Remove --privileged=true', output: 'podman run -it alpine sh\n' },
          { kind: 'suggestion', title: 'Replace --privileged with least privilege (--cap-drop=ALL --security-opt=no-new-privileges)', output: 'podman run --cap-drop=ALL --security-opt=no-new-privileges -it alpine sh\n' },
        ] }],
      },
      {
        name: 'run: sudo, nerdctl, docker container create and a Makefile recipe with make variables',
        path: 'Makefile',
        code: 'IMG ?= alpine\nrun:\n\t@sudo nerdctl run --privileged $(IMG)\n\t-docker container create \\\n\t\t--privileged $$IMAGE\n',
        errors: [
          { message: 'The nerdctl run command on line 3 runs privileged', line: 3, column: 20, endLine: 3, endColumn: 32, fixes: [
            { kind: 'suggestion', title: 'Remove --privileged', output: 'IMG ?= alpine\nrun:\n\t@sudo nerdctl run $(IMG)\n\t-docker container create \\\n\t\t--privileged $$IMAGE\n' },
            { kind: 'suggestion', title: 'Replace --privileged with least privilege (--cap-drop=ALL --security-opt=no-new-privileges)', output: 'IMG ?= alpine\nrun:\n\t@sudo nerdctl run --cap-drop=ALL --security-opt=no-new-privileges $(IMG)\n\t-docker container create \\\n\t\t--privileged $$IMAGE\n' },
          ] },
          { message: 'The docker create command on line 4 runs privileged', line: 5, column: 3, endLine: 5, endColumn: 15, fixes: [
            { kind: 'suggestion', title: 'Remove --privileged', output: 'IMG ?= alpine\nrun:\n\t@sudo nerdctl run --privileged $(IMG)\n\t-docker container create \\\n\t\t$$IMAGE\n' },
            { kind: 'suggestion', title: 'Replace --privileged with least privilege (--cap-drop=ALL --security-opt=no-new-privileges)', output: 'IMG ?= alpine\nrun:\n\t@sudo nerdctl run --privileged $(IMG)\n\t-docker container create \\\n\t\t--cap-drop=ALL --security-opt=no-new-privileges $$IMAGE\n' },
          ] },
        ],
      },
      {
        name: 'run: inside a GitHub Actions run: block scalar, with ${{ }} expressions, and in job container options',
        path: '.github/workflows/ci.yml',
        code: 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    container:\n      image: node:20\n      options: --privileged --cpus 2\n    steps:\n      - run: |\n          echo "docker run --privileged"\n          docker run --rm \\\n            --privileged \\\n            ${{ matrix.image }}\n',
        errors: [
          { message: 'The container of job "t" runs privileged', line: 7, column: 16, endLine: 7, endColumn: 28, fixes: [
            { kind: 'suggestion', title: 'Remove --privileged', output: 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    container:\n      image: node:20\n      options: --cpus 2\n    steps:\n      - run: |\n          echo "docker run --privileged"\n          docker run --rm \\\n            --privileged \\\n            ${{ matrix.image }}\n' },
            { kind: 'suggestion', title: 'Replace --privileged with least privilege (--cap-drop=ALL --security-opt=no-new-privileges)', output: 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    container:\n      image: node:20\n      options: --cap-drop=ALL --security-opt=no-new-privileges --cpus 2\n    steps:\n      - run: |\n          echo "docker run --privileged"\n          docker run --rm \\\n            --privileged \\\n            ${{ matrix.image }}\n' },
          ] },
          { message: 'The docker run command on line 11 runs privileged', line: 12, column: 13, endLine: 12, endColumn: 25, fixes: [
            { kind: 'suggestion', title: 'Remove --privileged', output: 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    container:\n      image: node:20\n      options: --privileged --cpus 2\n    steps:\n      - run: |\n          echo "docker run --privileged"\n          docker run --rm \\\n            ${{ matrix.image }}\n' },
            { kind: 'suggestion', title: 'Replace --privileged with least privilege (--cap-drop=ALL --security-opt=no-new-privileges)', output: 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    container:\n      image: node:20\n      options: --privileged --cpus 2\n    steps:\n      - run: |\n          echo "docker run --privileged"\n          docker run --rm \\\n            --cap-drop=ALL --security-opt=no-new-privileges \\\n            ${{ matrix.image }}\n' },
          ] },
        ],
      },
      {
        name: 'run: GitLab CI script lines',
        path: '.gitlab-ci.yml',
        code: 'test:\n  script:\n    - echo docker run --privileged\n    - docker run --privileged alpine\n',
        errors: [{ message: 'The docker run command on line 4 runs privileged', line: 4, column: 18, endLine: 4, endColumn: 30, fixes: [
          { kind: 'suggestion', title: 'Remove --privileged', output: 'test:\n  script:\n    - echo docker run --privileged\n    - docker run alpine\n' },
          { kind: 'suggestion', title: 'Replace --privileged with least privilege (--cap-drop=ALL --security-opt=no-new-privileges)', output: 'test:\n  script:\n    - echo docker run --privileged\n    - docker run --cap-drop=ALL --security-opt=no-new-privileges alpine\n' },
        ] }],
      },
    ],
  },
  'no-risky-capabilities': {
    valid: [{ name: 'run: low-risk capabilities; an unknown value', path: 'run.sh', code: 'docker run --cap-add NET_BIND_SERVICE --cap-add="$CAP" alpine\n' }],
    invalid: [{
      name: 'run: --cap-add ALL and one item of --cap-add=net_admin,CHOWN',
      path: 'run.sh',
      code: 'docker run --cap-add ALL --cap-add=net_admin,CHOWN alpine\n',
      errors: [
        { message: 'The docker run command on line 1 adds ALL capabilities (critical)', line: 1, column: 12, endLine: 1, endColumn: 25, fixes: [{ kind: 'suggestion', title: 'Remove --cap-add ALL', output: 'docker run --cap-add=net_admin,CHOWN alpine\n' }] },
        { message: 'The docker run command on line 1 adds NET_ADMIN (high)', line: 1, column: 26, endLine: 1, endColumn: 51, fixes: [{ kind: 'suggestion', title: 'Remove net_admin from --cap-add=net_admin,CHOWN', output: 'docker run --cap-add ALL --cap-add=CHOWN alpine\n' }] },
      ],
    }],
  },
  'require-no-new-privileges': {
    valid: [{ name: 'run: --security-opt no-new-privileges and =true', path: 'run.sh', code: 'docker run --security-opt no-new-privileges alpine\npodman run --security-opt=no-new-privileges=true alpine\n' }],
    invalid: [
      { name: 'run: missing (inserted after the subcommand)', path: 'run.sh', code: 'docker run --rm alpine\n', errors: [{ message: 'The docker run command on line 1 does not set no-new-privileges', line: 1, column: 1, endLine: 1, endColumn: 11, fixes: [{ kind: 'safe', title: 'Add --security-opt=no-new-privileges', output: 'docker run --security-opt=no-new-privileges --rm alpine\n' }] }] },
      { name: 'run: turned off', path: 'run.sh', code: 'docker run --security-opt no-new-privileges=false alpine\n', errors: [{ message: 'The docker run command on line 1 turns no-new-privileges off (docker run)', line: 1, column: 12, endLine: 1, endColumn: 50, fixes: [{ kind: 'suggestion', title: 'Set no-new-privileges=true', output: 'docker run --security-opt no-new-privileges=true alpine\n' }] }] },
    ],
  },
  'require-drop-all-capabilities': {
    valid: [{ name: 'run: --cap-drop=all', path: 'run.sh', code: 'docker run --cap-drop=all --cap-add NET_BIND_SERVICE alpine\n' }],
    invalid: [{ name: 'run: nothing dropped in a Makefile recipe', path: 'Makefile', code: 'run:\n\tdocker run --rm $(IMG)\n', errors: [{ message: 'The docker run command on line 2 does not drop ALL capabilities', line: 2, column: 2, endLine: 2, endColumn: 12, fixes: [{ kind: 'suggestion', title: 'Add --cap-drop=ALL', output: 'run:\n\tdocker run --cap-drop=ALL --rm $(IMG)\n' }] }] }],
  },
  'no-root-user': {
    valid: [{ name: 'run: a non-root user, an unknown one, none under the default profile', path: 'run.sh', code: 'docker run -u 1000 alpine\ndocker run --user "$UID" alpine\ndocker run alpine\n' }],
    invalid: [
      {
        name: 'run: -u 0 and --user root:root',
        path: 'run.sh',
        code: 'docker run -u 0 alpine\ndocker run --user root:root alpine\n',
        errors: [
          { message: 'The docker run command on line 1 runs as root (--user 0)', line: 1, column: 12, endLine: 1, endColumn: 16, fixes: [{ kind: 'suggestion', title: 'Set --user 10001', output: 'docker run -u 10001 alpine\ndocker run --user root:root alpine\n' }] },
          { message: 'The docker run command on line 2 runs as root (--user root:root)', line: 2, column: 12, endLine: 2, endColumn: 28, fixes: [{ kind: 'suggestion', title: 'Set --user 10001', output: 'docker run -u 0 alpine\ndocker run --user 10001 alpine\n' }] },
        ],
      },
      { name: 'run: no --user under restricted', path: 'run.sh', profile: 'restricted', code: 'docker run alpine\n', errors: [{ message: 'The docker run command on line 1 sets no --user: its image\'s user applies, often root (restricted profile)', line: 1, column: 1, endLine: 1, endColumn: 11, fixes: [{ kind: 'suggestion', title: 'Add --user=10001', output: 'docker run --user=10001 alpine\n' }] }] },
    ],
  },
  'no-host-namespaces': {
    valid: [{ name: 'run: private namespaces and another container\'s', path: 'run.sh', code: 'docker run --pid=container:db --network mynet --ipc=private --userns=auto alpine\n' }],
    invalid: [{
      name: 'run: every namespace flag spelling',
      path: 'run.sh',
      code: 'docker run --pid=host --net host --ipc=host alpine\n',
      errors: [
        { message: 'The docker run command on line 1 shares the host\'s PID namespace (--pid=host)', line: 1, column: 12, endLine: 1, endColumn: 22, fixes: [{ kind: 'suggestion', title: 'Remove --pid=host', output: 'docker run --net host --ipc=host alpine\n' }] },
        { message: 'The docker run command on line 1 uses the host\'s network stack (--network=host)', line: 1, column: 23, endLine: 1, endColumn: 33, fixes: [{ kind: 'suggestion', title: 'Remove --net host', output: 'docker run --pid=host --ipc=host alpine\n' }] },
        { message: 'The docker run command on line 1 shares the host\'s IPC namespace (--ipc=host)', line: 1, column: 34, endLine: 1, endColumn: 44, fixes: [{ kind: 'suggestion', title: 'Remove --ipc=host', output: 'docker run --pid=host --net host alpine\n' }] },
      ],
    }],
  },
  'no-runtime-socket': {
    valid: [{ name: 'run: a named volume at the socket path; a socket path after the image', path: 'run.sh', code: 'docker run -v sock:/var/run/docker.sock alpine ls /var/run/docker.sock -v /var/run/docker.sock:/x\n' }],
    invalid: [{
      name: 'run: -v, --volume= and --mount spellings',
      path: 'run.sh',
      code: 'docker run -v /var/run/docker.sock:/var/run/docker.sock --mount type=bind,source=/run/containerd/containerd.sock,target=/c.sock alpine\n',
      errors: [
        { message: 'The docker run command on line 1 mounts the Docker socket /var/run/docker.sock (root on the host)', line: 1, column: 12, endLine: 1, endColumn: 56, fixes: [{ kind: 'suggestion', title: 'Remove -v /var/run/docker.sock:/var/run/docker.sock', output: 'docker run --mount type=bind,source=/run/containerd/containerd.sock,target=/c.sock alpine\n' }] },
        { message: 'The docker run command on line 1 mounts the containerd socket /run/containerd/containerd.sock (root on the host)', line: 1, column: 57, endLine: 1, endColumn: 128, fixes: [{ kind: 'suggestion', title: 'Remove --mount type=bind,source=/run/containerd/containerd.sock,target=/c.sock', output: 'docker run -v /var/run/docker.sock:/var/run/docker.sock alpine\n' }] },
      ],
    }],
  },
  'no-sensitive-host-mounts': {
    valid: [{ name: 'run: relative and variable sources', path: 'run.sh', code: 'docker run -v ./data:/data -v "$PWD":/src -v ${HOME}/.cache:/c alpine\n' }],
    invalid: [{ name: 'run: the host root', path: 'run.sh', code: 'docker run -v /:/host alpine\n', errors: [{ message: 'The docker run command on line 1 mounts /, the host\'s whole filesystem', line: 1, column: 12, endLine: 1, endColumn: 22, fixes: [{ kind: 'suggestion', title: 'Mount / read-only', output: 'docker run -v /:/host:ro alpine\n' }] }] }],
  },
  'no-host-devices': {
    valid: [{ name: 'run: one device', path: 'run.sh', code: 'docker run --device /dev/ttyUSB0 alpine\n' }],
    invalid: [{ name: 'run: --device=/dev', path: 'run.sh', code: 'docker run --device=/dev alpine\n', errors: [{ message: 'The docker run command on line 1 passes the host\'s whole /dev as a device (docker run)', line: 1, column: 12, endLine: 1, endColumn: 25, fixes: [{ kind: 'suggestion', title: 'Remove --device=/dev', output: 'docker run alpine\n' }] }] }],
  },
  'no-unconfined-seccomp': {
    valid: [{ name: 'run: a profile file', path: 'run.sh', code: 'docker run --security-opt seccomp=/etc/seccomp.json alpine\n' }],
    invalid: [{ name: 'run: --security-opt=seccomp=unconfined', path: 'run.sh', code: 'docker run --security-opt=seccomp=unconfined alpine\n', errors: [{ message: 'The docker run command on line 1 runs without seccomp (seccomp=unconfined in docker run)', line: 1, column: 12, endLine: 1, endColumn: 45, fixes: [{ kind: 'suggestion', title: 'Remove --security-opt=seccomp=unconfined (the default seccomp profile then applies)', output: 'docker run alpine\n' }] }] }],
  },
  'no-unconfined-apparmor': {
    valid: [{ name: 'run: a named profile', path: 'run.sh', code: 'docker run --security-opt apparmor=my-profile alpine\n' }],
    invalid: [{ name: 'run: apparmor:unconfined', path: 'run.sh', code: 'docker run --security-opt apparmor:unconfined alpine\n', errors: [{ message: 'The docker run command on line 1 runs without AppArmor (apparmor:unconfined in docker run)', line: 1, column: 12, endLine: 1, endColumn: 46, fixes: [{ kind: 'suggestion', title: 'Remove --security-opt apparmor:unconfined (the default AppArmor profile then applies)', output: 'docker run alpine\n' }] }] }],
  },
  'no-disabled-selinux': {
    valid: [{ name: 'run: a level label', path: 'run.sh', code: 'podman run --security-opt label=level:s0:c100,c200 alpine\n' }],
    invalid: [{ name: 'run: label=disable', path: 'run.sh', code: 'podman run --security-opt label=disable alpine\n', errors: [{ message: 'The podman run command on line 1 turns SELinux separation off (label=disable in podman run)', line: 1, column: 12, endLine: 1, endColumn: 40, fixes: [{ kind: 'suggestion', title: 'Remove --security-opt label=disable', output: 'podman run alpine\n' }] }] }],
  },
  'no-unmasked-paths': {
    valid: [{ name: 'run: masks kept', path: 'run.sh', code: 'podman run --security-opt mask=/proc/acpi alpine\n' }],
    invalid: [{ name: 'run: systempaths=unconfined', path: 'run.sh', code: 'podman run --security-opt systempaths=unconfined alpine\n', errors: [{ message: 'The podman run command on line 1 unmasks /proc and /sys (systempaths=unconfined in podman run)', line: 1, column: 12, endLine: 1, endColumn: 49, fixes: [{ kind: 'suggestion', title: 'Remove --security-opt systempaths=unconfined', output: 'podman run alpine\n' }] }] }],
  },
  'require-read-only-root-filesystem': {
    valid: [{ name: 'run: --read-only', path: 'run.sh', profile: 'restricted', code: 'docker run --read-only alpine\n' }],
    invalid: [{
      name: 'run: --read-only=false and missing',
      path: 'run.sh',
      profile: 'restricted',
      code: 'docker run --read-only=false alpine\ndocker run alpine\n',
      errors: [
        { message: 'The docker run command on line 1 sets --read-only=false', line: 1, column: 12, endLine: 1, endColumn: 29, fixes: [{ kind: 'suggestion', title: 'Set --read-only', output: 'docker run --read-only alpine\ndocker run alpine\n' }] },
        { message: 'The docker run command on line 2 does not make its root filesystem read-only', line: 2, column: 1, endLine: 2, endColumn: 11, fixes: [{ kind: 'suggestion', title: 'Add --read-only', output: 'docker run --read-only=false alpine\ndocker run --read-only alpine\n' }] },
      ],
    }],
  },
};

for (const [id, tests] of Object.entries(cases)) {
  const rule = rules.find((r) => r.id === id) as Rule | undefined;
  if (!rule) throw new Error(`no rule ${id}`);
  new RuleTester().run(rule, tests, { kinds: ['run'] });
}

describe('run-command rule coverage', () => {
  it('every rule that reads run commands has cases here', () => {
    assert.deepEqual(rules.filter((r) => r.meta.kinds.includes('run')).map((r) => r.id).sort(), Object.keys(cases).sort());
  });
});
