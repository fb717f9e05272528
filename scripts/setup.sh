#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (root) that has only Node 20 and npm:
# installs the Debian packages benchsuite drives, starts dockerd, installs npm dependencies, builds,
# and builds the default workload image. Re-running it when everything is in place takes about a second.
#   --for-tests  also installs what only the test suite needs (sshd for SSH-target tests, chromium for the
#                HTML report test, wrk, qemu and debootstrap for the local guest's test).
set -euo pipefail
cd "$(dirname "$0")/.."

for_tests=0
[[ "${1:-}" == "--for-tests" ]] && for_tests=1

log() { printf 'setup: %s\n' "$*" >&2; }

need_pkgs=()
have() { command -v "$1" >/dev/null 2>&1; }
have dockerd || need_pkgs+=(docker.io)
have ab || need_pkgs+=(apache2-utils)
[[ -x /usr/sbin/nginx ]] || need_pkgs+=(nginx-light)
have ssh || need_pkgs+=(openssh-client)
if (( for_tests )); then
  [[ -x /usr/sbin/sshd ]] || need_pkgs+=(openssh-server)
  have chromium || need_pkgs+=(chromium)
  have wrk || need_pkgs+=(wrk)
  # The local guest's end-to-end test builds and boots a Debian guest under qemu (TCG).
  have qemu-system-x86_64 || need_pkgs+=(qemu-system-x86)
  have debootstrap || need_pkgs+=(debootstrap)
  have mkfs.ext4 || need_pkgs+=(e2fsprogs)
fi

if (( ${#need_pkgs[@]} )); then
  if [[ $(id -u) -ne 0 ]]; then
    log "missing Debian packages: ${need_pkgs[*]} — install them as root: apt-get install ${need_pkgs[*]}"
    exit 1
  fi
  log "installing ${need_pkgs[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# Debian's nginx package starts a system nginx on port 80; benchsuite runs its own with a generated config.
if [[ -x /usr/sbin/nginx ]] && pgrep -x nginx >/dev/null 2>&1 && [[ -f /run/nginx.pid ]]; then
  /usr/sbin/nginx -s stop >/dev/null 2>&1 || true
fi

# dockerd: start it when nothing answers on the socket.
if ! docker info >/dev/null 2>&1; then
  if [[ $(id -u) -ne 0 ]]; then
    log "dockerd is not running; start it as root (dockerd &) or via your init system"
    exit 1
  fi
  log "starting dockerd (log: /var/log/dockerd.log)"
  nohup dockerd >/var/log/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { log "dockerd did not come up; see /var/log/dockerd.log"; exit 1; }
fi

# npm dependencies and the build.
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
if [[ ! -f dist/src/cli/main.js ]] || [[ -n "$(find src bench -name '*.ts' -newer dist/src/cli/main.js -print -quit 2>/dev/null)" ]]; then
  log "building (tsc)"
  npx tsc -p tsconfig.json
fi

# The default workload image (GNU dd + nginx from this host), built locally: no registry needed.
node bin/benchsuite.js image build --if-missing >&2
