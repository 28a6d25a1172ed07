//! The fuzz targets on the stable toolchain: each `fuzz/fuzz_targets/<name>.rs` is a one-line
//! wrapper around `klimapartner::fuzzing::<name>` (so compiling the crate compiles every target's
//! body), and every input in `fuzz/regressions/<target>/` and the seed corpus `fuzz/seed.sh`
//! writes is replayed through it without a panic.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use klimapartner::fuzzing;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// Replays `files` through `target`; returns the files that panicked, with the message.
fn replay(target: &str, files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .filter_map(|f| {
            let data = fs::read(f).unwrap();
            let run = std::panic::catch_unwind(|| assert!(fuzzing::run(target, &data), "no target {target}"));
            run.err().map(|e| {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                format!("{target}: {} panicked: {msg}", f.display())
            })
        })
        .collect()
}

#[test]
fn every_fuzz_target_is_a_wrapper_of_a_function_the_crate_compiles() {
    let dir = root().join("fuzz/fuzz_targets");
    let manifest = fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap();
    let mut names: Vec<String> = files_in(&dir)
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        fuzzing::TARGETS,
        "fuzz/fuzz_targets/ and fuzzing::TARGETS differ"
    );
    for name in &names {
        let src = fs::read_to_string(dir.join(format!("{name}.rs"))).unwrap();
        assert!(
            src.contains(&format!("klimapartner::fuzzing::{name}(data)")),
            "fuzz/fuzz_targets/{name}.rs does not call klimapartner::fuzzing::{name}"
        );
        // Thin: the body lives in the crate, where it is compiled and tested.
        let code = src
            .lines()
            .filter(|l| !l.trim_start().starts_with("//") && !l.trim().is_empty());
        assert!(code.count() <= 3, "fuzz/fuzz_targets/{name}.rs is more than a wrapper");
        assert!(
            manifest.contains(&format!("name = \"{name}\"\npath = \"fuzz_targets/{name}.rs\"")),
            "fuzz/Cargo.toml lacks the [[bin]] {name}"
        );
    }
    assert!(!fuzzing::run("no_such_target", b""));
}

#[test]
fn regressions_and_the_seed_corpus_replay_without_a_panic() {
    // seed.sh writes corpus/ under the current folder from ../tests/fixtures and ../src: run it in
    // a temp copy of that layout, so nothing is written into the repository.
    let tmp = tempfile::tempdir().unwrap();
    let fuzz = tmp.path().join("fuzz");
    fs::create_dir_all(&fuzz).unwrap();
    for dir in ["tests", "src"] {
        std::os::unix::fs::symlink(root().join(dir), tmp.path().join(dir)).unwrap();
    }
    let seeded = Command::new("bash")
        .arg(root().join("fuzz/seed.sh"))
        .current_dir(&fuzz)
        .output()
        .unwrap();
    assert!(
        seeded.status.success(),
        "fuzz/seed.sh failed: {}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let mut failures = Vec::new();
    let mut replayed = 0;
    for target in fuzzing::TARGETS {
        let mut files = files_in(&fuzz.join("corpus").join(target));
        assert!(!files.is_empty(), "fuzz/seed.sh seeds nothing for {target}");
        files.extend(files_in(&root().join("fuzz/regressions").join(target)));
        replayed += files.len();
        failures.extend(replay(target, &files));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(replayed >= 50, "only {replayed} inputs replayed");
}

/// The nesting-depth target's promise, on the depths that once aborted the run.
#[test]
fn formulas_nested_ten_thousand_deep_are_refused_without_a_stack_overflow() {
    for depth in [64u16, 65, 1_000, 10_000, 19_999] {
        for opener in 0..4u8 {
            let [a, b] = depth.to_le_bytes();
            let mut data = vec![a, b, opener];
            data.extend_from_slice(b"x + 1");
            fuzzing::formula_depth(&data);
        }
    }
    // And an accepted one: at the limit.
    let ok = format!("{}x{}", "(".repeat(64), ")".repeat(64));
    assert!(klimapartner::formula::Expr::parse(&ok).is_ok());
}
