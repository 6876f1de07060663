/**
 * The host-path table no-sensitive-host-mounts reads (knowledge/host-paths.ts): exact paths,
 * no prefix alone; the most specific entry decides; benign entries shield themselves from a
 * sensitive parent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOST_PATHS, hostPathFact } from '../../server/src/engine/knowledge/host-paths';

describe('host paths', () => {
  it('every entry is a normalised absolute path, listed once', () => {
    const seen = new Set<string>();
    for (const h of HOST_PATHS) {
      assert.match(h.path, /^\/(?:[^/]+(?:\/[^/]+)*)?$/, h.path);
      assert.ok(!seen.has(h.path), `${h.path} listed twice`);
      seen.add(h.path);
      assert.ok(h.what.length > 5 && h.what.length <= 60, `${h.path}: what is short enough for a message`);
      assert.ok(h.why.length > 20, `${h.path}: why`);
    }
  });

  const verdict = (p: string) => {
    const f = hostPathFact(p);
    return f ? `${f.verdict}: ${f.what}` : 'not sensitive';
  };

  it('exact paths under /etc, not an application\'s own directory', () => {
    assert.equal(verdict('/etc'), 'sensitive: the host\'s whole configuration');
    assert.equal(verdict('/etc/shadow'), 'sensitive: the host\'s password hashes');
    assert.equal(verdict('/etc/cron.d/job'), 'sensitive: the host\'s cron jobs');
    assert.equal(verdict('/etc/kubernetes/manifests/x.yaml'), 'sensitive: the node\'s static pod manifests');
    assert.equal(verdict('/etc/pihole'), 'not sensitive');
    assert.equal(verdict('/etc/nginx/conf.d'), 'not sensitive');
    assert.equal(verdict('/etcd-data'), 'not sensitive');
  });

  it('benign files, application data, homes, /var/run as /run', () => {
    assert.equal(verdict('/run/xtables.lock'), 'benign: the iptables lock file');
    assert.equal(verdict('/var/run/xtables.lock'), 'benign: the iptables lock file');
    assert.equal(verdict('/etc/localtime'), 'benign: the host\'s time zone');
    assert.equal(verdict('/usr/share/appdata/wireguard/config'), 'not sensitive');
    assert.equal(verdict('/opt/app/data'), 'not sensitive');
    assert.equal(verdict('/usr/bin'), 'sensitive: the host\'s programs and libraries');
    assert.equal(verdict('/home/ana'), 'sensitive: the home of host user ana');
    assert.equal(verdict('/home/ana/.ssh/id_ed25519'), 'sensitive: host user ana\'s .ssh');
    assert.equal(verdict('/home/ana/src/app'), 'not sensitive');
    assert.equal(verdict('/var/run/dbus/system_bus_socket'), 'sensitive: the host\'s D-Bus system bus');
    assert.equal(verdict('/run/flannel'), 'not sensitive');
    assert.equal(verdict('/dev/nvme0n1p2'), 'sensitive: the host disk /dev/nvme0n1p2');
    assert.equal(verdict('/dev/net/tun'), 'not sensitive');
  });
});
