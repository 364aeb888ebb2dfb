//! `merge-file` on two 1 MB versions of an incident: each side appends 20 statements, edits 5
//! others in the middle of the file and tags a pair, the way two reporters' branches differ
//! after a day's work. Measured in process (`merge::merge`) and as the whole process git runs
//! (`onrecord merge-file`), CPU time beside wall time since the machine is shared.
//! `cargo bench --bench merge`.

use std::fs;
use std::process::Command;
use std::time::{Duration, Instant};

use onrecord::merge::{self, Options};

const RUNS: usize = 20;

/// A made-up incident of at least `bytes` bytes, with comments, partial dates, sources and
/// verdicts; returns its text and its number of statements.
fn big_incident(bytes: usize) -> (String, usize) {
    let mut t = String::from(
        "# A made-up incident, large on purpose.\n\ntitle = \"Acme Widgets and its customers' data\"\ncompany = \"Acme Widgets\"\ntags = [\"privacy\", \"widgets\"]\n\n[[sources]]\nid = \"widget-weekly\"\noutlet = \"Widget Weekly\"\n",
    );
    let mut n = 0;
    while t.len() < bytes {
        if n % 7 == 0 {
            t.push_str("\n# Checked against the paper's archive.");
        }
        t.push_str(&statement(
            n,
            "Nous ne vendons pas et ne vendrons pas les données clients",
        ));
        n += 1;
    }
    for i in (1..n).step_by(97) {
        t.push_str(&format!(
            "\n[[contradictions]]\nbetween = [\"s{}\", \"s{i}\"]\nverdict = \"contradicts\"\nnote = \"Hand-written.\"\n",
            i - 1
        ));
    }
    (t, n)
}

fn statement(n: usize, words: &str) -> String {
    format!(
        "\n[[statements]]\nid = \"s{n}\"\ndate = \"20{:02}-{:02}\"\nspeaker = \"Porte-parole d’Acme\"\nsource = \"widget-weekly\"\nlang = \"fr\"\ntext = \"{words} ({n}), déclare l’entreprise à l’AFP.\"\ntranslation = \"We do not and will not sell customer data ({n}), the company told AFP.\"\n",
        15 + n % 10,
        1 + n % 12
    )
}

/// One side's day of work: `edits` statements reworded, new ones appended, a verdict.
fn side(base: &str, n: usize, first_new: usize, edited: &[usize]) -> String {
    let mut t = base.to_string();
    for &i in edited {
        let old = format!("pas les données clients ({i}),");
        let new = format!("pas les données de nos clients ({i}),");
        assert!(t.contains(&old), "statement {i} is there");
        t = t.replacen(&old, &new, 1);
    }
    for k in 0..20 {
        t.push_str(&statement(
            first_new + k,
            "Nous ne partagerons jamais les données",
        ));
    }
    t.push_str(&format!(
        "\n[[contradictions]]\nbetween = [\"s{}\", \"s{}\"]\nverdict = \"walks-back\"\n",
        edited[0],
        n - 1 - edited[0]
    ));
    t
}

fn summary(label: &str, mut times: Vec<Duration>, cpu: Option<f64>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let cpu = cpu.map_or(String::new(), |c| {
        format!("   CPU {:>6.1} ms a run", c * 1e3 / times.len() as f64)
    });
    println!(
        "  {label:<34} wall median {:>6.1} ms  min {:>6.1}  max {:>6.1}{cpu}   ({} runs)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

/// CPU seconds of waited-for children so far (/proc/self/stat, ticks of 1/100 s).
fn children_cpu() -> f64 {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<f64> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    (fields.get(13).copied().unwrap_or(0.0) + fields.get(14).copied().unwrap_or(0.0)) / 100.0
}

fn thread_cpu() -> f64 {
    fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

fn main() {
    let (base, n) = big_incident(1_000_000);
    let ours = side(&base, n, n, &[n / 10, n / 3, n / 2, 2 * n / 3, 9 * n / 10]);
    let theirs = side(
        &base,
        n,
        n + 20,
        &[n / 10 + 1, n / 4, n / 2 + 1, 3 * n / 4, n - 2],
    );
    println!(
        "merge-file: base {:.2} MB ({n} statements), ours {:.2} MB, theirs {:.2} MB",
        base.len() as f64 / 1e6,
        ours.len() as f64 / 1e6,
        theirs.len() as f64 / 1e6
    );
    let opts = Options {
        incident: "acme-big-incident".into(),
        ..Options::default()
    };
    let check = merge::merge(&base, &ours, &theirs, &opts).expect("the versions merge");
    assert!(check.conflicts.is_empty(), "{:?}", check.conflicts);
    assert_eq!(check.text.matches("[[statements]]").count(), n + 40);

    let mut times = Vec::new();
    let cpu = thread_cpu();
    for _ in 0..RUNS {
        let t = Instant::now();
        let m = merge::merge(&base, &ours, &theirs, &opts).expect("the versions merge");
        times.push(t.elapsed());
        std::hint::black_box(m);
    }
    summary("in process: merge::merge", times, Some(thread_cpu() - cpu));

    // Where the time goes: reading one version as TOML, and checking the result as `check` does.
    let mut parse = Vec::new();
    let mut check_result = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        std::hint::black_box(toml::de::DeTable::parse(&base).expect("valid"));
        parse.push(t.elapsed());
        let t = Instant::now();
        let path = std::path::Path::new("acme-big-incident.toml");
        std::hint::black_box(onrecord::parse::parse_incident(
            path,
            "acme-big-incident",
            &check.text,
        ));
        check_result.push(t.elapsed());
    }
    summary("  of which: one version read as TOML", parse, None);
    summary("  after: the result checked (CLI)", check_result, None);

    let tmp = tempfile::tempdir().expect("a temporary folder");
    let (b, o, t) = (
        tmp.path().join("base"),
        tmp.path().join("ours"),
        tmp.path().join("theirs"),
    );
    fs::write(&b, &base).expect("written");
    fs::write(&t, &theirs).expect("written");
    let mut times = Vec::new();
    let before = children_cpu();
    for _ in 0..RUNS {
        fs::write(&o, &ours).expect("written");
        let start = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_onrecord"))
            .arg("merge-file")
            .args([&b, &o, &t])
            .args(["--path", "statements/acme-big-incident.toml"])
            .status()
            .expect("onrecord runs");
        times.push(start.elapsed());
        assert!(status.success(), "a clean merge");
    }
    summary(
        "whole process: onrecord merge-file",
        times,
        Some(children_cpu() - before),
    );
    assert_eq!(fs::read_to_string(&o).expect("read"), check.text);
}
