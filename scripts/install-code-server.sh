#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, idempotently:
#   - Debian packages: chromium (driven by playwright-core), and the build prerequisites of
#     code-server's native modules (libkrb5-dev for kerberos, python3/make/g++/pkg-config for
#     node-gyp, ripgrep to seed @vscode/ripgrep's download cache), plus curl for /healthz.
#   - code-server 4.100.3 (VS Code 1.100.3; the newest release that runs on Node 20) into
#     $CODE_SERVER_PREFIX (default .cache/code-server-4.100.3-node<major>), never into the project.
# Follows shared/reference/clients.md §1: a local (not -g) npm install with
# npm_config_unsafe_perm/yes/nodedir set in the environment and the ripgrep cache seeded.
# Prints the code-server binary path on its last line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CS_VERSION=4.100.3
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
PREFIX=${CODE_SERVER_PREFIX:-$ROOT/.cache/code-server-$CS_VERSION-node$NODE_MAJOR}
CS_BIN=$PREFIX/node_modules/.bin/code-server

log() { printf '[install-code-server] %s\n' "$*" >&2; }

if [ "$NODE_MAJOR" != 20 ]; then
  log "warning: code-server $CS_VERSION declares Node 20; this is Node $NODE_MAJOR (FORCE_NODE_VERSION is set)"
  export FORCE_NODE_VERSION=$NODE_MAJOR
fi

# 1. Debian packages, only those missing.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ! -x "$CS_BIN" ]; then
  [ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
  command -v python3 >/dev/null 2>&1 || need+=(python3)
  command -v make >/dev/null 2>&1 || need+=(make)
  command -v g++ >/dev/null 2>&1 || need+=(g++)
  command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  log "apt-get install ${need[*]}"
  t0=$SECONDS
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  log "apt-get done in $((SECONDS - t0)) s"
fi

# 2. code-server, cached.
if [ -x "$CS_BIN" ] && "$CS_BIN" --version >/dev/null 2>&1; then
  log "code-server $CS_VERSION already installed in $PREFIX"
else
  t0=$SECONDS
  # code-server writes ~/.config/code-server and ~/.local/share/code-server even for --version.
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  export XDG_CONFIG_HOME=${XDG_CONFIG_HOME:-$WORK/cfg} XDG_DATA_HOME=${XDG_DATA_HOME:-$WORK/data} XDG_CACHE_HOME=${XDG_CACHE_HOME:-$WORK/cache}

  # @vscode/ripgrep@1.15.11 downloads rg from GitHub in its postinstall, after looking in its
  # cache in os.tmpdir(); seed that cache with Debian's rg under the exact asset name.
  TMPDIR_OS=$(node -p 'require("os").tmpdir()')
  RG_CACHE=$TMPDIR_OS/vscode-ripgrep-cache-1.15.11
  RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
  if [ "$(uname -m)" = aarch64 ]; then RG_ASSET=ripgrep-v13.0.0-10-aarch64-unknown-linux-musl.tar.gz; fi
  if [ ! -s "$RG_CACHE/$RG_ASSET" ]; then
    mkdir -p "$RG_CACHE" "$WORK/rg"
    cp "$(command -v rg)" "$WORK/rg/rg"
    tar czf "$RG_CACHE/$RG_ASSET" -C "$WORK/rg" rg
  fi

  rm -rf "$PREFIX"
  mkdir -p "$PREFIX"
  log "npm install code-server@$CS_VERSION into $PREFIX (takes 1-2 minutes: native modules compile)"
  # unsafe_perm: the postinstall refuses to run as root without it; yes: node-pty's postinstall
  # runs `npx node-gyp` (a user npmrc may say yes=false); nodedir: node-gyp uses the local headers.
  (cd "$PREFIX" &&
    printf '{"name":"code-server-cache","private":true}\n' > package.json &&
    npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=${npm_config_nodedir:-/usr} \
      npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false \
      npm install --no-save code-server@$CS_VERSION >"$PREFIX/install.log" 2>&1) || {
    log "npm install failed; last lines of $PREFIX/install.log:"
    tail -n 40 "$PREFIX/install.log" >&2
    exit 1
  }
  "$CS_BIN" --version >&2
  log "installed in $((SECONDS - t0)) s"
fi
echo "$CS_BIN"
