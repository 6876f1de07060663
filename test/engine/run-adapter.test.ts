/**
 * Run commands read from shell scripts, Makefiles, GitHub Actions workflows and GitLab CI:
 * every flag spelling, what is not a command, unknown variables, exact positions (across
 * continuations, inside YAML block scalars, after non-ASCII text), parse errors, detection.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/engine';
import type { Finding } from '../../server/src/engine';
import { detectByPath } from '../../server/src/engine/detect';

/** The findings of the rules that say something about a setting (not the missing-setting ones), as `rule: text`. */
function settings(text: string, path = 'run.sh'): string[] {
  const r = lint(text, { path, config: { rules: { 'require-no-new-privileges': 'off', 'require-drop-all-capabilities': 'off' } } });
  return r.findings.map((f: Finding) => `${f.ruleId}: ${text.slice(f.span.start, f.span.end)}`);
}

describe('run commands: flag spellings', () => {
  const cases: [string, string[]][] = [
    ['docker run --privileged x', ['no-privileged: --privileged']],
    ['docker run --privileged=true x', ['no-privileged: --privileged=true']],
    ['docker run --privileged=false x', []],
    ['docker run --cap-add ALL x', ['no-risky-capabilities: --cap-add ALL']],
    ['docker run --cap-add=all x', ['no-risky-capabilities: --cap-add=all']],
    ['docker run --cap-add=CAP_SYS_ADMIN x', ['no-risky-capabilities: --cap-add=CAP_SYS_ADMIN']],
    ['docker run --security-opt seccomp=unconfined x', ['no-unconfined-seccomp: --security-opt seccomp=unconfined']],
    ['docker run --security-opt=seccomp=unconfined x', ['no-unconfined-seccomp: --security-opt=seccomp=unconfined']],
    ['docker run --security-opt "seccomp=unconfined" x', ['no-unconfined-seccomp: --security-opt "seccomp=unconfined"']],
    ['docker run --pid=host x', ['no-host-namespaces: --pid=host']],
    ['docker run --net host x', ['no-host-namespaces: --net host']],
    ['docker run --network=host x', ['no-host-namespaces: --network=host']],
    ['docker run --userns=host x', ['no-host-namespaces: --userns=host']],
    ['docker run -v /var/run/docker.sock:/var/run/docker.sock x', ['no-runtime-socket: -v /var/run/docker.sock:/var/run/docker.sock']],
    ['docker run --volume=/var/run/docker.sock:/s x', ['no-runtime-socket: --volume=/var/run/docker.sock:/s']],
    ['docker run --mount type=bind,source=/var/run/docker.sock,target=/s x', ['no-runtime-socket: --mount type=bind,source=/var/run/docker.sock,target=/s']],
    ['docker run -itv /var/run/docker.sock:/s x', ['no-runtime-socket: -itv /var/run/docker.sock:/s']],
    ['docker run --device /dev:/dev x', ['no-host-devices: --device /dev:/dev']],
    ['docker run -u 0 x', ['no-root-user: -u 0']],
    ['docker run -u0 x', ['no-root-user: -u0']],
    ['docker run --user root x', ['no-root-user: --user root']],
    ['docker run --user=0:0 x', ['no-root-user: --user=0:0']],
    ['docker run -u 1000 x', []],
  ];
  for (const [line, expected] of cases) {
    it(line, () => assert.deepEqual(settings(`${line}\n`), expected));
  }
});

describe('run commands: what is not one', () => {
  it('comments, echo arguments, heredoc bodies, quoted strings, the container\'s own arguments, other programs', () => {
    const text = [
      '# docker run --privileged x',
      'echo docker run --privileged x',
      'echo "docker run --privileged x"',
      'cat <<EOF',
      'docker run --privileged x',
      'EOF',
      "bash -c 'docker run --privileged x'",
      'docker run alpine sh -c "docker run --privileged x" --privileged',
      'docker ps --privileged',
      'docker build --privileged .',
      'mydocker run --privileged x',
      '',
    ].join('\n');
    assert.deepEqual(settings(text), []);
  });

  it('finds commands in if, loops, pipelines, && lists, subshells and command substitutions', () => {
    const text = 'if true; then docker run --privileged a; fi\nfor i in 1; do podman run --privileged b; done\nx && docker run --privileged c | cat\n(docker run --privileged d)\nid=$(docker run -d --privileged e)\n';
    assert.equal(settings(text).length, 5);
  });

  it('variables stay unknown: no finding, no guess', () => {
    assert.deepEqual(settings('docker run $PRIV --cap-add "$CAP" -u "${USER_ID}" -v "$SOCK":/s --security-opt "$OPT" x\n'), []);
    assert.deepEqual(settings('$DOCKER run --privileged x\n'), []);
  });

  it('wrappers: sudo (with its flags), env assignments, exec, global engine flags', () => {
    const text = 'sudo -E -u root docker run --privileged a\nenv A=1 docker -H tcp://x:2375 run --privileged b\nexec podman --log-level debug run --privileged c\nDOCKER_HOST=x docker run --privileged d\n';
    assert.equal(settings(text).length, 4);
  });

  it('wrappers with their own options and operands: xargs, timeout, nice, stdbuf, sudo --user, `--`; command -v runs nothing', () => {
    const run = ['xargs -n 1 -P 4 docker run --privileged', 'timeout -s KILL 60 docker run --privileged', 'nice -n 10 ionice -c 3 docker run --privileged', 'stdbuf -o L docker run --privileged', 'sudo --user root -- docker run --privileged', 'env -u FOO A=1 docker run --privileged', 'setsid nohup docker run --privileged'];
    for (const line of run) assert.deepEqual(settings(`${line} x\n`), ['no-privileged: --privileged'], line);
    for (const line of ['command -v docker run --privileged x', 'command -V docker run --privileged x', 'nohup A=1 docker run --privileged x']) assert.deepEqual(settings(`${line}\n`), [], line);
  });

  it('docker compose run and docker-compose run read the same flags; compose up is not a run', () => {
    assert.deepEqual(settings('docker compose -f a.yml run --cap-add SYS_ADMIN web\ndocker-compose run -u 0 web\ndocker compose up --privileged\n'), ['no-risky-capabilities: --cap-add SYS_ADMIN', 'no-root-user: -u 0']);
  });
});

describe('run commands: positions', () => {
  it('across line continuations, after non-ASCII text (UTF-16 offsets)', () => {
    const text = 'echo "é ünïcode 😀"\ndocker run \\\n  --rm \\\n  --privileged alpine\n';
    const f = lint(text, { path: 'run.sh' }).findings.find((x) => x.ruleId === 'no-privileged');
    assert.equal(text.slice(f?.span.start, f?.span.end), '--privileged');
  });

  it('inside a GitHub run: block scalar (with ${{ }} expressions) and in a folded scalar (on the scalar, no fix)', () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n          docker run -v ${{ github.workspace }}:/w \\\n            --pid=host x\n      - run: >\n          docker run\n          --privileged x\n';
    const r = lint(text, { path: '.github/workflows/ci.yml' });
    const pid = r.findings.find((x) => x.ruleId === 'no-host-namespaces');
    assert.equal(text.slice(pid?.span.start, pid?.span.end), '--pid=host');
    const priv = r.findings.find((x) => x.ruleId === 'no-privileged');
    assert.equal(text.slice(priv?.span.start, priv?.span.end), '>\n          docker run\n          --privileged x\n');
    assert.deepEqual(priv?.fixes, []);
  });

  it('GitHub steps in PowerShell or Python (shell:, defaults, a Windows runner) are not read as sh', () => {
    const text = 'on: push\njobs:\n  w:\n    runs-on: windows-latest\n    steps:\n      - run: docker run --privileged a\n      - run: docker run --privileged b\n        shell: bash\n  p:\n    runs-on: ubuntu-latest\n    defaults:\n      run:\n        shell: pwsh\n    steps:\n      - run: docker run --privileged c\n      - run: docker run --privileged d\n        shell: python\n';
    assert.deepEqual(settings(text, '.github/workflows/w.yml'), ['no-privileged: --privileged']);
  });

  it('variable assignments, arrays and nil parts of the syntax tree do not stop the reader', () => {
    const text = 'x=\ny=()\nz=(a b)\ndeclare -a w\nlocal v=$(docker run --privileged a)\ncase $1 in a) docker run --pid=host b;; esac\n';
    assert.deepEqual(settings(text, 'a.bash'), ['no-privileged: --privileged', 'no-host-namespaces: --pid=host']);
  });

  it('GitHub job services options and GitLab before_script / default lists', () => {
    const gh = 'on: push\njobs:\n  a:\n    runs-on: x\n    services:\n      db:\n        image: postgres\n        options: --cap-add=SYS_ADMIN\n';
    assert.deepEqual(settings(gh, '.github/workflows/ci.yaml'), ['no-risky-capabilities: --cap-add=SYS_ADMIN']);
    const gl = 'build:\n  before_script:\n    - docker run --pid=host x\n  script: docker run -u root x\n';
    assert.deepEqual(settings(gl, '.gitlab-ci.yml'), ['no-host-namespaces: --pid=host', 'no-root-user: -u root']);
  });
});

describe('run commands: files and errors', () => {
  it('detects scripts, Makefiles and CI files by name, and a script without extension by its shebang', () => {
    assert.deepEqual(['a.sh', 'b.bash', 'Makefile', 'GNUmakefile', 'x.mk', '.github/workflows/ci.yml', '.gitlab-ci.yml', 'ci.yml'].map((p) => detectByPath(`/r/${p}`)), ['run', 'run', 'run', 'run', 'run', 'run', 'run', 'yaml']);
    assert.equal(lint('#!/usr/bin/env bash\ndocker run --privileged x\n', { path: '/r/bin/start' }).kind, 'run');
    assert.equal(lint('docker run --privileged x\n', { path: '/r/bin/start' }).kind, undefined);
  });

  it('a script the shell parser rejects is one skipped (info) finding at its position, never a crash', () => {
    const r = lint('docker run --privileged x\nif then\n', { path: 'a.sh' });
    assert.deepEqual(r.findings.map((f) => [f.ruleId, f.severity]), [['skipped', 'info']]);
    assert.equal(r.findings[0]?.message, 'Not analysed: the shell parser stops here, so this script\'s run commands are not read');
    assert.match(r.findings[0]?.detail ?? '', /^The shell parser \(mvdan-sh\) stops here: .+\. The run commands/);
    for (const text of ['', '\uFEFFdocker run --privileged x\n', 'docker run "unterminated', 'docker run --cap-add\n', '\\']) assert.doesNotThrow(() => lint(text, { path: 'a.sh' }));
  });

  it('sudo runs the engine as root (rootful); --userns=auto gives an own user namespace', () => {
    assert.equal(lint('sudo podman run -u 1000 x\n', { path: 'a.sh' }).tiers?.[0]?.userNamespace, 'host');
    assert.equal(lint('podman run --userns=auto -u 1000 x\n', { path: 'a.sh' }).tiers?.[0]?.tier, 6);
  });

  it('a suppression comment works on a run command', () => {
    const r = lint('# container-privilege-lint-disable-next-line no-privileged -- CI only\ndocker run --privileged x\n', { path: 'a.sh' });
    assert.ok(!r.findings.some((f) => f.ruleId === 'no-privileged' || f.ruleId === 'unused-suppression'));
  });
});
