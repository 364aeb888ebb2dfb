//! What the benchmarks share: the corpus they measure (a folder named on the command line, or
//! one written by the same generator as `examples/gen_corpus.rs`), and how they report times.

// Each benchmark uses its own part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The corpus a benchmark measures; a generated one is removed when this is dropped.
pub struct BenchCorpus {
    pub dir: PathBuf,
    _generated: Option<TempDir>,
}

/// The benchmark's arguments, without the `--bench` that `cargo bench` adds.
pub fn args() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect()
}

/// The folder given after `--` (`cargo bench --bench X -- DIR`), else `statements` generated
/// statements in a temporary folder, as `cargo run --example gen_corpus` writes them.
pub fn corpus(statements: usize) -> BenchCorpus {
    match args().first() {
        Some(dir) => BenchCorpus {
            dir: PathBuf::from(dir),
            _generated: None,
        },
        None => {
            let tmp = tempfile::tempdir().expect("a temporary folder");
            let dir = generated(tmp.path(), statements);
            BenchCorpus {
                dir,
                _generated: Some(tmp),
            }
        }
    }
}

/// Writes `statements` generated statements into `under/corpus` and says how long it took.
pub fn generated(under: &Path, statements: usize) -> PathBuf {
    let dir = under.join("corpus");
    let t = Instant::now();
    let g = onrecord::generate::generate(&dir, statements, 1).expect("the corpus is written");
    println!(
        "generated {} statements in {} files ({:.1} MB) in {:.0} ms",
        g.statements,
        g.files,
        g.bytes as f64 / 1e6,
        ms(t.elapsed())
    );
    dir
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The `p` quantile (0 to 1) of sorted times.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// The machine's load average over 1, 5 and 15 minutes, printed beside the figures because
/// other programs' work slows a benchmark down.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
