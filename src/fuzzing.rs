//! The bodies of the fuzz targets (`fuzz/fuzz_targets/*.rs` are one-line wrappers around these),
//! compiled with the crate on the stable toolchain so they cannot rot, and replayed by the
//! integration tests (`tests/fuzz_replay/`: every file in `fuzz/regressions/<target>/` and the
//! seed corpus of `fuzz/seed.sh`). Each function takes the fuzzer's bytes, never panics on any
//! input, and asserts (panics) only where the code under test broke a promise.
//!
//! Not part of the program's interface.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::ingest::plausible::{Concern, DataWarning, Rules};
use crate::ingest::text::{parse_cell, parse_number, Cell, NumberStyle, MAX_ABS_VALUE};
use crate::ingest::MunicipalChanges;
use crate::model::{Ags, Grade, Observation, RefDate, Source};

/// Every target, by the name of its file in `fuzz/fuzz_targets/` and its folders in `fuzz/`.
pub const TARGETS: &[&str] = &[
    "any_file",
    "cell",
    "config",
    "escape",
    "ffcsv",
    "formula",
    "formula_depth",
    "genesis_table",
    "long",
    "mastr",
    "per_ags",
    "plausibility",
    "plausibility_layer",
    "scan",
];

/// Runs target `name` on `data`; false if there is no such target.
pub fn run(name: &str, data: &[u8]) -> bool {
    let f: fn(&[u8]) = match name {
        "any_file" => any_file,
        "cell" => cell,
        "config" => config,
        "escape" => escape,
        "ffcsv" => ffcsv,
        "formula" => formula,
        "formula_depth" => formula_depth,
        "genesis_table" => genesis_table,
        "long" => long,
        "mastr" => mastr,
        "per_ags" => per_ags,
        "plausibility" => plausibility,
        "plausibility_layer" => plausibility_layer,
        "scan" => scan,
        _ => return false,
    };
    f(data);
    true
}

/// Text targets see only valid UTF-8, as libFuzzer's `|s: &str|` targets do.
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The five partners as members.
fn members() -> BTreeSet<Ags> {
    ["14713000", "14729030", "14729245", "14729380", "14729410"]
        .iter()
        .filter_map(|a| Ags::parse(a).ok())
        .collect()
}

/// Lossatal's merger.
fn changes() -> MunicipalChanges {
    MunicipalChanges::from_csv(
        "ags,name,valid_from,predecessors,source\n14729245,Lossatal,2012-01-01,14729130 14729200,x\n",
    )
    .unwrap_or_default()
}

/// Reads `prefix` + `data` as a file named `name`: errors are fine, panics are not; whatever was
/// read is well-formed (keys of members, finite values).
fn read(name: &str, prefix: &[u8], data: &[u8]) {
    let mut bytes = prefix.to_vec();
    bytes.extend_from_slice(data);
    if let Ok(Some((report, obs, _))) = crate::ingest::parse_file(name, &bytes, &members(), &changes()) {
        for o in &obs {
            assert_eq!(o.ags.as_str().len(), 8);
            if let Ok(v) = o.value {
                assert!(v.is_finite(), "{v} in {report:?}");
            }
        }
    }
}

/// Any bytes under any of the names the readers look at: detection, decoding (UTF-8, UTF-16,
/// Latin-1, binary), ZIP archives, GeoJSON. The first byte picks the name.
pub fn any_file(data: &[u8]) {
    const NAMES: &[&str] = &[
        "statistics/a_2021.csv",
        "statistics/x_flat.zip",
        "geometry/g.geojson",
        "statistics/notes.bin",
    ];
    if let Some((b, rest)) = data.split_first() {
        read(NAMES[*b as usize % NAMES.len()], b"", rest);
    }
}

/// The cell parser: German and plain numbers, office symbols, flags. A number it returns is finite
/// and below the absurdity limit; German `1.234` is never read as 1.234.
pub fn cell(data: &[u8]) {
    let Some(s) = text(data) else { return };
    for style in [NumberStyle::German, NumberStyle::Plain] {
        if let Ok((Cell::Number(v), _)) = parse_cell(s, style) {
            assert!(v.is_finite() && v.abs() < MAX_ABS_VALUE, "{s:?} → {v}");
        }
        let _ = parse_number(s, style);
    }
    if let Some(v) = parse_number(s, NumberStyle::German) {
        // A German thousands point groups exactly three digits: `d.ddd` is never a fraction.
        if s.contains('.') && !s.contains(',') {
            assert_eq!(v.fract(), 0.0, "{s:?} → {v}");
        }
    }
}

/// partnership.toml: a config it accepts has 8-digit member keys, each once.
pub fn config(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(p) = crate::config::parse(s) {
        let keys = p.member_keys();
        assert_eq!(keys.len(), p.members.len());
        assert!(keys.iter().all(|k| k.as_str().len() == 8));
    }
}

/// Typst escaping: data must never become markup. The escaped text parses into nothing but text,
/// spaces and escapes — no code, emphasis, headings, lists, math, raw, links, labels, references
/// or paragraph breaks — and unescapes to the input (line ends and tabs become spaces).
pub fn escape(data: &[u8]) {
    use typst::syntax::{parse, SyntaxKind, SyntaxNode};
    fn check(node: &SyntaxNode, input: &str) {
        match node.kind() {
            SyntaxKind::Markup | SyntaxKind::Text | SyntaxKind::Space | SyntaxKind::Escape => {}
            kind => panic!("{kind:?} in the escaped form of {input:?}: {:?}", node.full_text()),
        }
        for child in node.children() {
            check(child, input);
        }
    }
    let Some(s) = text(data) else { return };
    let escaped = crate::render::escape::markup(s);
    let root = parse(&escaped);
    assert!(!root.diagnosis().errors, "{s:?} → {escaped:?} does not parse");
    check(&root, s);
    let mut back = String::new();
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        back.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
    }
    let line_end = |c: char| {
        matches!(
            c,
            '\n' | '\r' | '\t' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        )
    };
    let expected: String = s.chars().map(|c| if line_end(c) { ' ' } else { c }).collect();
    assert_eq!(back, expected);
}

/// GENESIS flat files: the first byte picks the current column set (Zensus 2022) or the old one.
pub fn ffcsv(data: &[u8]) {
    const NEW: &[u8] = b"statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label;value_q\n";
    const OLD: &[u8] = b"Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;BEVSTD__Bevoelkerungsstand__Anzahl;BEVSTD__Bevoelkerungsstand__q\n";
    match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => read("statistics/x_flat.csv", NEW, rest),
        Some((_, rest)) => read("statistics/x_flat.csv", OLD, rest),
        None => {}
    }
}

/// Catalogue formulas: never a panic or a stack overflow; an accepted formula is within the
/// length limit.
pub fn formula(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(e) = crate::formula::Expr::parse(s) {
        assert!(s.chars().count() <= crate::formula::MAX_FORMULA_CHARS);
        let _ = e.variables();
    }
}

/// The formula parser's nesting depth: the first two bytes give a depth (up to 20,000), the third
/// what nests (brackets, signs or both), the rest is the innermost formula. Never a stack overflow;
/// an accepted formula nests at most `MAX_DEPTH` deep.
pub fn formula_depth(data: &[u8]) {
    const OPENERS: &[&str] = &["(", "-", "(-", "- ("];
    let [a, b, c, rest @ ..] = data else { return };
    let depth = usize::from(u16::from_le_bytes([*a, *b])) % 20_000;
    let opener = OPENERS[usize::from(*c) % OPENERS.len()];
    let inner = String::from_utf8_lossy(rest);
    let closers = opener.matches('(').count() * depth;
    let src = format!("{}{inner}{}", opener.repeat(depth), ")".repeat(closers));
    if let Ok(e) = crate::formula::Expr::parse(&src) {
        let levels = opener.matches(['(', '-']).count() * depth;
        assert!(levels <= crate::formula::MAX_DEPTH, "{levels} levels accepted");
        let _ = e.variables();
    }
}

/// GENESIS / Regionalstatistik table CSV: arbitrary bytes after the first line of a real table.
pub fn genesis_table(data: &[u8]) {
    read("statistics/t.csv", b"GENESIS-Tabelle: 12411-01-01-5\n", data);
}

/// Our long format for transcribed tables.
pub fn long(data: &[u8]) {
    read(
        "statistics/leipzig/b.csv",
        b"ags,variable,sector,carrier,date,value,unit,note\n",
        data,
    );
}

/// Marktstammdatenregister export: BOM, quoted header (with the stray TAB), arbitrary rows.
pub fn mastr(data: &[u8]) {
    const HEADER: &str = "\u{feff}\"MaStR-Nr. der Einheit\";\"Betriebs-Status\";\"Energieträger\";\"Nettonennleistung der Einheit\";\"Inbetriebnahmedatum der Einheit\";\"Meldedatum der Einheit\";\"Gemeindeschlüssel\";\"\tLetzte Aktualisierung\";\"Datum der endgültigen Stilllegung\"\r\n";
    read("statistics/mastr/export.csv", HEADER.as_bytes(), data);
}

/// Plain per-AGS tables (LocalZero): header `ags,…`, year from the file name.
pub fn per_ags(data: &[u8]) {
    read("statistics/national/area_2021.csv", b"ags,", data);
}

/// The plausibility table (`plausibility.csv`): an accepted table has no bound or tolerance that
/// is not a finite number, and no negative tolerance.
pub fn plausibility(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(rules) = Rules::parse("plausibility.csv", s) {
        for r in rules.0.values() {
            assert!(r.min.is_none_or(|m| m.is_finite()));
            assert!(r.warn_above.is_none_or(|w| w.is_finite()));
            assert!(r.national_tolerance_pct.is_none_or(|t| t.is_finite() && t >= 0.0));
        }
    }
}

/// The plausibility layer on arbitrary observations: every 11 bytes are one (variable of the
/// built-in table, member, national table or own file, line, value as the 8 bytes of an f64 —
/// NaN, infinities, negative zero and all). Never a panic; a non-finite value is an error, never a
/// warning; every warning's value is finite, and every message names its file.
pub fn plausibility_layer(data: &[u8]) {
    let rules = Rules::built_in();
    let variables: Vec<&String> = rules.0.keys().collect();
    let members: Vec<Ags> = members().into_iter().collect();
    let source = |national: bool| {
        Arc::new(Source {
            file: if national {
                format!("{}population_2021.csv", crate::ingest::plausible::NATIONAL_DIR)
            } else {
                "statistics/own/population_2021.csv".into()
            },
            publisher: String::new(),
            title: String::new(),
            table: String::new(),
            licence: String::new(),
            attribution: String::new(),
            grade: Grade::C,
        })
    };
    let obs: Vec<Observation> = data
        .chunks_exact(11)
        .enumerate()
        .map(|(i, c)| {
            let mut value = [0u8; 8];
            value.copy_from_slice(&c[3..]);
            Observation {
                ags: members[usize::from(c[1] % 8) % members.len()].clone(),
                variable: variables[usize::from(c[0]) % variables.len()].clone(),
                sector: None,
                category: None,
                date: RefDate::end_of_year(2021),
                value: Ok(f64::from_le_bytes(value)),
                unit: String::new(),
                source: source(c[1] & 0x80 != 0),
                line: usize::from(c[2]) * (i + 1),
                flag: None,
            }
        })
        .collect();
    let (errors, mut warnings) = rules.check(&obs);
    warnings.extend(rules.cross_check(&obs));
    for e in &errors {
        assert!(e.file.starts_with("statistics/"), "{e}");
    }
    for w in &warnings {
        assert!(w.value.is_finite(), "a warning about a non-finite value: {w:?}");
        if let Concern::National { value, .. } = w.concern {
            assert!(value.is_finite(), "{w:?}");
        }
        let text: String = DataWarning::to_string(w);
        assert!(text.contains(&w.file), "{text}");
    }
}

/// The quote-aware record scanner: line numbers never go backwards, and a text without quotes
/// splits into exactly its non-blank lines.
pub fn scan(data: &[u8]) {
    let Some(s) = text(data) else { return };
    for sep in [';', ','] {
        if let Ok(records) = crate::ingest::table::scan(s, sep, 1) {
            assert!(records.windows(2).all(|w| w[0].line < w[1].line));
            if !s.contains('"') {
                let normalised = s.replace("\r\n", "\n").replace('\r', "\n");
                let lines = normalised
                    .split('\n')
                    .filter(|l| !l.chars().all(char::is_whitespace) || l.contains(sep))
                    .count();
                assert_eq!(records.len(), lines, "{s:?}");
            }
        }
    }
}
