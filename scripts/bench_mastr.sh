#!/usr/bin/env bash
# Benchmark of the Marktstammdatenregister Gesamtdatenexport reader (issue 14, item 6): writes two
# synthetic exports (scripts/mastr_bigfile.py; default 0.3 and 1.2 GB of UTF-16 XML) to a temp
# folder under /tmp, streams each with the reader alone (examples/mastr_bench.rs, release build)
# under /usr/bin/time -v, keeping every municipality (a national run) and one district's, and
# prints throughput in MB/s of XML and peak RSS. Peak memory must not grow with the file: the two
# sizes show it (a national run's sums are bounded by AGS x technology x year, not by the file).
# Usage: bash scripts/bench_mastr.sh [GB_small] [GB_large]      (called by scripts/bench.sh)
# MASTR_BENCH_FAST=1 builds the reader's crates optimised (opt-level 3: klimapartner, quick-xml, zip,
# flate2, zlib-rs, miniz_oxide, encoding_rs, …) and all else unoptimised (profile `benchreader`),
# for a busy machine where a release build of typst and polars takes too long.
set -euo pipefail
cd "$(dirname "$0")/.."
small="${1:-0.3}"
large="${2:-1.2}"
if ! [ -x /usr/bin/time ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
fi
if [ "${MASTR_BENCH_FAST:-0}" = 1 ]; then
  cfg=(--config 'profile.benchreader.inherits="dev"' --config 'profile.benchreader.debug=false')
  for p in klimapartner quick-xml zip flate2 miniz_oxide zlib-rs simd-adler32 encoding_rs memchr crc32fast adler2 hashbrown; do
    cfg+=(--config "profile.benchreader.package.$p.opt-level=3")
  done
  cargo build --quiet --example mastr_bench --profile benchreader "${cfg[@]}"
  bin="${CARGO_TARGET_DIR:-target}/benchreader/examples/mastr_bench"
else
  cargo build --release --quiet --example mastr_bench
  bin="${CARGO_TARGET_DIR:-target}/release/examples/mastr_bench"
fi
work=$(mktemp -d /tmp/mastr_bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
rss_mb() { awk '/Maximum resident set size/ {printf "%.1f", $NF/1024}' "$1"; }
echo "MaStR Gesamtdatenexport reader (synthetic exports; national: every AGS kept, district: AGS 147…)"
for gb in "$small" "$large"; do
  mkdir -p "$work/$gb"
  zip="$work/$gb/Gesamtdatenexport_20250403_25.1.zip"
  python3 scripts/mastr_bigfile.py "$gb" "$zip" >/dev/null
  for scope in national district; do
    prefix=""; [ "$scope" = district ] && prefix=147
    /usr/bin/time -v "$bin" "$zip" $prefix > "$work/out.txt" 2> "$work/time.txt"
    echo "  $gb GB, $scope: $(tail -1 "$work/out.txt"); peak RSS $(rss_mb "$work/time.txt") MB"
    echo "      ZIP $(( $(stat -c %s "$zip") / 1000000 )) MB; $(head -1 "$work/out.txt")"
  done
  rm -f "$zip"
done
