#!/usr/bin/env bash
# Runs one test file several times while busy loops keep cores saturated, and counts the
# runs that fail: how a timing-sensitive test is reproduced without a loaded CI machine.
#   scripts/stress-e2e.sh test/e2e/lb-service.test.ts [runs=6] [busy loops=2]
# Needs a build (npm run build) for e2e files. Each busy loop stops with the script, and
# after 30 minutes at the latest.
set -u
file=${1:?usage: scripts/stress-e2e.sh <test file> [runs] [busy loops]}
runs=${2:-6}
busy=${3:-2}
cd "$(dirname "$0")/.."
pids=()
for _ in $(seq 1 "$busy"); do
  (end=$((SECONDS + 1800)); while [ $SECONDS -lt $end ]; do :; done) &
  pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
failed=0
for n in $(seq 1 "$runs"); do
  if npx vitest run "$file" > "/tmp/stress-e2e-$n.log" 2>&1; then echo "run $n: passed"; else echo "run $n: FAILED (/tmp/stress-e2e-$n.log)"; failed=$((failed + 1)); fi
done
echo "$((runs - failed)) passed, $failed failed, with $busy busy loops"
