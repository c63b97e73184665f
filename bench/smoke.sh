#!/usr/bin/env bash
# CI smoke for the benchmark: runs the whole bench (every client, memory, cold start, bundle size)
# with tiny counts and checks that it prints its tables. It asserts no timing.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

npx tsx bench/run.ts --rounds 1 --seconds 0.01 --min-ops 200 --max-ops 200 --warmup-ops 50 \
  --mem-ops 200 --mem-rounds 1 --cold-runs 1 --out "$out/table.md" > "$out/stdout.md"

for heading in "getToken throughput" "CPU time per call" "Cold start" "Bundle size"; do
  grep -q "### $heading" "$out/stdout.md" || { echo "bench smoke: missing table: $heading"; exit 1; }
done
for client in "raw floor" "official @azure" "SDK + @acs-identity/transport-node" "reference: the floor run by Effect"; do
  grep -q "| $client" "$out/stdout.md" || { echo "bench smoke: missing row: $client"; exit 1; }
done
if grep -E '^\| (raw|official|SDK|reference)' "$out/stdout.md" | grep -q ' NaN'; then
  echo "bench smoke: a figure is NaN"
  exit 1
fi
# The in-process tools: the SDK's own cost per call, and bytes allocated per call.
npx tsx --conditions=source bench/overhead.ts 200 1 > "$out/overhead.txt"
grep -q "µs  SDK getToken under OpenTelemetry" "$out/overhead.txt" || { echo "bench smoke: overhead.ts printed no traced SDK figure"; exit 1; }
grep -q "µs  SDK getToken, Entra credential" "$out/overhead.txt" || { echo "bench smoke: overhead.ts printed no Entra figure"; exit 1; }
# The cold-start A/B, this checkout against itself, one run of the floor and the SDK.
npx tsx bench/cold-ab.ts bench/build 1 raw,sdk-lean > "$out/cold-ab.txt"
grep -q "^this sdk-lean bundled .*wall" "$out/cold-ab.txt" || { echo "bench smoke: cold-ab.ts printed no figure"; exit 1; }
npx tsx bench/alloc.ts 200 5 > "$out/alloc.txt"
grep -q "KB allocated per getToken" "$out/alloc.txt" || { echo "bench smoke: alloc.ts printed no figure"; exit 1; }
echo "bench smoke: tables printed"
