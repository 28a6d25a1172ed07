#!/usr/bin/env bash
# Benchmark (issue 7). Builds in release mode, then measures on this machine:
#   (a) the five-member build (11 PDFs; bundled inputs, warm binary): per-document median, wall, peak RSS;
#   (b) the national briefing run (inputs/examples/germany.toml, every German municipality, with charts):
#       wall, per-document median, peak RSS, non-typesetting share;
#   (c) memory flatness: the same run for a tenth of the briefings (--shard 1/10), peak RSS;
#   (d) incremental: the national run again with unchanged inputs (manifest.json skips the run, and
#       with one output file removed, every PDF by its content hash);
#   (e) the typst CLI on a sample of the same generated sources (--keep-typst), one process per
#       document, with the program's fonts, against the in-process time of the same documents;
#   (f) the Marktstammdatenregister Gesamtdatenexport reader on synthetic exports of 0.3 and 1.2 GB
#       of XML (scripts/bench_mastr.sh): MB/s of XML and peak RSS.
# Usage: bash scripts/bench.sh [runs] [sample]   (default 5 runs of (a), 30 documents in (e))
# Needs /usr/bin/time (installed with apt-get if missing) and typst-cli 0.15.1: if `typst` 0.15.1 is
# not on PATH or in tools/bin, it is built with `cargo install --root tools` (about 7 minutes, once).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
sample="${2:-30}"
config=inputs/examples/germany.toml

if ! [ -x /usr/bin/time ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
fi
typst=""
for t in tools/bin/typst "$(command -v typst || true)"; do
  if [ -n "$t" ] && [ -x "$t" ] && "$t" --version 2>/dev/null | grep -q "0\.15\.1"; then typst="$t"; break; fi
done
if [ -z "$typst" ]; then
  echo "installing typst-cli 0.15.1 into tools/ (about 7 minutes, once) ..."
  cargo install --quiet --locked --root tools typst-cli --version 0.15.1
  typst=tools/bin/typst
fi

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/klimapartner"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cores=$(nproc)

# wall seconds and peak RSS (MB) from a /usr/bin/time -v log
wall_s() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$1"; }
rss_mb() { awk '/Maximum resident set size/ {printf "%d", $NF/1024}' "$1"; }
# median of numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print 0; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
doc_ms() { grep -oE '^(written|unchanged) [^ ]+ \(([0-9]+) ms\)' "$1" | sed -E 's/.*\(([0-9]+) ms\)/\1/'; }

echo "machine: $cores cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM; load before start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "(a) five-member build (11 PDFs), $runs runs after a warm-up, --force so every PDF is typeset"
"$bin" build --output "$work/five" --force >/dev/null 2>&1
: > "$work/five-ms.txt"; : > "$work/five-wall.txt"
for i in $(seq "$runs"); do
  /usr/bin/time -v "$bin" build --output "$work/five" --force 2> "$work/five.log" >/dev/null
  doc_ms "$work/five.log" >> "$work/five-ms.txt"
  wall_s "$work/five.log" >> "$work/five-wall.txt"
  echo "  run $i: wall $(wall_s "$work/five.log") s, peak RSS $(rss_mb "$work/five.log") MB"
done
echo "  per document: median $(median < "$work/five-ms.txt") ms, max $(sort -n "$work/five-ms.txt" | tail -1) ms; wall median $(median < "$work/five-wall.txt") s (target ≤ 1 s)"
grep '^time:' "$work/five.log" | sed 's/^/  /'

echo
members=$(grep -c '^\[\[member\]\]' "$config")
echo "(b) national briefing run: $members municipalities ($config), --documents briefing --force"
/usr/bin/time -v "$bin" build --config "$config" --documents briefing --force --output "$work/de" 2> "$work/de.log" >/dev/null
de_wall=$(wall_s "$work/de.log")
de_med=$(doc_ms "$work/de.log" | median)
echo "  $(grep -c '^written ' "$work/de.log") briefings; wall ${de_wall} s (target ≤ 180 s); per briefing median ${de_med} ms; peak RSS $(rss_mb "$work/de.log") MB (target ≤ 1024 MB)"
grep -E '^(time|note):' "$work/de.log" | sed 's/^/  /'

echo
echo "(c) memory flatness: the same run for a tenth of the briefings (--shard 1/10)"
/usr/bin/time -v "$bin" build --config "$config" --documents briefing --force --shard 1/10 --output "$work/de10" 2> "$work/de10.log" >/dev/null
echo "  $(grep -c '^written ' "$work/de10.log") briefings: wall $(wall_s "$work/de10.log") s, peak RSS $(rss_mb "$work/de10.log") MB (all briefings: $(rss_mb "$work/de.log") MB)"

echo
echo "(d) incremental: the national run again, inputs unchanged"
/usr/bin/time -v "$bin" build --config "$config" --documents briefing --output "$work/de" 2> "$work/re.log" >/dev/null
re_wall=$(wall_s "$work/re.log")
echo "  $(grep -oE '[0-9]+ PDF\(s\) written, [0-9]+ unchanged' "$work/re.log"); wall ${re_wall} s = $(awk -v a="$re_wall" -v b="$de_wall" 'BEGIN {printf "%.1f", 100*a/b}') % of the full run (target ≤ 10 %): the run's key (program, options, inputs) matches the manifest, so nothing is read"
# Without the whole-run shortcut (one data file gone): everything is read, computed and filled, and
# each document's content hash is compared with the manifest.
rm "$work/de/partnership.csv"
/usr/bin/time -v "$bin" build --config "$config" --documents briefing --output "$work/de" 2> "$work/re2.log" >/dev/null
re2_wall=$(wall_s "$work/re2.log")
echo "  per-document check (partnership.csv removed, so the run is not skipped as a whole): $(grep -oE '[0-9]+ PDF\(s\) written, [0-9]+ unchanged' "$work/re2.log"); wall ${re2_wall} s = $(awk -v a="$re2_wall" -v b="$de_wall" 'BEGIN {printf "%.1f", 100*a/b}') % of the full run"

echo
echo "(e) typst CLI ($("$typst" --version)) on $sample of the same briefings, one process per document"
# Every (members/sample)-th municipality; the same documents are rebuilt with --keep-typst.
step=$(( members / sample ))
mapfile -t pick < <(grep -oE '^ags = "[0-9]{8}"' "$config" | cut -d'"' -f2 | awk -v s="$step" -v n="$sample" '(NR-1) % s == 0 && c < n {print; c++}')
member_args=(); for a in "${pick[@]}"; do member_args+=(--member "$a"); done
"$bin" build --config "$config" --documents briefing --force --jobs 1 --keep-typst "$work/typ" \
  --output "$work/sample" "${member_args[@]}" 2> "$work/sample.log" >/dev/null
"$bin" fonts "$work/fonts" 2>/dev/null
mkdir -p "$work/cli"
# Same font set as the program: typst's embedded fonts (typst-assets) + the DejaVu Sans files, no
# system fonts; same PDF standards. Sequential, one process each, as a user would script it.
cli() { "$typst" compile --ignore-system-fonts --font-path "$work/fonts" --pdf-standard a-2a,ua-1 \
          --root "$1" "$1/main.typ" "$work/cli/$(basename "$1").pdf"; }
"$typst" --version >/dev/null
: > "$work/cli-ms.txt"
for d in "$work"/typ/*/; do
  d=${d%/}
  t0=$(date +%s%N); cli "$d"; t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 )) >> "$work/cli-ms.txt"
done
cli_med=$(median < "$work/cli-ms.txt")
# In-process times of the same documents in the national run (two threads busy) and alone (--jobs 1).
same_de=$(for a in "${pick[@]}"; do grep -E "^written ratsinfo_[0-9]+_${a}_" "$work/de.log"; done | grep -oE '\(([0-9]+) ms\)' | tr -d '(ms)' | median)
same_one=$(doc_ms "$work/sample.log" | median)
echo "  CLI: median ${cli_med} ms per document (process start, fonts, compile, PDF)"
echo "  in-process, same documents: median ${same_de} ms in the national run (2 threads), ${same_one} ms alone (--jobs 1)"
echo "  ratio CLI / in-process: $(awk -v c="$cli_med" -v i="$same_de" 'BEGIN {printf "%.1f", c/i}')× (national run), $(awk -v c="$cli_med" -v i="$same_one" 'BEGIN {printf "%.1f", c/i}')× (alone) (target ≥ 2×)"
t0=$(date +%s%N)
printf '%s\n' "$work"/typ/*/ | sed 's:/$::' | xargs -P "$cores" -I{} "$typst" compile --ignore-system-fonts \
  --font-path "$work/fonts" --pdf-standard a-2a,ua-1 --root {} {}/main.typ {}.pdf
t1=$(date +%s%N)
cli_rate=$(awk -v n="${#pick[@]}" -v ms=$(( (t1 - t0) / 1000000 )) 'BEGIN {printf "%.1f", n*1000/ms}')
de_rate=$(awk -v n="$(grep -c '^written ' "$work/de.log")" -v s="$de_wall" 'BEGIN {printf "%.1f", n/s}')
echo "  throughput with $cores processes at a time: CLI ${cli_rate} documents/s; national run ${de_rate} briefings/s (including ingest and compute)"
de_per=$(awk -v n="$(grep -c '^written ' "$work/de.log")" -v s="$de_wall" 'BEGIN {printf "%.1f", s*1000/n}')
echo "  wall time per briefing in the national run: ${de_per} ms (everything included) against ${cli_med} ms per document for the CLI run one after another: $(awk -v c="$cli_med" -v i="$de_per" 'BEGIN {printf "%.1f", c/i}')×; at equal cores (CLI $cores processes at a time): $(awk -v c="$cli_rate" -v d="$de_rate" 'BEGIN {printf "%.1f", d/c}')×"
echo
echo "(f) Marktstammdatenregister Gesamtdatenexport reader: throughput and peak RSS at two sizes"
bash scripts/bench_mastr.sh
