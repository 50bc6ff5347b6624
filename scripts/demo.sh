#!/usr/bin/env bash
# scripts/demo.sh — start skiff and talk to it with the stock AWS CLI v2.
#
# Starts `node bin/skiff.js up` in the background on port $SKIFF_PORT (default
# 4750) with the data directory ./.skiff (or $SKIFF_DATA_DIR), waits until the
# endpoint answers, runs a few `aws ecs ...` commands against it (each printed
# before it runs), then keeps the server in the foreground: Ctrl-C stops it.
#
# Run it through `make run` (which runs setup and build first), or directly
# once dist/ is built.
#
# It then runs the task it registered, waits for it to stop and shows its output
# through the CloudWatch Logs API.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PORT=${SKIFF_PORT:-4750}
DATA_DIR=${SKIFF_DATA_DIR:-./.skiff}
ENDPOINT="http://127.0.0.1:$PORT"
SERVER_LOG="$DATA_DIR/skiff-up.log"
AWS=/usr/bin/aws   # AWS CLI v2 from Debian; a v1 `aws` (pip) may come first on PATH

say() { printf 'demo: %s\n' "$*"; }
die() { printf 'demo: ERROR: %s\n' "$*" >&2; exit 1; }

[ -f dist/cli/index.js ] || die "dist/ is not built: run 'make build' (or 'make run')"
[ -x "$AWS" ] || die "$AWS not found: run 'make setup'"

# Dummy credentials: the CLI signs every request; skiff accepts any key.
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test}
export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_PAGER=""                   # print, don't page through less
export AWS_EC2_METADATA_DISABLED=true # never look for an instance role

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

port_open && die "something already listens on 127.0.0.1:$PORT (another skiff?); stop it or set SKIFF_PORT"

mkdir -p "$DATA_DIR"
SERVER_PID=""

# shellcheck disable=SC2317  # trap handlers, called indirectly
stop_server() {
  local sig=${1:-TERM}
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -"$sig" "$SERVER_PID" 2>/dev/null || true
    # Give it its graceful shutdown, then make sure it is gone.
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  [ -z "${TAIL_PID:-}" ] || kill "$TAIL_PID" 2>/dev/null || true
}
# shellcheck disable=SC2317
on_signal() {
  local sig=$1 code=$2
  trap - INT TERM EXIT
  echo
  say "stopping skiff (SIG$sig)"
  stop_server "$sig"
  exit "$code"
}
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'stop_server TERM' EXIT   # e.g. an aws command failed: don't leave skiff behind

say "starting: node bin/skiff.js up --port $PORT --data-dir $DATA_DIR  (log: $SERVER_LOG)"
# In its own session (setsid): a terminal's Ctrl-C reaches only this script,
# whose trap forwards it once, so skiff sees one signal, not two.
SETSID=(); command -v setsid >/dev/null 2>&1 && SETSID=(setsid)
SKIFF_PORT=$PORT SKIFF_DATA_DIR=$DATA_DIR \
  "${SETSID[@]}" node bin/skiff.js up --port "$PORT" --data-dir "$DATA_DIR" </dev/null >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

# Wait (bounded) until the endpoint accepts connections.
for i in $(seq 1 150); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    tail -n 30 "$SERVER_LOG" >&2 || true
    die "skiff exited before it answered (log: $SERVER_LOG)"
  fi
  port_open && break
  [ "$i" -lt 150 ] || { tail -n 30 "$SERVER_LOG" >&2; die "skiff did not answer on $ENDPOINT within 30 s"; }
  sleep 0.2
done
say "skiff answers at $ENDPOINT"
echo

aws_() {
  printf '$ aws %s\n' "$*"
  "$AWS" --endpoint-url "$ENDPOINT" --region us-east-1 "$@"
  echo
}

aws_ ecs create-cluster --cluster-name demo
aws_ ecs register-task-definition --cli-input-json file://examples/hello-taskdef.json
aws_ ecs list-task-definitions
aws_ ecs describe-task-definition --task-definition hello --query 'taskDefinition.{family: family, revision: revision, cpu: cpu, memory: memory}'

# the main job: a container on demand, by its CPU and memory
printf '$ aws ecs run-task --cluster demo --task-definition hello --launch-type FARGATE ...\n'
TASK_ARN=$("$AWS" --endpoint-url "$ENDPOINT" --region us-east-1 ecs run-task --cluster demo --task-definition hello \
  --launch-type FARGATE --network-configuration 'awsvpcConfiguration={subnets=[subnet-demo],assignPublicIp=ENABLED}' \
  --query 'tasks[0].taskArn' --output text)
echo "$TASK_ARN"
echo
aws_ ecs wait tasks-stopped --cluster demo --tasks "$TASK_ARN"
aws_ ecs describe-tasks --cluster demo --tasks "$TASK_ARN" --query 'tasks[0].{lastStatus: lastStatus, stopCode: stopCode, exitCode: containers[0].exitCode}'
aws_ logs get-log-events --log-group-name /ecs/hello --log-stream-name "ecs/hello/${TASK_ARN##*/}" --start-from-head --query 'events[].message'

say "skiff keeps running at $ENDPOINT (data: $DATA_DIR). Try, for example:"
say "  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test $AWS --endpoint-url $ENDPOINT --region us-east-1 ecs list-clusters"
say "server log follows; Ctrl-C stops skiff"
echo
tail -n +1 -f "$SERVER_LOG" &
TAIL_PID=$!

# Foreground: wait on the server; the traps above forward SIGINT/SIGTERM.
set +e
wait "$SERVER_PID"
code=$?
set -e
trap - EXIT INT TERM
kill "$TAIL_PID" 2>/dev/null || true
say "skiff exited with status $code"
exit "$code"
