#!/usr/bin/env bash
# Runs everything CI runs: formatting, lints, unit and integration tests.
# Installs what the tests need first (poppler-utils for pdftotext/pdfinfo/pdftoppm, qpdf).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pdftotext >/dev/null || ! command -v pdfinfo >/dev/null || ! command -v qpdf >/dev/null; then
  echo "installing poppler-utils (pdftotext, pdfinfo, pdftoppm) and qpdf ..."
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq poppler-utils qpdf >/dev/null
fi
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    rustup component add "$component"
  fi
done

cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
# `cargo test` also compiles the fuzz targets' bodies (klimapartner::fuzzing) and replays fuzz/regressions/
# and the seed corpus through them (tests/fuzz_replay/); fuzzing itself needs cargo-fuzz (see README).
cargo test
