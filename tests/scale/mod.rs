//! Scale: sharding and merge, the content-hash manifest, `--keep-typst`, `--config` with a
//! partnership larger than the full-comparison limit (peer charts, no handbook).

use super::*;

fn merge(output: &Path, shards: &[&Path]) -> Output {
    bin()
        .arg("merge")
        .arg("--output")
        .arg(output)
        .args(shards)
        .output()
        .unwrap()
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = snapshot(dir).into_keys().collect();
    v.sort();
    v
}

#[test]
fn two_shards_and_merge_equal_one_unsharded_run() {
    let whole = super::pipeline_dir();
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, merged) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("merged"));
    let out = build(&fixture("small"), &a, &["--shard", "1/2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = build(&fixture("small"), &b, &["--shard", "2/2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Shard 1 has the AGS-sorted members 1, 3, 5 and the handbook; shard 2 members 2 and 4.
    assert_eq!(pdfs(&a).len(), 7, "{:?}", pdfs(&a));
    assert_eq!(pdfs(&b).len(), 4, "{:?}", pdfs(&b));
    assert!(
        !a.join("partnership.csv").exists(),
        "a shard does not write partnership figures"
    );
    let rows_a = indicators(&a);
    assert!(rows_a
        .keys()
        .all(|(ags, _)| ["14713000", "14729245", "14729410"].contains(&ags.as_str())));

    let out = merge(&merged, &[&b, &a]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (w, m) = (snapshot(whole), snapshot(&merged));
    for name in [
        "indicators.csv",
        "indicators.json",
        "ratings.csv",
        "recommendations.csv",
        "partnership.csv",
    ] {
        assert!(w.contains_key(name), "{name} missing in the unsharded run");
        assert!(
            m[name] == w[name],
            "{name} differs between merged shards and the unsharded run"
        );
    }
    // The same documents with the same content hashes; only a build records its run (a merge
    // is not one).
    let manifest = |d: &Path| -> serde_json::Value {
        serde_json::from_slice(&fs::read(d.join("manifest.json")).unwrap()).unwrap()
    };
    let (mw, mm) = (manifest(whole), manifest(&merged));
    assert_eq!(mw["documents"], mm["documents"]);
    assert_eq!(mw["tool"], mm["tool"]);
    assert!(mw["run"].is_object() && mm.get("run").is_none());
    assert_eq!(pdfs(&merged), pdfs(whole));
    for name in pdfs(whole) {
        assert!(m[&name] == w[&name], "{name} differs");
    }
}

#[test]
fn merge_refuses_incomplete_or_mixed_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, c) = (tmp.path().join("a"), tmp.path().join("c"));
    let docs = ["--documents", "briefing", "--member", "14729410"];
    assert!(
        build(&fixture("small"), &a, &[&["--shard", "1/2"][..], &docs[..2]].concat())
            .status
            .success()
    );
    let out = merge(&tmp.path().join("m"), &[&a]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("2/2 missing"), "{}", stderr(&out));
    assert!(build(
        &fixture("small"),
        &c,
        &["--shard", "2/3", "--documents", "report", "--member", "14729030"]
    )
    .status
    .success());
    let out = merge(&tmp.path().join("m"), &[&a, &c]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("another run"), "{}", stderr(&out));
    let out = merge(&a, &[&a]);
    assert!(!out.status.success());
}

/// Asserts that a run's log does (or does not) contain `text`, printing the log otherwise.
fn assert_log(o: &std::process::Output, text: &str, present: bool) {
    assert_eq!(
        stderr(o).contains(text),
        present,
        "{text:?} expected {present} in:\n{}",
        stderr(o)
    );
}

#[test]
fn rerun_skips_unchanged_documents_and_force_rebuilds() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = copy_fixture("small", tmp.path());
    let out_dir = tmp.path().join("out");
    let args = ["--member", "14729380"];
    let first = build(&inputs, &out_dir, &args);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_log(&first, "3 PDF(s) written, 0 unchanged", true);
    let before = snapshot(&out_dir);

    let again = build(&inputs, &out_dir, &args);
    assert_log(&again, "0 PDF(s) written, 3 unchanged", true);
    // Nothing changed since the last complete run: not even the inputs are read again, but their
    // warnings are repeated.
    assert_log(&again, "are those of the last run", true);
    assert_eq!(
        stderr(&again).matches("warning:").count(),
        stderr(&first).matches("warning:").count()
    );
    assert_eq!(snapshot(&out_dir), before, "an unchanged rerun changes nothing");

    // A missing data file, or another option, means a real run (which skips the unchanged PDFs).
    fs::remove_file(out_dir.join("partnership.csv")).unwrap();
    let again = build(&inputs, &out_dir, &args);
    assert_log(&again, "are those of the last run", false);
    assert_log(&again, "0 PDF(s) written, 3 unchanged", true);
    assert_eq!(snapshot(&out_dir), before);
    let other = build(&inputs, &out_dir, &["--member", "14729380", "--documents", "briefing"]);
    assert_log(&other, "are those of the last run", false);
    let again = build(&inputs, &out_dir, &args);
    assert_log(&again, "are those of the last run", false);

    // A PDF that is gone or damaged is rebuilt even though its content hash is unchanged.
    let briefing = out_dir.join("ratsinfo_2024_14729380_thallwitz.pdf");
    fs::write(&briefing, b"%PDF-damaged").unwrap();
    let again = build(&inputs, &out_dir, &args);
    assert_log(&again, "1 PDF(s) written, 2 unchanged", true);
    assert_eq!(snapshot(&out_dir), before);

    // A changed input changes the documents that show it.
    let pop = inputs.join("statistics/national/population_2021.csv");
    let text = fs::read_to_string(&pop).unwrap();
    let line = text.lines().find(|l| l.starts_with("14729380,")).unwrap().to_string();
    fs::write(&pop, text.replace(&line, "14729380,4000")).unwrap();
    let changed = build(&inputs, &out_dir, &args);
    assert!(changed.status.success(), "{}", stderr(&changed));
    assert_log(&changed, "0 PDF(s) written", false);

    let forced = build(&inputs, &out_dir, &["--member", "14729380", "--force"]);
    assert_log(&forced, "3 PDF(s) written, 0 unchanged", true);
}

#[test]
fn keep_typst_writes_compilable_sources_with_their_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let (out_dir, keep) = (tmp.path().join("out"), tmp.path().join("typ"));
    let out = bin()
        .args(["build", "--documents", "briefing", "--member", "14729410", "--inputs"])
        .arg(fixture("small"))
        .arg("--output")
        .arg(&out_dir)
        .arg("--keep-typst")
        .arg(&keep)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(pdfs(&out_dir), ["ratsinfo_2024_14729410_wurzen.pdf"]);
    let root = keep.join("ratsinfo_2024_14729410_wurzen");
    let source = fs::read_to_string(root.join("main.typ")).unwrap();
    let charts: Vec<String> = files(&root.join("charts"));
    assert!(!charts.is_empty());
    for c in &charts {
        assert!(source.contains(&format!("/charts/{c}")), "main.typ does not use {c}");
    }
    // The page setup, tables and the briefing's short sources list are modules beside main.typ,
    // which uses them.
    assert!(source.contains("#import \"/theme.typ\"") && source.contains("#include \"/sources_short.typ\""));
    assert!(!source.contains("//@file") && !source.contains("//@end"));
    let theme = fs::read_to_string(root.join("theme.typ")).unwrap();
    assert!(
        theme.contains("#let setup(") && !theme.contains("Wurzen"),
        "theme.typ must not name the member"
    );
    assert!(fs::read_to_string(root.join("sources_short.typ"))
        .unwrap()
        .contains("Datengüte"));

    let fonts = tmp.path().join("fonts");
    let out = bin().arg("fonts").arg(&fonts).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(files(&fonts).len(), 4);
}

/// Leipzig, Landkreis Leipzig and Nordsachsen (AGS 147…): 61 members, more than the 50 that are
/// compared in full, from the example config of all German municipalities and the bundled inputs.
#[test]
fn a_large_partnership_gets_peer_charts_and_no_handbook() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let germany = fs::read_to_string(root.join("inputs/examples/germany.toml")).unwrap();
    let head = &germany[..germany.find("[[member]]").unwrap()];
    let members: String = germany
        .split("[[member]]")
        .skip(1)
        .filter(|m| m.contains("ags = \"147"))
        .map(|m| format!("[[member]]{m}"))
        .collect();
    assert_eq!(members.matches("[[member]]").count(), 61);
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("region.toml");
    fs::write(&config, format!("{head}{members}")).unwrap();
    let out_dir = tmp.path().join("out");
    let out = build(
        &root.join("inputs"),
        &out_dir,
        &[
            "--config",
            config.to_str().unwrap(),
            "--documents",
            "briefing,handbook",
            "--member",
            "14729410",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("no handbook"), "{}", stderr(&out));
    let names = pdfs(&out_dir);
    assert_eq!(names.len(), 1, "{names:?}");
    let text = pdftotext(&out_dir.join(&names[0]));
    assert!(text.contains("Wurzen"), "{text}");
    // Ranks are among all 61 members; the charts show the member among its peers only.
    assert!(text.contains("von 61"), "{text}");
    // Of Wurzen's peers only Wurzen has a boundary in the inputs: no map of one area.
    assert!(!text.contains("Karte"), "{text}");
    let rows = indicators(&out_dir);
    assert_eq!(
        rows.keys()
            .map(|(a, _)| a.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        61
    );
    let summary = fs::read_to_string(out_dir.join("partnership.csv")).unwrap();
    assert!(
        summary
            .lines()
            .any(|l| l.starts_with("population,") && l.contains(",61,61,")),
        "{summary}"
    );

    // The compensation sentence of a city's briefing names the partnership's city, or counts its
    // cities when there are several (it once said "Leipzig" in every partnership).
    let flat = |t: String| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let city_briefing = |config_text: &str, dir: &str| {
        let config = tmp.path().join(format!("{dir}.toml"));
        fs::write(&config, config_text).unwrap();
        let out_dir = tmp.path().join(dir);
        let extra = [
            "--config",
            config.to_str().unwrap(),
            "--documents",
            "briefing",
            "--member",
            "14713000",
        ];
        let out = build(&root.join("inputs"), &out_dir, &extra);
        assert!(out.status.success(), "{}", stderr(&out));
        flat(pdftotext(&out_dir.join("ratsinfo_2024_14713000_leipzig-stadt.pdf")))
    };
    let one = city_briefing(&format!("{head}{members}"), "one-city");
    assert!(one.contains("der Emissionen von Leipzig, Stadt ausgleichen"), "{one}");
    let wurzen_city = members.replace(
        "name = \"Wurzen, Stadt\"\nrole = \"rural\"",
        "name = \"Wurzen, Stadt\"\nrole = \"city\"",
    );
    assert_ne!(wurzen_city, members);
    let two = city_briefing(&format!("{head}{wurzen_city}"), "two-cities");
    assert!(
        two.contains("der Emissionen der 2 Städte der Partnerschaft ausgleichen"),
        "{two}"
    );
}
