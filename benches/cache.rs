//! The cache, whole process: `search "données clients" --format json` and `list --format json`
//! run as a user runs them, without the cache (`--no-cache`), cold (cache folder emptied
//! first: the run parses everything and writes the snapshot), and warm (the snapshot is whole
//! and every file unchanged); beside them `rg -i -c` over the same folder when ripgrep is
//! installed, the floor a text search cannot go under. Each figure is the median wall time of
//! N runs (default 7) and the largest peak resident memory among them.
//!
//! `cargo bench --bench cache` generates 100k statements into a temporary folder;
//! `cargo bench --bench cache -- DIR [N]` measures an existing corpus, N runs each. The
//! snapshot goes to a temporary cache folder, never the user's.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

/// One run: wall time, processor time (user and system, every thread), and peak resident
/// memory in KiB. Processor time moves less than wall time when other programs share the
/// machine.
struct Sample {
    wall: Duration,
    cpu: Duration,
    peak_kib: u64,
}

/// Runs `cmd` to its end with its output thrown away, and measures it. The child is reaped
/// with `wait4`, whose resource usage is that child's alone.
#[allow(clippy::zombie_processes)] // reaped by wait4, which std's `wait` cannot replace here
fn measure(cmd: &mut Command) -> Sample {
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    let t = Instant::now();
    let child = cmd.spawn().expect("the command starts");
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child's, not waited for yet; both pointers are valid.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = t.elapsed();
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 reaps the child");
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Sample {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        // Linux gives ru_maxrss in KiB.
        peak_kib: usage.ru_maxrss as u64,
    }
}

fn onrecord(dir: &Path, cache: &Path, args: &[&str], no_cache: bool) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_onrecord"));
    cmd.arg("--dir")
        .arg(dir)
        .args(args)
        .env_remove("ONRECORD_DIR")
        .env_remove("ONRECORD_NO_CACHE")
        .env("XDG_CONFIG_HOME", "/nonexistent/onrecord-bench-config")
        .env("XDG_CACHE_HOME", cache);
    if no_cache {
        cmd.arg("--no-cache");
    }
    cmd
}

/// The median times and the largest peak of `n` runs, `before` called ahead of each.
fn series(n: usize, mut before: impl FnMut(), mut make: impl FnMut() -> Command) -> Sample {
    let samples: Vec<Sample> = (0..n)
        .map(|_| {
            before();
            measure(&mut make())
        })
        .collect();
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    Sample {
        wall: median(samples.iter().map(|s| s.wall).collect()),
        cpu: median(samples.iter().map(|s| s.cpu).collect()),
        peak_kib: samples.iter().map(|s| s.peak_kib).max().unwrap_or(0),
    }
}

fn report(what: &str, s: &Sample, corpus_bytes: u64, base: Option<&Sample>) {
    let change = |a: Duration, b: Duration| (a.as_secs_f64() / b.as_secs_f64() - 1.0) * 100.0;
    let ratio = base.map_or(String::new(), |b| {
        format!(
            ", {:+.0}% against no cache (processor {:+.0}%)",
            change(s.wall, b.wall),
            change(s.cpu, b.cpu)
        )
    });
    println!(
        "  {what:<9} median {:>8.1} ms (processor {:>7.1} ms), peak {:>6.0} MB ({:.2}× the \
         corpus){ratio}",
        common::ms(s.wall),
        common::ms(s.cpu),
        s.peak_kib as f64 * 1024.0 / 1e6,
        s.peak_kib as f64 * 1024.0 / corpus_bytes.max(1) as f64,
    );
}

fn corpus_bytes(dir: &Path) -> (usize, u64) {
    let files = onrecord::store::incident_files(dir).expect("the corpus folder is readable");
    let bytes = files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    (files.len(), bytes)
}

/// Stops the bench when the cached output differs from the uncached one: a fast wrong answer
/// is not a figure.
fn same_output(dir: &Path, cache: &Path, args: &[&str]) {
    let out = |no_cache| {
        let o = onrecord(dir, cache, args, no_cache)
            .output()
            .expect("the command runs");
        (o.status.code(), o.stdout, o.stderr)
    };
    let (plain, cached) = (out(true), out(false));
    assert!(
        plain == cached && plain == out(false),
        "{args:?}: the cached output differs from --no-cache"
    );
}

fn main() {
    let corpus = common::corpus(100_000);
    let dir = corpus.dir.as_path();
    let n: usize = common::args()
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(7)
        .max(1);
    let cache = tempfile::tempdir().expect("a temporary cache folder");
    let snapshots = cache.path().join("onrecord");
    let empty = || {
        let _ = std::fs::remove_dir_all(&snapshots);
    };
    let (files, bytes) = corpus_bytes(dir);
    println!(
        "corpus: {} ({files} files, {:.1} MB); {n} runs each, load average {}",
        dir.display(),
        bytes as f64 / 1e6,
        common::load_average()
    );
    // Warm the page cache, so the figures are the program's and not the disk's.
    measure(&mut onrecord(dir, cache.path(), &["list"], true));

    let query = "données clients";
    let rg = Command::new("rg").arg("--version").output().is_ok();
    for args in [
        &["search", query, "--format", "json"][..],
        &["list", "--format", "json"][..],
    ] {
        println!("onrecord {}", args.join(" "));
        let plain = series(n, || {}, || onrecord(dir, cache.path(), args, true));
        report("no cache", &plain, bytes, None);
        let cold = series(n, empty, || onrecord(dir, cache.path(), args, false));
        report("cold", &cold, bytes, Some(&plain));
        let warm = series(n, || {}, || onrecord(dir, cache.path(), args, false));
        report("warm", &warm, bytes, Some(&plain));
        if args[0] == "search" {
            if rg {
                let mut rg = || {
                    let mut c = Command::new("rg");
                    c.args(["-i", "-c", query]).arg(dir);
                    c
                };
                let floor = series(n, || {}, &mut rg);
                report("rg -i -c", &floor, bytes, None);
                println!(
                    "  warm search is {:.2}× rg -i -c",
                    warm.wall.as_secs_f64() / floor.wall.as_secs_f64()
                );
            } else {
                println!("  rg -i -c: skipped, ripgrep is not installed");
            }
        }
        same_output(dir, cache.path(), args);
    }
    let size: u64 = std::fs::read_dir(&snapshots)
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    println!(
        "snapshot: {:.1} MB ({:.2}× the corpus)",
        size as f64 / 1e6,
        size as f64 / bytes.max(1) as f64
    );
}
