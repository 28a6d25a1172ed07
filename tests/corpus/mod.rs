//! The bad-input corpus (`tests/bad/<case>/`, see `tests/bad/make_cases.py` for the layout) and the
//! format samples (`tests/fixtures/formats`, values pinned in `formats.rs`).
//!
//! Each case copies `tests/fixtures/small` to a temp dir, applies the case's overlay, runs the
//! binary (`check`, or `build` where `command.txt` says so) and asserts the exit code, the expected
//! substrings, no panic, and that an output folder from an earlier run is byte-identical afterwards.

mod formats;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use super::{bin, copy_dir, fixture, snapshot};

fn bad_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad")
}

/// Copies the overlay (everything but the case's control files) over `inputs`.
fn overlay(src: &Path, dst: &Path, top: bool) {
    for e in fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if top && matches!(name.as_str(), "expect.txt" | "command.txt" | "DELETE" | "setup.txt") {
            continue;
        }
        let to = dst.join(&name);
        if e.file_type().unwrap().is_dir() {
            fs::create_dir_all(&to).unwrap();
            overlay(&e.path(), &to, false);
        } else {
            fs::copy(e.path(), &to).unwrap();
        }
    }
}

/// Applies `DELETE` and `setup.txt`.
fn prepare(case: &Path, inputs: &Path) {
    if let Ok(list) = fs::read_to_string(case.join("DELETE")) {
        for rel in list.lines().filter(|l| !l.trim().is_empty()) {
            fs::remove_file(inputs.join(rel.trim())).unwrap();
        }
    }
    if let Ok(setup) = fs::read_to_string(case.join("setup.txt")) {
        for line in setup.lines().filter(|l| !l.trim().is_empty()) {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["symlink", link, target] => {
                    let _ = fs::remove_file(inputs.join(link));
                    std::os::unix::fs::symlink(target, inputs.join(link)).unwrap()
                }
                ["fifo", path] => {
                    let p = inputs.join(path);
                    let _ = fs::remove_file(&p);
                    let made = std::process::Command::new("mkfifo").arg(&p).status().unwrap();
                    assert!(made.success(), "mkfifo {}", p.display());
                }
                ["mkdir", path] => {
                    let p = inputs.join(path);
                    let _ = fs::remove_file(&p);
                    fs::create_dir_all(&p).unwrap();
                }
                ["bigfile", path, mb] => {
                    // A valid-looking per-AGS table of the given size.
                    let mb: usize = mb.parse().unwrap();
                    let mut text = String::from("ags,total\n");
                    let row = "09999999,12345\n";
                    text.reserve(mb << 20);
                    while text.len() < mb << 20 {
                        text.push_str(row);
                    }
                    fs::write(inputs.join(path), text).unwrap();
                }
                other => panic!("unknown setup line {other:?} in {}", case.display()),
            }
        }
    }
}

struct Expect {
    exit_ok: bool,
    needles: Vec<String>,
}

fn expect(case: &Path) -> Expect {
    let text = fs::read_to_string(case.join("expect.txt")).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let exit_ok = match lines.next() {
        Some("exit 0") => true,
        Some("exit 1") => false,
        other => panic!(
            "{}: expect.txt must start with `exit 0` or `exit 1`, not {other:?}",
            case.display()
        ),
    };
    Expect {
        exit_ok,
        needles: lines.map(str::to_string).collect(),
    }
}

/// Runs one case; returns a description of what went wrong, if anything.
fn run_case(case: &Path) -> Option<String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("inputs");
    copy_dir(&fixture("small"), &inputs);
    overlay(case, &inputs, true);
    prepare(case, &inputs);
    let ex = expect(case);
    let command = fs::read_to_string(case.join("command.txt"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "check".into());

    // An earlier run's output, which must survive byte for byte.
    let out_dir = tmp.path().join("out");
    fs::create_dir_all(&out_dir).unwrap();
    fs::write(
        out_dir.join("bericht_2024_14729380_thallwitz.pdf"),
        b"%PDF-1.7 earlier run\n",
    )
    .unwrap();
    fs::write(out_dir.join("indicators.csv"), b"ags,indicator\n14729380,population\n").unwrap();
    let before = snapshot(&out_dir);

    // `command.txt`: the subcommand, then any further arguments (`build --year 2005`).
    let mut words = command.split_whitespace();
    let command = words.next().unwrap_or("check").to_string();
    let mut cmd = bin();
    cmd.current_dir(tmp.path())
        .arg(&command)
        .args(words)
        .arg("--inputs")
        .arg(&inputs);
    if command == "build" {
        cmd.arg("--output").arg(&out_dir).args(["--member", "14729380"]);
    }
    let o: Output = cmd.env_remove("SOURCE_DATE_EPOCH").output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let haystack = if ex.exit_ok {
        format!("{stdout}{stderr}")
    } else {
        stderr.to_string()
    };
    let mut problems = Vec::new();
    if o.status.success() != ex.exit_ok {
        problems.push(format!(
            "exit status {:?}, expected {}",
            o.status.code(),
            if ex.exit_ok { "0" } else { "non-zero" }
        ));
    }
    if stderr.contains("panicked") || o.status.code() == Some(101) {
        problems.push("the program panicked".into());
    }
    for n in &ex.needles {
        if !haystack.contains(n.as_str()) {
            problems.push(format!("output lacks `{n}`"));
        }
    }
    if !ex.exit_ok && snapshot(&out_dir) != before {
        problems.push("the earlier output changed".into());
    }
    if command == "check" && snapshot(&out_dir) != before {
        problems.push("check wrote into the output folder".into());
    }
    let stray: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "inputs" && n != "out")
        .collect();
    if !stray.is_empty() {
        problems.push(format!("files written next to the inputs: {stray:?}"));
    }
    (!problems.is_empty()).then(|| {
        format!(
            "{name} ({command}): {}\n--- stdout (tail):\n{}\n--- stderr:\n{}",
            problems.join("; "),
            stdout
                .lines()
                .rev()
                .take(8)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n"),
            stderr
        )
    })
}

fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(bad_root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// All cases, four at a time; every failure is reported together.
#[test]
fn bad_inputs_fail_well_and_change_nothing() {
    let all = cases();
    assert!(all.len() >= 40, "the corpus has only {} cases", all.len());
    let failures: Vec<String> = all
        .chunks(all.len().div_ceil(4))
        .map(|chunk| chunk.to_vec())
        .collect::<Vec<_>>()
        .into_iter()
        .map(|chunk| std::thread::spawn(move || chunk.iter().filter_map(|c| run_case(c)).collect::<Vec<_>>()))
        .collect::<Vec<_>>()
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} bad-input cases failed:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
}

/// `check` on the bundled inputs and on the format samples prints a clean table and exits 0.
#[test]
fn check_on_bundled_inputs_and_format_samples_is_clean() {
    for dir in [Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs"), fixture("formats")] {
        let o = bin().arg("check").arg("--inputs").arg(&dir).output().unwrap();
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success(),
            "{}: {}",
            dir.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            stdout.contains("file ") && stdout.contains("format") && stdout.contains(": OK"),
            "{stdout}"
        );
        assert!(!stdout.contains("no entry in sources.toml"), "{stdout}");
        assert!(!stdout.contains("format not recognised"), "{stdout}");
    }
}
