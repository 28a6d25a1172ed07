//! Benchmark of the Marktstammdatenregister Gesamtdatenexport reader alone (issue 14, item 6):
//! streams every unit table of the ZIP given as argument and prints units, sums, XML size and
//! throughput. All municipalities are kept (a national run), or with a second argument only those
//! whose AGS starts with it (a partnership's district). Peak memory is measured around it by
//! `scripts/bench_mastr.sh` (`/usr/bin/time -v`).
//!
//!     cargo run --release --example mastr_bench -- /tmp/Gesamtdatenexport_20250403_25.1.zip [147]

use std::io::BufReader;
use std::time::Instant;

use klimapartner::ingest::mastr_full;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: mastr_bench <Gesamtdatenexport_YYYYMMDD_….zip> [AGS prefix]");
        std::process::exit(2);
    };
    let Some(date) = mastr_full::export_date(&path) else {
        eprintln!("{path}: the name carries no export date (Gesamtdatenexport_YYYYMMDD_….zip)");
        std::process::exit(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let prefix = std::env::args().nth(2).unwrap_or_default();
    let start = Instant::now();
    let keep = |a: &klimapartner::model::Ags| a.as_str().starts_with(prefix.as_str());
    let totals = match mastr_full::scan(&path, BufReader::new(file), date, &keep) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    let mb = totals.xml_bytes as f64 / 1e6;
    let kw: f64 = totals.capacity.values().map(|(kw, _)| kw).sum();
    println!(
        "entries {}, units {}, in operation {}, repeated {}, sums {}, capacity {:.0} MW",
        totals.entries.len(),
        totals.units,
        totals.kept,
        totals.repeated,
        totals.capacity.len(),
        kw / 1000.0
    );
    println!(
        "XML (UTF-16) {mb:.0} MB in {seconds:.1} s: {:.0} MB/s of XML",
        mb / seconds
    );
}
