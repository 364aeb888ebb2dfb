//! `suggest` over a generated corpus of 100,000 statements, in process and as a whole
//! `onrecord suggest` process, and a word diff of two 1 MB statements.
//!
//! `cargo bench --bench suggest` (add `-- DIR` to measure an existing corpus folder instead of
//! generating one; `-- --organizations 20` generates the skewed shape instead, 20
//! organizations with 5,000 statements each and long-tailed prose, where pairs are many). The whole-process figure spawns target/release/onrecord, so build it
//! first: `cargo build --release`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use onrecord::diff::diff_texts;
use onrecord::query::Filter;
use onrecord::suggest::suggest;

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    times.sort();
    (times[0], times[runs / 2], last.expect("at least one run"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn in_process(dir: &Path) {
    let (load_best, load_median, corpus) = best_of(3, || onrecord::store::load(dir).unwrap());
    let n = corpus.statement_count();
    let filter = Filter::default();
    let (best, median, found) = best_of(5, || suggest(&corpus, &filter, 20));
    println!(
        "in process, {n} statements: load best {:.0} ms (median {:.0}); suggest --limit 20 best \
         {:.0} ms (median {:.0}), {} suggestions, top score {:.3}",
        ms(load_best),
        ms(load_median),
        ms(best),
        ms(median),
        found.len(),
        found.first().map_or(0.0, |s| s.score)
    );
}

fn whole_process(dir: &Path) {
    let exe = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/onrecord");
    if !exe.exists() {
        println!(
            "whole process: skipped, build {} first (cargo build --release)",
            exe.display()
        );
        return;
    }
    let run = || {
        let status = Command::new(&exe)
            .arg("--dir")
            .arg(dir)
            .args(["suggest", "--format", "json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("onrecord runs");
        assert!(
            status.code() == Some(0),
            "onrecord suggest failed: {status}"
        );
    };
    run(); // warm the page cache
    let (best, median, ()) = best_of(5, run);
    println!(
        "whole process `{} --dir {} suggest --format json`: best {:.0} ms, median {:.0} ms",
        exe.display(),
        dir.display(),
        ms(best),
        ms(median)
    );
}

/// About `bytes` of made-up prose, different for each seed: a few thousand invented words,
/// with the words that change a claim (negations, hedges, quantities, numbers) about as
/// frequent as in a long policy document, and a full stop every seventeen words.
fn prose(bytes: usize, seed: u64) -> String {
    const SYLLABLES: &[&str] = &[
        "da", "ne", "ri", "so", "lu", "ka", "mé", "to", "vi", "ré", "pa", "li", "mo", "sé", "ta",
    ];
    const MARKERS: &[&str] = &[
        "ne",
        "pas",
        "not",
        "never",
        "jamais",
        "may",
        "will",
        "all",
        "some",
        "only",
        "seulement",
        "temporairement",
        "permanently",
        "100",
        "euros",
        "n’utilisions",
        "l’étendue",
    ];
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let vocabulary: Vec<String> = (0..3000)
        .map(|_| {
            let n = 2 + next() % 3;
            (0..n)
                .map(|_| SYLLABLES[(next() % SYLLABLES.len() as u64) as usize])
                .collect()
        })
        .collect();
    let mut out = String::with_capacity(bytes + 32);
    let mut n = 0u64;
    while out.len() < bytes {
        let r = next();
        if r.is_multiple_of(25) {
            out.push_str(MARKERS[((r >> 8) % MARKERS.len() as u64) as usize]);
        } else {
            out.push_str(&vocabulary[((r >> 8) % vocabulary.len() as u64) as usize]);
        }
        n += 1;
        out.push_str(if n.is_multiple_of(17) { ". " } else { " " });
    }
    out
}

/// `text` with one word in every `every` replaced, as a long document's later revision.
fn revised(text: &str, every: usize) -> String {
    text.split(' ')
        .enumerate()
        .map(|(i, w)| if i.is_multiple_of(every) { "jamais" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

fn big_diffs() {
    let a = prose(1 << 20, 1);
    let b = revised(&a, 50);
    let c = prose(1 << 20, 2);
    for (what, x, y) in [("a revision", &a, &b), ("unrelated", &a, &c)] {
        let (best, median, (ops, changes)) = best_of(3, || diff_texts(x, y));
        println!(
            "diff of two 1 MB statements ({what}; {:.1} and {:.1} MB): best {:.0} ms, median \
             {:.0} ms ({} ops, {} changes)",
            x.len() as f64 / 1e6,
            y.len() as f64 / 1e6,
            ms(best),
            ms(median),
            ops.len(),
            changes.len()
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let tmp;
    let organizations = match args.as_slice() {
        [flag, n] if flag == "--organizations" => Some(n.parse().expect("--organizations N")),
        _ => None,
    };
    let dir: PathBuf = match args.first() {
        Some(dir) if organizations.is_none() => PathBuf::from(dir),
        _ => {
            tmp = tempfile::tempdir().expect("a temporary folder");
            let dir = tmp.path().join("corpus");
            let options = onrecord::generate::Options {
                statements: 100_000,
                seed: 1,
                organizations,
            };
            let g =
                onrecord::generate::generate_with(&dir, &options).expect("the corpus is written");
            println!(
                "generated {} statements{} in {} files ({:.1} MB) under {}",
                g.statements,
                organizations.map_or(String::new(), |n| format!(" of {n} organizations")),
                g.files,
                g.bytes as f64 / 1e6,
                dir.display()
            );
            dir
        }
    };
    // The diffs first, before a 100k corpus has been through memory.
    big_diffs();
    in_process(&dir);
    whole_process(&dir);
}
