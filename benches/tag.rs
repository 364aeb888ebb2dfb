//! `tag` on a 1 MB incident file: the whole process, as a person runs `onrecord tag`, and in
//! process (`write::load_for` then `write::tag`, and `write::tag` alone), each run tagging a new
//! pair so that every run really writes. First with that file alone in the corpus, then beside
//! a generated corpus of 10,000 statements. `cargo bench --bench tag`.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use onrecord::model::{StatementRef, Verdict};
use onrecord::store;
use onrecord::write::{self, TagRequest};

const ID: &str = "acme-big-incident";
const RUNS: usize = 20;

/// One incident file of at least `bytes` bytes in the full format: comments, sources, partial
/// dates, French text with translations, verdicts. Returns the number of statements.
fn big_incident(dir: &Path, bytes: usize) -> usize {
    let mut t = String::from(
        "# A made-up incident, large on purpose.\n\ntitle = \"Acme Widgets and its customers' data\"\ncompany = \"Acme Widgets\"\nsummary = \"\"\"\nA long-running story, told statement by statement.\"\"\"\ntags = [\"privacy\", \"widgets\"]\n\n[[sources]]\nid = \"widget-weekly\"\noutlet = \"Widget Weekly\"\npublished = \"2024-11\"\nlang = \"fr\"\n",
    );
    let mut n = 0;
    while t.len() < bytes {
        let year = 2015 + n % 10;
        let month = 1 + (n / 10) % 12;
        let date = match n % 3 {
            0 => format!("\"{year}-{month:02}\""),
            _ => format!("{year}-{month:02}-{:02}", 1 + n % 28),
        };
        if n % 7 == 0 {
            t.push_str("\n# Checked against the paper's archive.");
        }
        t.push_str(&format!(
            "\n[[statements]]\nid = \"s{n}\"\ndate = {date}\nspeaker = \"Porte-parole d’Acme\"\nkind = \"{}\"\nsource = \"widget-weekly\"\nlang = \"fr\"\ntext = \"Nous ne vendons pas et ne vendrons pas les données clients ({n}), déclare l’entreprise à l’AFP.\"\ntranslation = \"We do not and will not sell customer data ({n}), the company told AFP.\"\ntags = [\"denial\"]\n",
            if n % 2 == 0 { "quote" } else { "paraphrase" }
        ));
        n += 1;
    }
    for i in (1..n).step_by(97) {
        t.push_str(&format!(
            "\n[[contradictions]]\nbetween = [\"s{}\", \"s{i}\"]\nverdict = \"contradicts\"\nnote = \"Hand-written.\"\n",
            i - 1
        ));
    }
    fs::write(dir.join(format!("{ID}.toml")), t).expect("the file is written");
    n
}

/// A pair that has no verdict yet, different for each run.
fn pair(run: usize) -> (String, String) {
    (
        format!("{ID}#s{}", 2 + 3 * run),
        format!("{ID}#s{}", 1000 + 5 * run),
    )
}

/// CPU seconds used so far (user + system) by this process and by its waited-for children,
/// from /proc/self/stat (clock ticks of 1/100 s: summed over all runs, then averaged). On a
/// shared, loaded machine wall-clock time mostly measures the others; CPU time does not.
fn cpu_seconds() -> (f64, f64) {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<f64> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    let tick = |i: usize| fields.get(i).copied().unwrap_or(0.0) / 100.0;
    // After the command name: state is field 0, utime 11, stime 12, cutime 13, cstime 14.
    (tick(11) + tick(12), tick(13) + tick(14))
}

fn summary(label: &str, mut times: Vec<Duration>, cpu: f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "  {label:<32} wall median {:>6.1} ms  min {:>6.1}  max {:>6.1}   CPU {:>6.1} ms a run   ({} runs)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        cpu * 1e3 / times.len() as f64,
        times.len()
    );
}

fn measure(dir: &Path) {
    let exe = env!("CARGO_BIN_EXE_onrecord");
    let size = fs::metadata(dir.join(format!("{ID}.toml"))).map_or(0, |m| m.len());
    let corpus = store::load(dir).expect("the corpus loads");
    println!(
        "{} files, {} statements; the tagged file is {:.2} MB",
        corpus.files,
        corpus.statement_count(),
        size as f64 / 1e6
    );
    assert!(corpus.failed.is_empty(), "the bench corpus loads cleanly");
    drop(corpus);

    let mut process = Vec::new();
    let (_, children_before) = cpu_seconds();
    for run in 0..RUNS {
        let (a, b) = pair(run);
        let t = Instant::now();
        let status = Command::new(exe)
            .arg("--dir")
            .arg(dir)
            .args(["tag", &a, &b, "--verdict", "contradicts", "--by", "bench"])
            .stdout(Stdio::null())
            .status()
            .expect("onrecord runs");
        process.push(t.elapsed());
        assert!(status.success(), "onrecord tag {a} {b} failed");
    }
    let (_, children_after) = cpu_seconds();
    summary(
        "whole process (onrecord tag)",
        process,
        children_after - children_before,
    );

    let mut with_load = Vec::new();
    let mut tag_only = Vec::new();
    let (mut cpu_with_load, mut cpu_tag_only) = (0.0, 0.0);
    for run in RUNS..2 * RUNS {
        let (a, b) = pair(run);
        let req = TagRequest {
            a: StatementRef::parse(&a, None).expect("a reference"),
            b: StatementRef::parse(&b, None).expect("a reference"),
            verdict: Verdict::Consistent,
            claim: None,
            note: Some("measured".into()),
            by: "bench".into(),
            replace: false,
            reviewed: None,
        };
        let (t, cpu) = (Instant::now(), thread_cpu_seconds());
        // What `onrecord tag` loads: the two incidents' files and any file naming both.
        let corpus = write::load_for(dir, &[&req.a.incident, &req.b.incident], &[&req.a, &req.b])
            .expect("the files load");
        let (loaded, cpu_loaded) = (t.elapsed(), thread_cpu_seconds());
        write::tag(&corpus, &req, None).expect("the tag is written");
        with_load.push(t.elapsed());
        tag_only.push(t.elapsed() - loaded);
        cpu_with_load += thread_cpu_seconds() - cpu;
        cpu_tag_only += thread_cpu_seconds() - cpu_loaded;
    }
    summary("in process: load_for + tag", with_load, cpu_with_load);
    summary("in process: write::tag alone", tag_only, cpu_tag_only);

    let (own_before, _) = cpu_seconds();
    for _ in 0..5 {
        drop(store::load(dir).expect("the corpus loads"));
    }
    println!(
        "  (for comparison, loading the whole corpus: {:.1} ms CPU)",
        (cpu_seconds().0 - own_before) * 1e3 / 5.0
    );
}

/// CPU seconds this thread has run, to the nanosecond (/proc/thread-self/schedstat).
fn thread_cpu_seconds() -> f64 {
    fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|n| n.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |ns| ns / 1e9)
}

fn main() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let alone = tmp.path().join("alone");
    fs::create_dir_all(&alone).expect("a folder");
    big_incident(&alone, 1_000_000);
    println!("tag on a 1 MB incident file, alone in the corpus:");
    measure(&alone);

    let beside = tmp.path().join("beside");
    onrecord::generate::generate(&beside, 10_000, 1).expect("the corpus is written");
    big_incident(&beside, 1_000_000);
    println!("the same file beside a generated corpus of 10,000 statements:");
    measure(&beside);
}
