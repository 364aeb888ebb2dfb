//! `verify` as a reporter runs it: the whole process over 100k generated statements, half of
//! them read in sources with a saved copy (10k copies, a third of them HTML pages, each a
//! few kilobytes of prose around the quotes), with about one quote in a hundred altered in
//! its copy so that the closest-passage search runs too.
//! `cargo bench --bench verify` (add `-- DIR` to measure an existing corpus instead).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FILLER: &str = "Le groupe n’a pas répondu samedi après-midi aux demandes de précisions \
sur les autres pays éventuellement concernés, a indiqué une source proche du dossier. The \
company did not answer further questions on Saturday about the other countries concerned. ";

/// Gives every incident's first source a saved copy holding its statements' words, and
/// records it in the file. Returns how many copies were written.
fn add_snapshots(dir: &Path) -> usize {
    let corpus = onrecord::store::load(dir).expect("the generated corpus loads");
    let mut copies = 0;
    for (n, inc) in corpus.incidents.iter().enumerate() {
        let html = n % 3 == 0;
        let mut body = String::new();
        for (k, st) in inc
            .statements
            .iter()
            .filter(|s| s.source.as_deref() == Some("source-0"))
            .enumerate()
        {
            let mut text = st.text.clone();
            if (n * 7 + k) % 100 == 0 {
                // The copy says something else: a misquote for verify to find.
                text = text.replacen(' ', " vraiment ", 1);
            }
            for _ in 0..3 {
                body.push_str(FILLER);
            }
            if html {
                let _ = write!(
                    body,
                    "</p>\n<p>Un porte-parole a affirm&eacute; que &laquo;&nbsp;{}&nbsp;&raquo;, \
                     a-t-il ajout&eacute;. ",
                    text.replace('&', "&amp;").replace('<', "&lt;")
                );
            } else {
                let _ = write!(
                    body,
                    "\nUn porte-parole a affirmé que « {text} », a-t-il ajouté. "
                );
            }
        }
        let (name, bytes) = if html {
            (
                "page.html",
                format!(
                    "<!DOCTYPE html><html><head><title>{}</title><script>var x = 1;</script>\
                     </head><body><article><p>{body}</p></article></body></html>",
                    inc.id
                ),
            )
        } else {
            ("page.txt", body)
        };
        let rel = format!("sources/{}/{name}", inc.id);
        let path = dir.join(&rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, &bytes).unwrap();
        let hash = onrecord::snapshot::sha256_hex(bytes.as_bytes());
        let toml = fs::read_to_string(&inc.path).unwrap();
        let toml = toml.replacen(
            "id = \"source-0\"\n",
            &format!("id = \"source-0\"\nsnapshot = \"{rel}\"\nsha256 = \"{hash}\"\n"),
            1,
        );
        fs::write(&inc.path, toml).unwrap();
        copies += 1;
    }
    copies
}

fn best_of(n: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[n / 2])
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let tmp;
    let dir: PathBuf = match args.first() {
        Some(dir) => PathBuf::from(dir),
        None => {
            tmp = tempfile::tempdir().expect("a temporary folder");
            let dir = tmp.path().join("corpus");
            let g = onrecord::generate::generate(&dir, 100_000, 1).expect("the corpus is written");
            let copies = add_snapshots(&dir);
            let snapshot_bytes: u64 = fs::read_dir(dir.join("sources"))
                .into_iter()
                .flatten()
                .flatten()
                .flat_map(|d| fs::read_dir(d.path()).into_iter().flatten().flatten())
                .filter_map(|f| f.metadata().ok())
                .map(|m| m.len())
                .sum();
            println!(
                "generated {} statements in {} files ({:.1} MB), {copies} saved copies \
                 ({:.1} MB) under {}",
                g.statements,
                g.files,
                g.bytes as f64 / 1e6,
                snapshot_bytes as f64 / 1e6,
                dir.display()
            );
            dir
        }
    };
    let exe = env!("CARGO_BIN_EXE_onrecord");
    let mut last = String::new();
    let mut run = || {
        let out = Command::new(exe)
            .arg("--dir")
            .arg(&dir)
            .arg("verify")
            .stderr(Stdio::null())
            .output()
            .expect("onrecord runs");
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "onrecord verify could not run: {}",
            out.status
        );
        let text = String::from_utf8_lossy(&out.stdout);
        last = text.lines().last().unwrap_or_default().to_string();
    };
    run(); // warm the page cache
    let (best, median) = best_of(5, run);
    println!("summary: {last}");
    println!(
        "whole process `onrecord --dir {} verify`: best {:.0} ms, median {:.0} ms",
        dir.display(),
        best.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3
    );
}
