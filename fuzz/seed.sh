#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the test fixtures (the corpus folders are not committed).
# Run from fuzz/: bash seed.sh
set -euo pipefail
F=../tests/fixtures
mk() { mkdir -p "corpus/$1"; }
n=0
seed() { # target, file, bytes-to-skip-from-first-line(0|1), prefix-byte(optional)
  local t=$1 f=$2 skip=$3 pre=${4:-}
  mk "$t"; n=$((n+1))
  { [ -n "$pre" ] && printf "$pre"; if [ "$skip" = 1 ]; then tail -n +2 "$f"; else cat "$f"; fi; } > "corpus/$t/seed_$n"
}
for f in $F/formats/statistics/regionalstatistik/*.csv $F/formats/statistics/variants/12411-01-01-5_flags.csv; do seed genesis_table "$f" 1; done
seed ffcsv $F/formats/statistics/zensus2022/1000A-0000_de_flat.csv 1 '\x00'
seed ffcsv $F/formats/statistics/variants/12411-0015_de_flat_old.csv 1 '\x01'
for f in $F/formats/statistics/mastr/mastr-sample-ags-147-2014f.csv $F/formats/statistics/variants/mastr_register_dates_ddmmyyyy.csv; do
  mk mastr; n=$((n+1)); head -c 20000 "$f" | tail -n +2 > "corpus/mastr/seed_$n"
done
for f in $F/small/statistics/national/*.csv; do mk per_ags; n=$((n+1)); sed '1s/^ags,//' "$f" > "corpus/per_ags/seed_$n"; done
seed long $F/small/statistics/leipzig/leipzig_bisko_2019.csv 0
for f in $F/formats/statistics/zensus2022_zip/*.zip $F/small/statistics/national/area_2021.csv $F/small/geometry/*.geojson; do seed any_file "$f" 0 '\x00'; done
seed any_file $F/formats/statistics/zensus2022_zip/1000A-0000_de_flat.zip 0 '\x01'
seed config $F/small/partnership.toml 0
mk cell; for s in '1.234' '1.234,5' '-' '.' 'x' '...' '/' '(1.234)' '5.678p' '2.33888E-05' '-12,25'; do n=$((n+1)); printf '%s' "$s" > "corpus/cell/seed_$n"; done
mk scan; cp $F/small/statistics/leipzig/leipzig_bisko_2019.csv corpus/scan/seed_a; head -c 5000 $F/formats/statistics/mastr/mastr-sample-ags-147-2014f.csv > corpus/scan/seed_b
mk escape; for s in '#read("/etc/passwd")' '*x* $y$ <z> @w' '= Heading' '- item' '1. item' '`raw`' 'https://x.de' 'a\b' "Groß – \"quoted\" 'single'"; do n=$((n+1)); printf '%s' "$s" > "corpus/escape/seed_$n"; done
mk formula; for s in 'ghg_t / population' '(a + b) * -c >= 2 and d' '((((1))))' '--x'; do n=$((n+1)); printf '%s' "$s" > "corpus/formula/seed_$n"; done
mk plausibility; cp ../src/ingest/plausibility.csv corpus/plausibility/seed_a
# formula_depth: depth (2 bytes, little-endian), what nests (1 byte), the innermost formula.
mk formula_depth; printf '\x40\x00\x00x' > corpus/formula_depth/seed_a; printf '\x41\x00\x01x' > corpus/formula_depth/seed_b
printf '\x10\x27\x02a + b' > corpus/formula_depth/seed_c
# plausibility_layer: 11-byte records (variable, member and national flag, line, f64 little-endian).
mk plausibility_layer
printf '\x05\x81\x04\x00\x00\x00\x00\x00\x96\xb3\x40\x05\x01\x09\xf8\x53\xe3\xa5\x9b\x0e\x14\x40' > corpus/plausibility_layer/seed_a
printf '\x05\x01\x02\x00\x00\x00\x00\x00\x00\xf8\x7f\x00\x00\x00\x00\x00\x00\x00\x00\x00\xf0\x7f' > corpus/plausibility_layer/seed_b
echo "seeded $(find corpus -type f | wc -l) files"
