#!/usr/bin/env bash
# scripts/setup.sh — make this machine ready to build, run and test skiff.
#
# Idempotent and fast when everything is already there (a few seconds). On a
# fresh Debian 12 machine it installs what is missing:
#   - Debian packages: docker.io (Docker Engine), awscli (AWS CLI v2 at
#     /usr/bin/aws), busybox-static (for the local test image), iptables and
#     ca-certificates;
#   - node modules (npm ci), when node_modules is missing or stale;
#   - a running Docker Engine (dockerd started in the background when no
#     engine answers);
#   - the local test image skiff-test/busybox:latest, built FROM scratch from
#     scripts/images/busybox/Dockerfile (no registry is reachable here: images
#     are never pulled);
# and then checks node, the AWS CLI and that a container really runs.
#
# Environment:
#   DOCKER_HOST               respected: the engine is looked for there.
#   SKIFF_DOCKER_WAIT         seconds to wait for a started dockerd (default 60).
#   SKIFF_SETUP_SKIP_NPM=1    skip the node_modules step.
#   SKIFF_SETUP_SKIP_DOCKER=1 skip everything Docker (engine, image, run check).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

log() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

START_TS=$(date +%s)

# Run privileged commands directly as root, through sudo otherwise.
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    log "not root and no sudo: installing packages or starting dockerd will fail if needed"
  fi
fi
as_root() { "${SUDO[@]}" "$@"; }

# ---------------------------------------------------------------------------
# 1. Debian packages
# ---------------------------------------------------------------------------
APT_PACKAGES=(docker.io awscli busybox-static iptables ca-certificates)

pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# apt-get, run quietly (its output goes to a log, shown only on failure),
# waiting (bounded) for the dpkg/apt locks that another process, e.g. a
# concurrent install, may hold. NEEDRESTART_SUSPEND: these machines have
# needrestart, which is noisy and pointless here. Recommends are kept:
# docker.io recommends apparmor and cgroupfs-mount, which a kernel with
# AppArmor enabled or without mounted cgroups needs.
APT_LOG=""
apt_get() {
  local tries=0
  until as_root env DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 \
      apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 "$@" >>"$APT_LOG" 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 3 ]; then
      tail -n 30 "$APT_LOG" >&2
      return 1
    fi
    log "apt-get $1 failed (lock held or transient error); retrying in 10 s"
    sleep 10
  done
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
  pkg_installed "$p" || missing+=("$p")
done
# awscli must really be v2 at /usr/bin/aws (a v1 `aws` from pip may shadow it
# on PATH; skiff always calls /usr/bin/aws explicitly).
if [ ! -x /usr/bin/aws ] && ! printf '%s\n' "${missing[@]:-}" | grep -qx awscli; then
  missing+=(awscli)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get: install them by hand"
  log "installing Debian packages: ${missing[*]}"
  APT_LOG=$(mktemp /tmp/skiff-setup-apt.XXXXXX.log)
  apt_get update -qq || die "apt-get update failed (log: $APT_LOG)"
  apt_get install -y -qq "${missing[@]}" \
    || die "apt-get install ${missing[*]} failed (log: $APT_LOG)"
  rm -f "$APT_LOG"
  log "installed ${missing[*]}"
else
  log "Debian packages present (${APT_PACKAGES[*]})"
fi

# ---------------------------------------------------------------------------
# 2. Node.js and node modules
# ---------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || die "node not found: Node.js >= 20.19 is required"
NODE_VERSION=$(node --version)
node -e '
  const [maj, min] = process.versions.node.split(".").map(Number);
  process.exit(maj > 20 || (maj === 20 && min >= 19) ? 0 : 1);
' || die "node $NODE_VERSION is too old: Node.js >= 20.19 is required (package.json engines)"
command -v npm >/dev/null 2>&1 || die "npm not found"

if [ "${SKIFF_SETUP_SKIP_NPM:-0}" != 1 ] && [ -f package.json ]; then
  stamp=node_modules/.package-lock.json   # npm rewrites it on every install
  need_npm=""
  if [ ! -d node_modules ] || [ ! -f "$stamp" ]; then
    need_npm="node_modules missing"
  elif [ -f package-lock.json ] && [ package-lock.json -nt "$stamp" ]; then
    need_npm="package-lock.json is newer than node_modules"
  elif [ ! -f package-lock.json ] && [ package.json -nt "$stamp" ]; then
    need_npm="package.json is newer than node_modules"
  fi
  if [ -n "$need_npm" ]; then
    t0=$(date +%s)
    if [ -f package-lock.json ]; then
      # better-sqlite3 has no reachable prebuilt binary here: its install
      # script's download fails and it compiles from source (~2 min).
      log "npm ci ($need_npm; better-sqlite3 compiles from source, ~2 min)"
      npm_log=$(mktemp /tmp/skiff-setup-npm.XXXXXX.log)
      if npm ci --no-audit --no-fund >"$npm_log" 2>&1; then
        grep -v 'Unknown user config' "$npm_log" | tail -n 3
      else
        # npm ci refuses a lock file that is out of sync with package.json.
        # On these machines that is the normal case: the npm registry they
        # reach lacks other platforms' optional packages at the locked
        # versions (e.g. @rollup/rollup-android-arm64), so `npm install`
        # writes a lock without them, which npm ci then rejects ("Missing:
        # @rollup/rollup-android-arm-eabi@ from lock file"). `npm install`
        # installs the same locked versions, so fall back to it.
        if grep -q 'package.json and package-lock.json' "$npm_log"; then
          log "npm ci rejected package-lock.json (this registry lacks other platforms' optional packages); using npm install"
          rm -f "$npm_log"
          npm install --no-audit --no-fund
        else
          grep -v 'Unknown user config' "$npm_log" | tail -n 40 >&2
          rm -f "$npm_log"
          die "npm ci failed"
        fi
      fi
      rm -f "$npm_log"
    else
      log "npm install (no package-lock.json yet; $need_npm)"
      npm install --no-audit --no-fund
    fi
    touch "$stamp"   # newer than package-lock.json: the next run skips npm
    log "node modules installed in $(( $(date +%s) - t0 )) s"
  else
    log "node modules up to date"
  fi
fi

# ---------------------------------------------------------------------------
# 3. Docker Engine
# ---------------------------------------------------------------------------
DOCKERD_LOG=/var/log/skiff-dockerd.log
DOCKER_WAIT=${SKIFF_DOCKER_WAIT:-60}
TEST_IMAGE=skiff-test/busybox:latest

docker_ok() { docker info >/dev/null 2>&1; }

wait_docker() {   # wait_docker SECONDS [PID]: 0 once the engine answers
  local secs=$1 pid=${2:-} i
  for ((i = 0; i < secs * 2; i++)); do
    docker_ok && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      return 1   # the dockerd we started has exited
    fi
    sleep 0.5
  done
  docker_ok
}

# Flag sets tried in order when we start dockerd ourselves. The plain start
# works on these machines (Debian 12, kernel with overlayfs, iptables-nft,
# cgroup v1, no systemd): overlay2 storage, the docker0 bridge and iptables
# NAT all come up, so port publishing and container networking behave as on
# a normal host. The fallbacks are for sandboxes where that is not so:
#   2. --iptables=false: the kernel has no usable netfilter (nf_tables/
#      iptable_nat missing, or no permission), which makes dockerd exit with
#      "failed to create NAT chain DOCKER". Published ports still work through
#      docker-proxy (userland proxy).
#   3. + --storage-driver=vfs: overlay mounts are refused (e.g. the data root
#      is itself on overlayfs in a nested container). vfs copies layers: slow
#      and disk-hungry, but works anywhere.
#   4. + --bridge=none: no permission to create the docker0 bridge (no
#      CAP_NET_ADMIN). Containers then get only --network host / none.
DOCKERD_FLAGSETS=(
  ""
  "--iptables=false"
  "--iptables=false --storage-driver=vfs"
  "--iptables=false --storage-driver=vfs --bridge=none"
)

start_dockerd() {
  command -v dockerd >/dev/null 2>&1 || [ -x /usr/sbin/dockerd ] \
    || die "dockerd not found (is docker.io installed?)"
  local dockerd_bin host_flags=() flags pid
  dockerd_bin=$(command -v dockerd || echo /usr/sbin/dockerd)
  if [ -n "${DOCKER_HOST:-}" ]; then
    case "$DOCKER_HOST" in
      unix://*) host_flags=(-H "$DOCKER_HOST") ;;
      *) die "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST" ;;
    esac
  fi

  # systemd only if it is really PID 1 (these machines have none: systemctl
  # exists but answers "offline").
  if [ -z "${DOCKER_HOST:-}" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    log "starting docker with systemctl"
    if as_root systemctl start docker && wait_docker "$DOCKER_WAIT"; then
      return 0
    fi
    log "systemctl start docker did not bring up an engine; starting dockerd by hand"
  fi

  as_root mkdir -p "$(dirname "$DOCKERD_LOG")"
  for flags in "${DOCKERD_FLAGSETS[@]}"; do
    log "starting dockerd ${flags:-(default flags)}${host_flags[*]:+ ${host_flags[*]}} (log: $DOCKERD_LOG)"
    printf '\n==== %s skiff setup: dockerd %s %s\n' "$(date -u +%FT%TZ)" "${host_flags[*]:-}" "$flags" \
      | as_root tee -a "$DOCKERD_LOG" >/dev/null
    # setsid + nohup + all fds redirected: the engine outlives this script and
    # make, ignores the terminal's Ctrl-C, and holds no pipe of the caller (a
    # CI runner waiting for its output to close would hang otherwise). A plain
    # command, not a shell function, is put in the background: bash would fork
    # a subshell for a function, which stays as dockerd's parent holding a copy
    # of the caller's stdout. As root, $! is dockerd's own pid (setsid, nohup
    # and bash exec); under sudo it is sudo's.
    # The wrapper also closes every inherited fd above 2 (make's jobserver
    # pipe, a runner's extra pipes), for the same reason.
    # shellcheck disable=SC2086,SC2016  # $flags splits on purpose; $1 is the wrapper's
    "${SUDO[@]}" setsid nohup bash -c '
        log=$1; shift
        for fd in /proc/$$/fd/*; do
          fd=${fd##*/}
          if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
        done 2>/dev/null
        exec "$@" >>"$log" 2>&1' \
      skiff-dockerd "$DOCKERD_LOG" "$dockerd_bin" "${host_flags[@]}" $flags \
      </dev/null >/dev/null 2>&1 &
    pid=$!
    if wait_docker "$DOCKER_WAIT" "$pid"; then
      [ -z "$flags" ] || log "dockerd is up only with fallback flags: $flags"
      return 0
    fi
    if kill -0 "$pid" 2>/dev/null; then
      log "dockerd did not answer within ${DOCKER_WAIT} s; stopping it"
      as_root kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      as_root kill -KILL "$pid" 2>/dev/null || true
    fi
    log "dockerd ${flags:-(default flags)} failed: $(as_root tail -n 200 "$DOCKERD_LOG" \
      | grep -E 'level=(fatal|error)|failed to start' | tail -n 1 | cut -c1-300)"
  done
  as_root tail -n 30 "$DOCKERD_LOG" >&2 || true
  die "could not start the Docker Engine (see $DOCKERD_LOG)"
}

if [ "${SKIFF_SETUP_SKIP_DOCKER:-0}" != 1 ]; then
  command -v docker >/dev/null 2>&1 || die "no docker client on PATH (docker.io provides /usr/bin/docker)"
  if docker_ok; then
    log "Docker Engine answers${DOCKER_HOST:+ at $DOCKER_HOST}"
  elif pgrep -x dockerd >/dev/null 2>&1 && [ -z "${DOCKER_HOST:-}" ]; then
    # Another process (another setup run, an init script) is starting it.
    log "dockerd is running but not answering yet; waiting up to ${DOCKER_WAIT} s"
    wait_docker "$DOCKER_WAIT" || start_dockerd
  else
    start_dockerd
  fi
  docker_ok || die "docker info does not answer"
  log "Docker Engine up: server $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')," \
      "storage $(docker info --format '{{.Driver}}' 2>/dev/null || echo '?')"

  # -------------------------------------------------------------------------
  # 4. Local test image, built FROM scratch (never pulled)
  # -------------------------------------------------------------------------
  DOCKERFILE_DIR="$ROOT/scripts/images/busybox"
  [ -f "$DOCKERFILE_DIR/Dockerfile" ] || die "missing $DOCKERFILE_DIR/Dockerfile"
  # The image carries the Dockerfile's hash, so editing the Dockerfile
  # rebuilds it on the next run.
  want_hash=$(sha256sum "$DOCKERFILE_DIR/Dockerfile" | cut -c1-16)
  have_hash=$(docker image inspect "$TEST_IMAGE" \
    --format '{{ index .Config.Labels "skiff.dockerfile-sha256" }}' 2>/dev/null || true)
  if [ "$have_hash" != "$want_hash" ]; then
    BUSYBOX_BIN=/bin/busybox
    [ -x "$BUSYBOX_BIN" ] || die "$BUSYBOX_BIN not found (package busybox-static)"
    file_out=$(LC_ALL=C file -L "$BUSYBOX_BIN" 2>/dev/null || true)
    case "$file_out" in
      *dynamically*) die "$BUSYBOX_BIN is dynamically linked; the FROM scratch image needs busybox-static" ;;
    esac
    log "building $TEST_IMAGE from scripts/images/busybox/Dockerfile"
    ctx=$(mktemp -d)
    trap 'rm -rf "$ctx"' EXIT
    cp "$DOCKERFILE_DIR/Dockerfile" "$ctx/Dockerfile"
    cp "$BUSYBOX_BIN" "$ctx/busybox"
    if ! docker build --label "skiff.dockerfile-sha256=$want_hash" -t "$TEST_IMAGE" "$ctx" \
        >"$ctx.build.log" 2>&1; then
      tail -n 30 "$ctx.build.log" >&2
      rm -f "$ctx.build.log"
      die "docker build of $TEST_IMAGE failed"
    fi
    rm -rf "$ctx" "$ctx.build.log"
    trap - EXIT
  else
    log "image $TEST_IMAGE present"
  fi

  # Prove that a container really runs.
  out=$(docker run --rm "$TEST_IMAGE" echo ok 2>&1) || die "docker run $TEST_IMAGE failed: $out"
  [ "$out" = ok ] || die "docker run $TEST_IMAGE printed '$out', expected 'ok'"
  log "container runs ($TEST_IMAGE: echo ok)"
fi

# ---------------------------------------------------------------------------
# 5. Final checks
# ---------------------------------------------------------------------------
aws_version=$(/usr/bin/aws --version 2>&1) || die "/usr/bin/aws --version failed: $aws_version"
case "$aws_version" in
  aws-cli/2.*) ;;
  *) die "/usr/bin/aws is not AWS CLI v2: $aws_version" ;;
esac

summary="node $NODE_VERSION, ${aws_version%% *}"
if [ "${SKIFF_SETUP_SKIP_DOCKER:-0}" != 1 ]; then
  summary+=", docker engine $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')"
fi
log "ready in $(( $(date +%s) - START_TS )) s: $summary"
