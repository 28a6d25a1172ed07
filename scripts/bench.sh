#!/usr/bin/env bash
# Benchmark: release build of the five-member partnership on the bundled inputs.
# Prints per-document wall time (median, max), total wall time and peak memory (RSS).
# Usage: bash scripts/bench.sh [runs]   (default 5 runs after one warm-up)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet
bin=target/release/klimapartner
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" build --output "$out" >/dev/null 2>&1   # warm-up (page cache, fonts)
: > "$out/times.txt"
for i in $(seq "$runs"); do
  /usr/bin/time -v "$bin" build --output "$out" 2> "$out/run.log" >/dev/null
  grep -oE '\(([0-9]+) ms\)' "$out/run.log" | tr -d '(ms)' >> "$out/times.txt"
  wall=$(grep "Elapsed (wall clock)" "$out/run.log" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$out/run.log" | awk '{print $NF}')
  echo "run $i: wall $wall, peak RSS $((rss / 1024)) MB"
done
sort -n "$out/times.txt" | awk '{a[NR]=$1} END {printf "per document: n=%d median %d ms, max %d ms\n", NR, a[int((NR+1)/2)], a[NR]}'
