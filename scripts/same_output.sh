#!/usr/bin/env bash
# Refactor check (issue 17): runs one binary on the three reference builds and writes their outputs
# to DIR/{de,en,shard}. Run it once with the old binary and once with the new one, then compare:
#   bash scripts/same_output.sh OLD_BINARY /tmp/before
#   bash scripts/same_output.sh NEW_BINARY /tmp/after
#   bash scripts/same_output.sh --compare /tmp/before /tmp/after
# The comparison is byte for byte for every file, except manifest.json and shard.json, compared without
# their run key (it hashes the executable).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--compare" ]; then
  a="$2"; b="$3"; status=0
  for f in $(cd "$a" && find . -type f | sort); do
    if [ ! -f "$b/$f" ]; then echo "missing in $b: $f"; status=1; continue; fi
    case "$f" in
      */manifest.json|*/shard.json)
        if ! cmp -s <(grep -v '^    "key": ' "$a/$f") <(grep -v '^    "key": ' "$b/$f"); then
          echo "differs: $f"; status=1; fi ;;
      *) cmp -s "$a/$f" "$b/$f" || { echo "differs: $f"; status=1; } ;;
    esac
  done
  for f in $(cd "$b" && find . -type f | sort); do
    [ -f "$a/$f" ] || { echo "only in $b: $f"; status=1; }
  done
  [ $status -eq 0 ] && echo "identical: $(cd "$a" && find . -type f | wc -l) files"
  exit $status
fi
bin="$1"; out="$2"
rm -rf "$out"; mkdir -p "$out"
"$bin" build --output "$out/de" --force >/dev/null 2>&1
"$bin" build --output "$out/en" --lang en --force >/dev/null 2>&1
"$bin" build --config inputs/examples/germany.toml --shard 1/50 --output "$out/shard" --force >/dev/null 2>&1
