#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (root) that has only Node 20 and npm:
# installs the Debian packages benchsuite drives, starts dockerd, installs npm dependencies, builds,
# installs the packages of the workload kinds' programs (listed by the build itself: their requirements in
# src/workloads/<kind>/, read by scripts/workload-packages.mjs), and builds the default workload image.
# Re-running it when everything is in place takes about a second.
#   --for-tests  also installs what only the test suite needs (sshd for SSH-target tests, chromium for the
#                HTML report test, qemu and debootstrap for the local guest's test).
set -euo pipefail
cd "$(dirname "$0")/.."

for_tests=0
[[ "${1:-}" == "--for-tests" ]] && for_tests=1

log() { printf 'setup: %s\n' "$*" >&2; }

apt_install() {
  if [[ $(id -u) -ne 0 ]]; then
    log "missing Debian packages: $* — install them as root: apt-get install $*"
    exit 1
  fi
  log "installing $* (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Bootstrap: what is needed before benchsuite builds and runs (the workload kinds' own packages come later).
need_pkgs=()
have() { command -v "$1" >/dev/null 2>&1; }
have dockerd || need_pkgs+=(docker.io)
have ssh || need_pkgs+=(openssh-client)
if (( for_tests )); then
  [[ -x /usr/sbin/sshd ]] || need_pkgs+=(openssh-server)
  have chromium || need_pkgs+=(chromium)
  # The local guest's end-to-end test builds and boots a Debian guest under qemu (TCG).
  have qemu-system-x86_64 || need_pkgs+=(qemu-system-x86)
  have debootstrap || need_pkgs+=(debootstrap)
  have mkfs.ext4 || need_pkgs+=(e2fsprogs)
fi

(( ${#need_pkgs[@]} )) && apt_install "${need_pkgs[@]}"

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

# The workload kinds' programs (derived from src/workloads/registry.ts, read from the build). A Debian package
# may start a system service (nginx on port 80): benchsuite runs its own, with its own config.
kind_pkgs=()
kind_services=()
while read -r what name; do
  [[ $what == package ]] && kind_pkgs+=("$name")
  [[ $what == service ]] && kind_services+=("$name")
done < <(node scripts/workload-packages.mjs --setup)
(( ${#kind_pkgs[@]} )) && apt_install "${kind_pkgs[@]}"
for svc in "${kind_services[@]}"; do
  if [[ -f "/run/$svc.pid" && -x "/etc/init.d/$svc" ]]; then
    "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
  fi
done

# The default workload image (this host's own binaries of the kinds' programs), built locally: no registry needed.
node bin/benchsuite.js image build --if-missing >&2
