//! The cache never changes an answer: every reading command prints the same with the cache as
//! with `--no-cache`, whatever happened to the files or to the snapshot between runs.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

mod common;
use common::Run;

/// The binary on `corpus` with its cache in `cache`, or with `--no-cache`.
fn run(corpus: &Path, cache: &Path, args: &[&str], no_cache: bool) -> Run {
    let mut cmd = common::process();
    cmd.arg("--dir")
        .arg(corpus)
        .args(args)
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", cache);
    if no_cache {
        cmd.arg("--no-cache");
    }
    cmd.output().unwrap().into()
}

/// Every reading command, in the forms a script uses.
fn commands(corpus: &Path) -> Vec<Vec<String>> {
    let first = fs::read_dir(corpus.join("2015"))
        .ok()
        .and_then(|mut d| d.next())
        .and_then(|e| e.ok())
        .and_then(|e| e.path().file_stem()?.to_str().map(str::to_string))
        .unwrap_or_else(|| "acme-widgets-referral-0".into());
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        s(&["check", "--format", "json"]),
        s(&["check"]),
        s(&["list", "--format", "json"]),
        s(&[
            "search",
            "données clients",
            "--format",
            "json",
            "--limit",
            "50",
        ]),
        s(&["search", "clinets", "--format", "jsonl"]),
        // The searches a warm cache ranks from the snapshot: words, a prefix, typos (which
        // read every statement), a quoted phrase, no hit, an empty query, limits that stop
        // early or never, each output format.
        s(&["search", "données", "--limit", "5"]),
        s(&["search", "donn", "--format", "csv", "--limit", "1000"]),
        s(&[
            "search",
            "donées clinets",
            "--format",
            "json",
            "--limit",
            "200",
        ]),
        s(&["search", "\"ne vendons\"", "--format", "jsonl"]),
        s(&["search", "zzzqqq"]),
        s(&["search", "\"\"", "--limit", "7"]),
        s(&["search", "never sell", "--limit", "0"]),
        s(&[
            "search",
            "press office",
            "--format",
            "json",
            "--limit",
            "3000",
        ]),
        // Filters, which load the corpus.
        s(&["search", "clients", "--company", "acme", "--format", "json"]),
        s(&[
            "search",
            "company:acme since:2020 données",
            "--format",
            "jsonl",
        ]),
        s(&["search", "clients", "--tag", "privacy", "--limit", "50"]),
        s(&["show", &first, "--format", "json"]),
        s(&["show", &format!("{first}#s0"), "--format", "json"]),
        s(&["timeline", "Acme Widgets", "--format", "json"]),
        s(&["timeline", &format!("{first}#s0"), "--format", "json"]),
        s(&["diff", &format!("{first}#s0"), &format!("{first}#s1")]),
        s(&["suggest", "--format", "json", "--limit", "30"]),
        s(&["export", "--format", "jsonl"]),
        s(&["verify", "--format", "json"]),
        s(&["show", "acme-saved-copy", "--format", "json"]),
    ]
}

/// Runs every command with the cache, then without, and says where they differ.
fn compare(corpus: &Path, cache: &Path, what: &str) {
    for args in commands(corpus) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let cached = run(corpus, cache, &args, false);
        let plain = run(corpus, cache, &args, true);
        assert_eq!(
            cached.code, plain.code,
            "{what}: {args:?}: {}",
            cached.stderr
        );
        assert_eq!(cached.stdout, plain.stdout, "{what}: {args:?}");
        assert_eq!(cached.stderr, plain.stderr, "{what}: {args:?}");
    }
}

fn snapshots(cache: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(cache.join("onrecord"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

fn corpus_with_problems() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    onrecord::generate::generate(dir.path(), 300, 5).unwrap();
    fs::write(
        dir.path().join("broken.toml"),
        "title = \"x\"\ncompany = 3\n",
    )
    .unwrap();
    fs::write(dir.path().join("not-utf8.toml"), b"title = \"\xff\"\n").unwrap();
    // A saved copy, its hash and a credited outlet: what `verify` and citations read.
    let copy = "Acme Widgets told the wire: we never sell customer data.";
    fs::create_dir_all(dir.path().join("sources/acme-saved-copy")).unwrap();
    fs::write(dir.path().join("sources/acme-saved-copy/wire.txt"), copy).unwrap();
    let incident = format!(
        r#"title = "Acme Widgets saved copy"
company = "Acme Widgets"

[[sources]]
id = "wire"
outlet = "Agence Fictive"
snapshot = "sources/acme-saved-copy/wire.txt"
sha256 = "{}"

[[sources]]
id = "paper"
outlet = "Journal Fictif"

[[statements]]
id = "s0"
date = 2024-03-02
speaker = "Press office"
source = "wire"
via = "paper"
text = "we never sell customer data"

[[statements]]
id = "s1"
date = 2024-05-02
speaker = "Press office"
source = "wire"
text = "we never sold anything"
"#,
        onrecord::snapshot::sha256_hex(copy.as_bytes())
    );
    fs::write(dir.path().join("acme-saved-copy.toml"), incident).unwrap();
    dir
}

#[test]
fn every_change_between_runs_gives_the_answer_a_fresh_parse_gives() {
    let corpus = corpus_with_problems();
    let cache = tempfile::tempdir().unwrap();
    let dir = corpus.path();
    compare(dir, cache.path(), "cold");
    assert_eq!(
        snapshots(cache.path()).len(),
        1,
        "one snapshot, no leftovers"
    );
    compare(dir, cache.path(), "warm");

    let files = onrecord::store::incident_files(dir).unwrap();
    let target = files
        .iter()
        .find(|p| p.starts_with(dir.join("2015")))
        .unwrap()
        .clone();
    let text = fs::read_to_string(&target).unwrap();

    // Edited in place, same size, right after a run: only the bytes tell.
    let same_size = text
        .replacen("speaker = \"", "speaker = \"X", 1)
        .replacen("\n\n", "\n", 1);
    assert_eq!(same_size.len(), text.len());
    fs::OpenOptions::new()
        .write(true)
        .open(&target)
        .and_then(|mut f| std::io::Write::write_all(&mut f, same_size.as_bytes()))
        .unwrap();
    compare(dir, cache.path(), "edited in place");

    // Edited to break it, then fixed.
    fs::write(&target, text.replace("company = ", "company = 3 #")).unwrap();
    compare(dir, cache.path(), "broken");
    fs::write(&target, &text).unwrap();
    compare(dir, cache.path(), "fixed");

    // Touched: new times, same bytes.
    let f = fs::File::options().append(true).open(&target).unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60))
        .unwrap();
    drop(f);
    compare(dir, cache.path(), "touched");

    // Added, renamed (which changes the incident's id and what refers to it), deleted.
    fs::write(
        dir.join("acme-new.toml"),
        text.replace("title = ", "title = \"New\" #"),
    )
    .unwrap();
    compare(dir, cache.path(), "added");
    let renamed = dir.join("2016").join("renamed-incident.toml");
    fs::rename(&target, &renamed).unwrap();
    compare(dir, cache.path(), "renamed");
    fs::remove_file(dir.join("broken.toml")).unwrap();
    fs::remove_file(&renamed).unwrap();
    compare(dir, cache.path(), "deleted");

    // A duplicate id across two files: a cross-file rule, checked again every run.
    fs::write(dir.join("2016").join("acme-new.toml"), &text).unwrap();
    compare(dir, cache.path(), "duplicate");
    assert_eq!(snapshots(cache.path()).len(), 1);
}

#[test]
fn two_processes_warming_the_same_cache_both_answer_right() {
    let corpus = tempfile::tempdir().unwrap();
    onrecord::generate::generate(corpus.path(), 2000, 9).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let args = ["search", "données", "--format", "json", "--limit", "100"];
    let expected = run(corpus.path(), cache.path(), &args, true).stdout;
    for round in 0..3 {
        let _ = fs::remove_dir_all(cache.path().join("onrecord"));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (c, k) = (corpus.path().to_path_buf(), cache.path().to_path_buf());
                std::thread::spawn(move || run(&c, &k, &args, false))
            })
            .collect();
        for h in handles {
            let r = h.join().unwrap();
            assert_eq!(r.code, 0, "round {round}: {}", r.stderr);
            assert_eq!(r.stdout, expected, "round {round}");
        }
        let left = snapshots(cache.path());
        assert_eq!(left.len(), 1, "round {round}: {left:?}");
        assert_eq!(
            run(corpus.path(), cache.path(), &args, false).stdout,
            expected
        );
    }
}

#[test]
fn a_cache_folder_that_cannot_be_written_is_no_cache() {
    let corpus = corpus_with_problems();
    let blocker = tempfile::NamedTempFile::new().unwrap();
    // XDG_CACHE_HOME is a file: no folder can be made under it.
    compare(corpus.path(), blocker.path(), "unwritable");
    // A cache folder inside the corpus is never used: the corpus is in git.
    let inside = corpus.path().join(".cache");
    compare(corpus.path(), &inside, "inside");
    assert!(!inside.exists());
    // ONRECORD_NO_CACHE=1 writes nothing.
    let cache = tempfile::tempdir().unwrap();
    let out = common::process()
        .arg("--dir")
        .arg(corpus.path())
        .arg("list")
        .env("ONRECORD_NO_CACHE", "1")
        .env("XDG_CACHE_HOME", cache.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 files did not load"));
    assert!(snapshots(cache.path()).is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever a byte of the snapshot becomes, or wherever it is cut, the answers stay those
    /// of a fresh parse, and the next run leaves a whole snapshot behind.
    #[test]
    fn a_damaged_snapshot_never_changes_an_answer(
        at in 0.0f64..1.0,
        byte in any::<u8>(),
        cut in any::<bool>(),
    ) {
        let corpus = corpus_with_problems();
        let cache = tempfile::tempdir().unwrap();
        let args = ["check", "--format", "json"];
        let expected = run(corpus.path(), cache.path(), &args, true);
        run(corpus.path(), cache.path(), &args, false);
        let snapshot = snapshots(cache.path()).pop().unwrap();
        let mut bytes = fs::read(&snapshot).unwrap();
        let at = ((bytes.len() as f64 * at) as usize).min(bytes.len() - 1);
        if cut {
            bytes.truncate(at);
        } else {
            bytes[at] = byte;
        }
        fs::write(&snapshot, &bytes).unwrap();
        for args in [&args[..], &["list", "--format", "json"], &["search", "clients", "--format", "json"]] {
            let damaged = run(corpus.path(), cache.path(), args, false);
            let plain = run(corpus.path(), cache.path(), args, true);
            prop_assert_eq!(damaged.code, plain.code);
            prop_assert_eq!(&damaged.stdout, &plain.stdout);
            prop_assert_eq!(&damaged.stderr, &plain.stderr);
        }
        let again = run(corpus.path(), cache.path(), &args, false);
        prop_assert_eq!(again.stdout, expected.stdout);
    }
}
