//! Where a build's time and memory went: wall and CPU time per stage, per-document busy time of the
//! worker threads, and peak resident memory, read from `/proc` (zero where `/proc` is missing).
//! Printed as the last `time:` line of a build; nothing here changes what is written.

use std::time::{Duration, Instant};

/// Per-document timings in nanoseconds (busy time of the worker thread).
#[derive(Default)]
pub struct Timing {
    /// View model, charts, template, content hash, `--keep-typst`.
    pub prepare: u64,
    /// typst compile and PDF export.
    pub typeset: u64,
    pub write: u64,
}

impl Timing {
    pub fn add(&mut self, other: &Timing) {
        self.prepare += other.prepare;
        self.typeset += other.typeset;
        self.write += other.write;
    }
}

/// One stage of the run (ingest, compute): wall time, CPU time of the whole process (the stages use
/// several threads) and the peak memory at its end.
pub struct Stage {
    pub wall: Duration,
    pub cpu: f64,
    pub peak_rss_mb: u64,
}

/// Measures consecutive stages from the start of the run.
pub struct Clock {
    started: Instant,
    wall_mark: Duration,
    cpu_mark: f64,
}

impl Clock {
    /// Starts the first stage now; wall time counts from `started` (the start of the run).
    pub fn start(started: Instant) -> Clock {
        Clock {
            started,
            wall_mark: Duration::ZERO,
            cpu_mark: cpu_seconds(),
        }
    }

    /// Ends the current stage and starts the next.
    pub fn stage(&mut self) -> Stage {
        let wall = self.started.elapsed();
        let stage = Stage {
            wall: wall - self.wall_mark,
            cpu: cpu_seconds() - self.cpu_mark,
            peak_rss_mb: peak_rss_mb(),
        };
        self.wall_mark = wall;
        self.cpu_mark = cpu_seconds();
        stage
    }
}

/// What the `time:` line reports.
pub struct Report {
    pub ingest: Stage,
    pub compute: Stage,
    /// Wall time of the documents, and the busy time of the worker threads.
    pub documents: Duration,
    pub busy: Timing,
    pub threads: usize,
    /// Data files and manifest.
    pub output: Duration,
}

impl Report {
    /// Where the time went: ingest and compute as CPU time of the process (they use several
    /// threads), documents as busy time of the worker threads.
    pub fn print(&self) {
        let ns = |v: u64| v as f64 / 1e9;
        let busy = &self.busy;
        let other = self.ingest.cpu + self.compute.cpu + ns(busy.prepare) + ns(busy.write) + self.output.as_secs_f64();
        let all = other + ns(busy.typeset);
        crate::errln!(
            "time: ingest {:.2} s ({:.2} s CPU), compute {:.2} s ({:.2} s CPU), documents {:.2} s on {} threads \
             (CPU: prepare {:.2} s, typeset {:.2} s, write {:.2} s), output files {:.2} s; non-typesetting share {:.1} %; \
             peak memory after ingest {} MB, after compute {} MB, at the end {} MB",
            self.ingest.wall.as_secs_f64(),
            self.ingest.cpu,
            self.compute.wall.as_secs_f64(),
            self.compute.cpu,
            self.documents.as_secs_f64(),
            self.threads,
            ns(busy.prepare),
            ns(busy.typeset),
            ns(busy.write),
            self.output.as_secs_f64(),
            if all > 0.0 { other / all * 100.0 } else { 0.0 },
            self.ingest.peak_rss_mb,
            self.compute.peak_rss_mb,
            peak_rss_mb()
        );
    }
}

/// CPU time (user + system) of the whole process so far, in seconds; 0 where /proc is missing.
pub fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may contain spaces).
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; 100 ticks/s.
    (ticks(11) + ticks(12)) / 100.0
}

/// Peak resident memory of the process so far (VmHWM), in MB; 0 where /proc is missing.
pub fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
