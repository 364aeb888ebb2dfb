//! `log` and `show` on a repository of 10,000 commits, made with `git fast-import`: 100
//! incident files, each commit by one of five reporters appending a statement to one file or
//! (one time in ten) rewording an earlier one; half way, one file moves to a sub-folder. The
//! logged file has 100 commits of its own among the 10,000. Whole processes, as a person runs
//! them; `git log --follow` of the same file is the floor. `cargo bench --bench log`.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const COMMITS: usize = 10_000;
const FILES: usize = 100;
const TARGET: usize = 7;
const RUNS: usize = 5;
const AUTHORS: [&str; 5] = [
    "Ann Example",
    "Bea Example",
    "Cal Example",
    "Dee Example",
    "Eve Example",
];

fn statement(k: usize, words: &str) -> String {
    format!(
        "\n[[statements]]\nid = \"s{k}\"\ndate = \"20{:02}-{:02}\"\nspeaker = \"Acme Widgets\"\nurl = \"https://example.org/{k}\"\ntext = \"{words} ({k}).\"\n",
        15 + k % 10,
        1 + k % 12
    )
}

/// The fast-import stream of the whole history.
fn history() -> Vec<u8> {
    let mut files: Vec<String> = (0..FILES)
        .map(|f| format!("title = \"Incident {f}\"\ncompany = \"Acme Widgets\"\n"))
        .collect();
    let mut counts = vec![0usize; FILES];
    let mut paths: Vec<String> = (0..FILES)
        .map(|f| format!("statements/inc-{f}.toml"))
        .collect();
    let mut out = Vec::with_capacity(120 << 20);
    let data = |out: &mut Vec<u8>, s: &str| {
        write!(out, "data {}\n{s}\n", s.len()).expect("in memory");
    };
    for i in 0..COMMITS {
        let f = i % FILES;
        let k = counts[f];
        counts[f] += 1;
        let message;
        if k % 10 == 9 && k > 0 {
            let old = format!("We never sold customer data ({}).", k / 10);
            let new = format!(
                "We never sold customer data, as far as we know ({}).",
                k / 10
            );
            files[f] = files[f].replacen(&old, &new, 1);
            message = format!("Reword s{} in incident {f}", k / 10);
        } else {
            files[f].push_str(&statement(k, "We never sold customer data"));
            message = format!("Add s{k} to incident {f}");
        }
        let author = AUTHORS[i % AUTHORS.len()];
        let email = author.to_lowercase().replace(' ', ".");
        let when = 1_700_000_000 + i * 600;
        let mut head = String::new();
        writeln!(head, "commit refs/heads/main\nmark :{}", i + 1).expect("in memory");
        writeln!(head, "author {author} <{email}@example.org> {when} +0000").expect("in memory");
        writeln!(
            head,
            "committer {author} <{email}@example.org> {when} +0000"
        )
        .expect("in memory");
        out.extend_from_slice(head.as_bytes());
        data(&mut out, &message);
        if i > 0 {
            writeln!(out, "from :{i}").expect("in memory");
        }
        if i == COMMITS / 2 {
            let moved = format!("statements/2024/inc-{TARGET}.toml");
            writeln!(out, "R {} {moved}", paths[TARGET]).expect("in memory");
            paths[TARGET] = moved;
        }
        writeln!(out, "M 100644 inline {}", paths[f]).expect("in memory");
        data(&mut out, &files[f]);
    }
    out
}

fn git(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    c
}

fn time(label: &str, dir: &Path, mut command: impl FnMut() -> Command) {
    let mut times: Vec<Duration> = Vec::new();
    let mut lines = 0;
    for _ in 0..RUNS {
        let mut c = command();
        let start = Instant::now();
        let out = c
            .current_dir(dir)
            .stderr(Stdio::null())
            .output()
            .expect("runs");
        times.push(start.elapsed());
        assert!(out.status.success(), "{label} failed");
        lines = out.stdout.split(|&b| b == b'\n').count() - 1;
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "  {label:<44} median {:>7.1} ms  min {:>7.1}  max {:>7.1}   ({lines} lines of output)",
        ms(times[RUNS / 2]),
        ms(times[0]),
        ms(times[RUNS - 1])
    );
}

fn main() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let dir = tmp.path();
    assert!(
        git(dir, &["init", "-q", "-b", "main"])
            .status()
            .expect("git")
            .success()
    );
    let stream = history();
    let start = Instant::now();
    let mut child = git(dir, &["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(&stream)
        .expect("the history is written");
    assert!(child.wait().expect("fast-import").success());
    assert!(
        git(dir, &["reset", "-q", "--hard", "main"])
            .status()
            .expect("git")
            .success()
    );
    let count = git(dir, &["rev-list", "--count", "HEAD"])
        .output()
        .expect("git");
    println!(
        "a repository of {} commits ({:.0} MB of history) made in {:.1} s; inc-{TARGET} has {} commits",
        String::from_utf8_lossy(&count.stdout).trim(),
        stream.len() as f64 / 1e6,
        start.elapsed().as_secs_f64(),
        COMMITS / FILES
    );
    let exe = env!("CARGO_BIN_EXE_onrecord");
    let onrecord = |args: &'static [&'static str]| {
        move || {
            let mut c = Command::new(exe);
            c.args(args)
                .args(["--dir", "statements"])
                .env("NO_COLOR", "1");
            c
        }
    };
    time("git log --follow (the floor)", dir, || {
        git(
            dir,
            &[
                "log",
                "--follow",
                "--oneline",
                "--",
                "statements/2024/inc-7.toml",
            ],
        )
    });
    time(
        "onrecord log inc-7 (the file)",
        dir,
        onrecord(&["log", "inc-7"]),
    );
    time(
        "onrecord log inc-7#s3 (a statement)",
        dir,
        onrecord(&["log", "inc-7#s3"]),
    );
    time(
        "onrecord log inc-7#s3 --limit 1",
        dir,
        onrecord(&["log", "inc-7#s3", "--limit", "1"]),
    );
    time(
        "onrecord show inc-7#s3 (last changed)",
        dir,
        onrecord(&["show", "inc-7#s3"]),
    );
    time(
        "onrecord show inc-7#s98 (changed lately)",
        dir,
        onrecord(&["show", "inc-7#s98"]),
    );
}
