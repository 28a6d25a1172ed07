#!/usr/bin/env bash
# Benchmark of the Marktstammdatenregister Gesamtdatenexport reader (issue 14, item 6): writes two
# synthetic exports (scripts/mastr_bigfile.py; default 0.3 and 1.2 GB of UTF-16 XML) to a temp
# folder under /tmp, streams each with the reader alone (examples/mastr_bench.rs, release build; all
# municipalities kept, as in a national run) under /usr/bin/time -v, and prints throughput in MB/s
# of XML and peak RSS. Peak memory must not grow with the file: the two sizes show it.
# Usage: bash scripts/bench_mastr.sh [GB_small] [GB_large]      (called by scripts/bench.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
small="${1:-0.3}"
large="${2:-1.2}"
if ! [ -x /usr/bin/time ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
fi
cargo build --release --quiet --example mastr_bench
bin="${CARGO_TARGET_DIR:-target}/release/examples/mastr_bench"
work=$(mktemp -d /tmp/mastr_bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
rss_mb() { awk '/Maximum resident set size/ {printf "%d", $NF/1024}' "$1"; }
echo "MaStR Gesamtdatenexport reader (synthetic exports, all municipalities kept)"
for gb in "$small" "$large"; do
  mkdir -p "$work/$gb"
  zip="$work/$gb/Gesamtdatenexport_20250403_25.1.zip"
  python3 scripts/mastr_bigfile.py "$gb" "$zip" >/dev/null
  /usr/bin/time -v "$bin" "$zip" > "$work/out.txt" 2> "$work/time.txt"
  echo "  $gb GB: ZIP $(( $(stat -c %s "$zip") / 1000000 )) MB; $(tail -1 "$work/out.txt"); peak RSS $(rss_mb "$work/time.txt") MB"
  echo "         $(head -1 "$work/out.txt")"
  rm -f "$zip"
done
