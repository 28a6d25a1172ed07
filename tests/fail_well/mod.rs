//! Failing well at the edges of the run: closed pipes, the file policy (links out of the inputs
//! folder, named pipes), `//@file` blocks with `--keep-typst`, the lock on the output folder and
//! the mode of finished files.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{bin, copy_dir, copy_fixture, fixture, pdftotext, snapshot, stderr};

/// Waits for `child` at most `secs` seconds; a run that takes longer is killed and the test fails
/// (a hang is a failure, not a stuck test suite).
fn wait_at_most(mut child: Child, secs: u64) -> std::process::Output {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > Duration::from_secs(secs) {
            child.kill().unwrap();
            let _ = child.wait();
            panic!("the run did not finish within {secs} s (it hangs)");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One member, its two documents: enough for the tests here and quick.
const ONE: [&str; 2] = ["--member", "14729380"];

fn build_cmd(inputs: &Path, output: &Path) -> Command {
    let mut c = bin();
    c.args(["build", "--inputs"])
        .arg(inputs)
        .arg("--output")
        .arg(output)
        .args(ONE)
        .args(["--documents", "report,briefing"])
        .env_remove("SOURCE_DATE_EPOCH");
    c
}

#[test]
fn check_into_a_closed_pipe_does_not_panic() {
    // `klimapartner check | head -0`: the reader is gone before the first line is written.
    let mut child = bin()
        .args(["check", "--inputs"])
        .arg(fixture("small"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = wait_at_most(child, 120);
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    assert!(o.status.success(), "status {:?}: {err}", o.status);
}

#[test]
fn build_into_a_closed_pipe_finishes_its_files() {
    // `klimapartner build 2>&1 | head -1`: stdout and stderr both go to a pipe nobody reads.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (reader, writer) = std::io::pipe().unwrap();
    let mut c = build_cmd(&fixture("small"), &out);
    c.stdout(writer.try_clone().unwrap()).stderr(writer);
    let mut child = c.spawn().unwrap();
    drop(c);
    // Read the first line, then close the pipe as `head -1` does.
    let mut reader = reader;
    let mut first = [0u8; 1];
    let _ = reader.read(&mut first);
    drop(reader);
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(600), "build hangs");
        std::thread::sleep(Duration::from_millis(50));
    };
    // A panic exits with 101; the run went on and wrote everything.
    assert!(status.success(), "status {status:?}");
    for f in [
        "bericht_2024_14729380_thallwitz.pdf",
        "ratsinfo_2024_14729380_thallwitz.pdf",
        "indicators.csv",
        "indicators.json",
        "manifest.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
}

#[test]
fn links_out_of_the_inputs_folder_are_refused_and_named() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = copy_fixture("small", tmp.path());
    let outside = tmp.path().join("elsewhere");
    fs::create_dir_all(&outside).unwrap();

    // partnership.toml linked to a file outside whose first line would show in a parse error.
    fs::write(outside.join("secret.toml"), "root:x:0:0:root:/root:/bin/bash\n").unwrap();
    fs::remove_file(inputs.join("partnership.toml")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.toml"), inputs.join("partnership.toml")).unwrap();
    let o = bin().args(["check", "--inputs"]).arg(&inputs).output().unwrap();
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("partnership.toml") && err.contains("outside") && err.contains("copy the file into the folder"),
        "{err}"
    );
    assert!(
        !err.contains("root:x"),
        "the target's content must not be quoted: {err}"
    );
    // The same file named with --config is trusted.
    fs::remove_file(inputs.join("partnership.toml")).unwrap();
    fs::copy(
        fixture("small").join("partnership.toml"),
        outside.join("partnership.toml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.join("partnership.toml"), inputs.join("partnership.toml")).unwrap();
    let o = bin()
        .args(["check", "--inputs"])
        .arg(&inputs)
        .arg("--config")
        .arg(inputs.join("partnership.toml"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));

    // A factor table linked outside is refused even though its content is valid.
    let factor = "factors/emission_factors.csv";
    fs::copy(inputs.join(factor), outside.join("emission_factors.csv")).unwrap();
    fs::remove_file(inputs.join(factor)).unwrap();
    std::os::unix::fs::symlink(outside.join("emission_factors.csv"), inputs.join(factor)).unwrap();
    let o = bin()
        .args(["check", "--inputs"])
        .arg(&inputs)
        .arg("--config")
        .arg(outside.join("partnership.toml"))
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(err.contains(factor) && err.contains("outside"), "{err}");

    // So is a whole factors/ folder linked outside.
    fs::remove_file(inputs.join(factor)).unwrap();
    let moved = outside.join("factors");
    fs::rename(inputs.join("factors"), &moved).unwrap();
    fs::copy(outside.join("emission_factors.csv"), moved.join("emission_factors.csv")).unwrap();
    std::os::unix::fs::symlink(&moved, inputs.join("factors")).unwrap();
    let o = bin()
        .args(["check", "--inputs"])
        .arg(&inputs)
        .arg("--config")
        .arg(outside.join("partnership.toml"))
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(err.contains("factors/") && err.contains("outside"), "{err}");
}

#[test]
fn a_fifo_as_configuration_file_fails_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = copy_fixture("small", tmp.path());
    for rel in ["sources.toml", "partnership.toml"] {
        let p = inputs.join(rel);
        fs::remove_file(&p).unwrap();
        assert!(Command::new("mkfifo").arg(&p).status().unwrap().success());
        let child = bin()
            .args(["check", "--inputs"])
            .arg(&inputs)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let o = wait_at_most(child, 60);
        let err = stderr(&o);
        assert!(!o.status.success());
        assert!(err.contains(rel) && err.contains("named pipe"), "{err}");
        fs::remove_file(&p).unwrap();
        fs::copy(fixture("small").join(rel), &p).unwrap();
    }
}

/// A templates folder under `dir` whose briefing is the built-in one with `tail` appended.
fn briefing_with(dir: &Path, tail: &str) -> PathBuf {
    let tdir = dir.join("tpl");
    fs::create_dir_all(&tdir).unwrap();
    let builtin =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates/briefing.typ.j2")).unwrap();
    fs::write(tdir.join("briefing.typ.j2"), format!("{builtin}\n{tail}")).unwrap();
    tdir
}

#[test]
fn file_blocks_outside_the_document_folder_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let tdir = briefing_with(tmp.path(), "//@file /../../escaped.typ\n= x\n//@end\n");
    let keep = tmp.path().join("keep");
    let out = tmp.path().join("out");
    let o = build_cmd(&fixture("small"), &out)
        .arg("--templates")
        .arg(&tdir)
        .arg("--keep-typst")
        .arg(&keep)
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("briefing.typ.j2") && err.contains("/../../escaped.typ") && err.contains("outside"),
        "{err}"
    );
    assert!(
        !tmp.path().join("escaped.typ").exists(),
        "a file was written outside --keep-typst"
    );
    assert!(!keep.join("escaped.typ").exists());
}

#[test]
fn a_locked_output_folder_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("indicators.csv"), "ags,indicator\n").unwrap();
    let before = snapshot(&out);
    // Another run holds the folder.
    let held = fs::File::open(&out).unwrap();
    held.lock().unwrap();
    let o = build_cmd(&fixture("small"), &out).output().unwrap();
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(err.contains("in use by another klimapartner run"), "{err}");
    assert_eq!(snapshot(&out), before, "the locked folder changed");
    drop(held);
    let o = build_cmd(&fixture("small"), &out).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // The lock leaves nothing behind: only the run's own files.
    let names: Vec<String> = snapshot(&out).into_keys().collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn two_builds_into_one_folder_do_not_mix() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("inputs");
    copy_dir(&fixture("small"), &inputs);
    let out = tmp.path().join("out");
    let spawn = |lang: &str| {
        build_cmd(&inputs, &out)
            .args(["--lang", lang])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (de, en) = (spawn("de"), spawn("en"));
    let (de, en) = (wait_at_most(de, 600), wait_at_most(en, 600));
    assert!(
        de.status.success() || en.status.success(),
        "{}\n{}",
        stderr(&de),
        stderr(&en)
    );
    for o in [&de, &en] {
        if !o.status.success() {
            assert!(
                stderr(o).contains("in use by another klimapartner run"),
                "{}",
                stderr(o)
            );
        }
    }
    // Whichever ran last (or alone) wrote all files: report, briefing and indicators agree.
    let report = pdftotext(&out.join("bericht_2024_14729380_thallwitz.pdf"));
    let briefing = pdftotext(&out.join("ratsinfo_2024_14729380_thallwitz.pdf"));
    let csv = fs::read_to_string(out.join("indicators.csv")).unwrap();
    let english = [
        report.contains("Climate report"),
        briefing.contains("Council briefing"),
        csv.contains("Population (register update"),
    ];
    assert!(
        english.iter().all(|&e| e) || english.iter().all(|&e| !e),
        "languages mixed: {english:?}"
    );
}

#[test]
fn finished_files_get_the_mode_of_the_umask() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let with_umask = |umask: &str, args: &[&std::ffi::OsStr]| {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!("umask {umask} && exec \"$@\""))
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_klimapartner"))
            .args(args)
            .env_remove("SOURCE_DATE_EPOCH");
        c.output().unwrap()
    };
    let small = fixture("small");
    let o = with_umask(
        "022",
        &[
            "build".as_ref(),
            "--inputs".as_ref(),
            small.as_os_str(),
            "--output".as_ref(),
            out.as_os_str(),
            ONE[0].as_ref(),
            ONE[1].as_ref(),
            "--documents".as_ref(),
            "briefing".as_ref(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let names: Vec<String> = snapshot(&out).into_keys().collect();
    for f in [
        "ratsinfo_2024_14729380_thallwitz.pdf",
        "indicators.csv",
        "indicators.json",
        "manifest.json",
        "partnership.csv",
    ] {
        assert!(names.contains(&f.to_string()), "{f} missing: {names:?}");
    }
    for n in &names {
        assert_eq!(mode(&out.join(n)), 0o644, "{n}");
    }
    // Another umask, another mode: the umask decides, not a fixed mode.
    let fonts = tmp.path().join("fonts");
    let o = with_umask("027", &["fonts".as_ref(), fonts.as_os_str()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for e in fs::read_dir(&fonts).unwrap() {
        assert_eq!(mode(&e.unwrap().path()), 0o640);
    }
}

#[test]
fn merge_into_a_locked_folder_or_from_a_shard_being_built_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, m) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("m"));
    for (dir, shard) in [(&a, "1/2"), (&b, "2/2")] {
        let o = build_cmd(&fixture("small"), dir)
            .args(["--shard", shard, "--documents", "briefing"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let merge = || {
        bin()
            .arg("merge")
            .arg("--output")
            .arg(&m)
            .arg(&a)
            .arg(&b)
            .output()
            .unwrap()
    };
    fs::create_dir_all(&m).unwrap();
    for held in [&m, &a] {
        let lock = fs::File::open(held).unwrap();
        lock.lock().unwrap();
        let o = merge();
        assert!(!o.status.success());
        assert!(
            stderr(&o).contains("in use by another klimapartner run"),
            "{}",
            stderr(&o)
        );
        assert_eq!(fs::read_dir(&m).unwrap().count(), 0, "a refused merge wrote files");
    }
    let o = merge();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn files_that_cannot_be_written_are_listed_and_never_logged_as_written() {
    // A non-empty folder where a file should go: the rename fails as on a full disk (the tests may
    // run as root, for whom a read-only folder is no obstacle).
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let pdf = "ratsinfo_2024_14729380_thallwitz.pdf";
    for blocked in [pdf, "indicators.csv"] {
        fs::create_dir_all(out.join(blocked).join("x")).unwrap();
    }
    let o = build_cmd(&fixture("small"), &out).output().unwrap();
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(!err.contains(&format!("written {pdf}")), "{err}");
    assert!(err.contains("written bericht_2024_14729380_thallwitz.pdf"), "{err}");
    let list = err
        .split("failed:")
        .nth(1)
        .unwrap_or_else(|| panic!("no list of failures: {err}"));
    assert!(list.contains(pdf) && list.contains("indicators.csv"), "{err}");
    // The other files were still written.
    for f in [
        "bericht_2024_14729380_thallwitz.pdf",
        "indicators.json",
        "partnership.csv",
        "manifest.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    // No temporary files are left behind.
    let stray: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn a_template_loop_without_bound_runs_out_of_fuel_and_names_the_template() {
    let tmp = tempfile::tempdir().unwrap();
    // 10^15 iterations if nothing stops it.
    let tdir = briefing_with(
        tmp.path(),
        "{% for a in range(100000) %}{% for b in range(100000) %}{% for c in range(100000) %}x{% endfor %}{% endfor %}{% endfor %}\n",
    );
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    let child = build_cmd(&fixture("small"), &out)
        .arg("--templates")
        .arg(&tdir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let o = wait_at_most(child, 120);
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("briefing.typ.j2") && err.contains("fuel") && err.contains("loop without bound"),
        "{err}"
    );
    assert!(
        !fs::read_dir(&out)
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().starts_with("ratsinfo")),
        "a briefing was written"
    );
}

/// The plausibility layer's warnings reach the documents, typed: the report and the handbook name
/// variable, value, file and line of each; the briefing counts them and points to the report.
#[test]
fn implausible_values_and_disagreement_with_the_national_table_are_quality_notes_in_the_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = copy_fixture("small", tmp.path());
    let national = inputs.join("statistics/national/population_2021.csv");
    let text = fs::read_to_string(&national).unwrap();
    // A German `3.548` in the comma-separated national table, and the member's own table for the
    // same date, a thousand times larger (and 10 % above the national 3548).
    fs::write(&national, text.replace("\n14729380,3548\n", "\n14729380,3.548\n")).unwrap();
    fs::create_dir_all(inputs.join("statistics/own")).unwrap();
    fs::write(
        inputs.join("statistics/own/population_2021.csv"),
        "ags,total\n14729380,3903\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = build_cmd(&inputs, &out)
        .args(["--documents", "report,briefing,handbook"])
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    // The terminal names both files and values and the likely cause.
    assert!(
        err.contains("statistics/own/population_2021.csv line 2: population of 14729380 on 31.12.2021 is 3903, but the national table statistics/national/population_2021.csv line 6 gives 3.548")
            && err.contains("German-formatted number"),
        "{err}"
    );
    // Whitespace collapsed; a path broken after a slash joined again.
    let flat = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ").replace("/ ", "/");
    let report = flat(pdftotext(&out.join("bericht_2024_14729380_thallwitz.pdf")));
    let notes = report
        .rsplit("Hinweise zur Datenqualität")
        .next()
        .unwrap_or_default()
        .to_string();
    for needle in [
        "Einwohner (Fortschreibung) (population) am 31.12.2021: 3,548",
        "population_2021.csv, Zeile 6) ist keine ganze Zahl",
        "(3.548), deren Tausenderpunkt",
        "3.903 (statistics/own/population_2021.csv, Zeile 2), die bundesweite Tabelle nennt 3,548 (statistics/national/population_2021.csv, Zeile 6). Die Werte liegen um den Faktor 1.000 auseinander",
    ] {
        assert!(notes.contains(needle), "report lacks `{needle}`:\n{notes}");
    }
    let handbook = flat(pdftotext(&out.join("handbuch_2024.pdf")));
    assert!(
        handbook.contains("Hinweise zur Datenqualität")
            && handbook.contains("3.903 (statistics/own/population_2021.csv, Zeile 2)"),
        "handbook lacks the notes"
    );
    let briefing = flat(pdftotext(&out.join("ratsinfo_2024_14729380_thallwitz.pdf")));
    assert!(
        briefing.contains("2 Hinweis(e) zur Datenqualität") && briefing.contains("im Bericht"),
        "{briefing}"
    );
}

/// A full disk, for real: a file-size limit (`ulimit -f`, SIGXFSZ ignored) makes every write past
/// it fail with EFBIG, as a full disk does with ENOSPC, in the middle of the run. No file that was
/// not written is logged as written, every failed file is listed at the end, the exit code says
/// so, no temporary file is left, and the earlier output is intact: every file byte-identical
/// except the manifest, which keeps every document's entry but no longer records a complete run.
/// A rerun without the limit then restores the folder byte for byte.
#[test]
fn a_disk_that_fills_up_mid_run_leaves_the_earlier_output_intact_and_lists_every_failed_file() {
    // POSIX `ulimit -f` counts 512-byte blocks.
    const BLOCKS: u64 = 400;
    const LIMIT: u64 = BLOCKS * 512;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let first = build_cmd(&fixture("small"), &out).output().unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let before = snapshot(&out);
    let sizes: Vec<(&String, u64)> = before.iter().map(|(n, b)| (n, b.len() as u64)).collect();
    let too_large: Vec<&String> = sizes.iter().filter(|(_, s)| *s > LIMIT).map(|(n, _)| *n).collect();
    let fit: Vec<&String> = sizes
        .iter()
        .filter(|(n, s)| *s <= LIMIT && n.ends_with(".pdf"))
        .map(|(n, _)| *n)
        .collect();
    assert!(
        too_large.iter().any(|n| n.ends_with(".pdf"))
            && too_large.iter().any(|n| n.ends_with(".csv"))
            && !fit.is_empty(),
        "the limit must cut a PDF and a table and let a PDF through: {sizes:?}"
    );

    let cmd = build_cmd(&fixture("small"), &out);
    let mut limited = Command::new("sh");
    limited
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f {BLOCKS}; exec \"$0\" \"$@\""))
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .arg("--force")
        .env_remove("SOURCE_DATE_EPOCH");
    let o = limited.output().unwrap();
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let list = err
        .split("failed:")
        .nth(1)
        .unwrap_or_else(|| panic!("no list of failures: {err}"));
    for name in &too_large {
        assert!(
            !err.contains(&format!("written {name}")),
            "{name} logged as written:\n{err}"
        );
        assert!(list.contains(name.as_str()), "{name} not listed:\n{err}");
        assert!(list.contains("File too large"), "{err}");
    }
    for name in &fit {
        assert!(err.contains(&format!("written {name}")), "{err}");
    }
    let after = snapshot(&out);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "files appeared or went (temporary files left?)"
    );
    for (name, bytes) in &before {
        if name != "manifest.json" {
            assert!(&after[name] == bytes, "{name} changed");
        }
    }
    let manifest = |m: &[u8]| serde_json::from_slice::<serde_json::Value>(m).unwrap();
    let (old, new) = (manifest(&before["manifest.json"]), manifest(&after["manifest.json"]));
    assert_eq!(old["documents"], new["documents"], "document entries lost");
    assert!(new.get("run").is_none(), "a failed run recorded as complete: {new}");

    // Without the limit, the next run repairs the folder: byte-identical to the first.
    let again = build_cmd(&fixture("small"), &out).output().unwrap();
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(snapshot(&out), before);
}
