//! Loading a corpus: time and peak memory for 1k, 10k and 100k generated statements.
//! `cargo bench --bench load` (add `-- DIR` to measure an existing folder instead).
//!
//! Each load runs in a fresh child process so that its peak memory (VmHWM) is its own.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod common;

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn dir_bytes(dir: &Path) -> u64 {
    onrecord::store::incident_files(dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// In the child: load once to warm the page cache, then time the best of three loads.
fn child(dir: &Path) {
    let before = peak_rss_kib();
    let mut best = f64::MAX;
    let mut statements = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let corpus = onrecord::store::load(dir).expect("the corpus loads");
        best = best.min(t.elapsed().as_secs_f64());
        statements = corpus.statement_count();
        drop(corpus);
    }
    println!("{statements} {best} {before} {}", peak_rss_kib());
}

fn measure(dir: &Path) {
    let exe = std::env::current_exe().expect("own path");
    let out = Command::new(exe)
        .arg("--child")
        .arg(dir)
        .output()
        .expect("child runs");
    let line = String::from_utf8_lossy(&out.stdout);
    let f: Vec<f64> = line
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    let [statements, secs, before, peak] = f[..] else {
        panic!("child failed: {}", String::from_utf8_lossy(&out.stderr));
    };
    let bytes = dir_bytes(dir) as f64;
    println!(
        "{:>7} statements  {:>6.1} MB on disk  load {:>7.1} ms  peak RSS {:>6.1} MB ({:.2}x the corpus; {:.1} MB before loading)",
        statements,
        bytes / 1e6,
        secs * 1e3,
        peak * 1024.0 / 1e6,
        peak * 1024.0 / bytes,
        before * 1024.0 / 1e6,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(Path::new(&args[1]));
        return;
    }
    if let Some(dir) = common::args().first() {
        measure(&PathBuf::from(dir));
        return;
    }
    let tmp = tempfile::tempdir().expect("a temporary folder");
    for n in [1_000, 10_000, 100_000] {
        measure(&common::generated(&tmp.path().join(n.to_string()), n));
    }
}
