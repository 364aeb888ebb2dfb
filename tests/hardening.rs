//! What an attacker or an accident can do with a corpus folder, an `--out` path or a
//! concurrent editor: each test is named after the finding it keeps fixed. Every command
//! must end (no hang), say which file is at fault, and lose nothing.

#![cfg(unix)]

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::Command as StdCommand;
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

mod common;
use common::copy_dir;

const ACME: &str = "acme-recall.toml";

fn fixture() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("statements");
    copy_dir(Path::new("tests/fixtures/write/odd"), &corpus);
    dir
}

fn onrecord(dir: &Path) -> Command {
    let mut cmd = common::onrecord();
    cmd.arg("--dir")
        .arg(dir)
        .env("ONRECORD_USER", "A. Tester")
        // A hang is a failure, not a stuck test run.
        .timeout(Duration::from_secs(60));
    cmd
}

fn mkfifo(path: &Path) {
    let status = StdCommand::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

fn check_output(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = onrecord(dir).args(extra).arg("check").output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// ---- The walk and the loader -------------------------------------------------------------

#[test]
fn a_fifo_named_toml_is_skipped_and_reported() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    mkfifo(&corpus.join("x.toml"));
    let (code, stdout, stderr) = check_output(&corpus, &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("x.toml:1:1: error: a FIFO, not a regular file"),
        "{stdout}"
    );
    assert!(stderr.contains("2 loaded, 1 failed"), "{stderr}");
    // Every other command still runs, and says a file did not load.
    onrecord(&corpus)
        .args(["list"])
        .assert()
        .success()
        .stderr(predicates::str::contains("1 file did not load"));
}

#[test]
fn a_link_to_dev_zero_is_skipped_and_reported() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    symlink("/dev/zero", corpus.join("zero.toml")).unwrap();
    let (code, stdout, _) = check_output(&corpus, &[]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("zero.toml:1:1: error: a device, not a regular file"),
        "{stdout}"
    );
}

#[test]
fn a_link_to_nothing_is_reported() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    symlink("/nonexistent/gone.toml", corpus.join("gone.toml")).unwrap();
    let (_, stdout, _) = check_output(&corpus, &[]);
    assert!(
        stdout.contains("gone.toml:1:1: error: a link to nothing"),
        "{stdout}"
    );
}

#[test]
fn a_link_to_an_incident_file_loads() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::rename(corpus.join(ACME), elsewhere.join(ACME)).unwrap();
    symlink(elsewhere.join(ACME), corpus.join(ACME)).unwrap();
    let (code, stdout, stderr) = check_output(&corpus, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn directory_link_loops_are_not_followed() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    symlink(".", corpus.join("again")).unwrap();
    symlink(".", corpus.join("and-again")).unwrap();
    symlink("/", corpus.join("root")).unwrap();
    let (code, stdout, stderr) = check_output(&corpus, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("again:1:1: warning: a link to a folder, not followed"));
    assert!(stderr.contains("checked 2 files: 2 loaded"), "{stderr}");
    onrecord(&corpus)
        .args(["tag", "acme-recall#safe-claim", "acme-recall#ceo-interview"])
        .args(["--verdict", "contradicts"])
        .assert()
        .success();
}

#[test]
fn follow_walks_linked_folders_once_and_ends_on_loops() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::rename(corpus.join("2024"), outside.join("2024")).unwrap();
    symlink(outside.join("2024"), corpus.join("linked")).unwrap();
    symlink(".", corpus.join("again")).unwrap();
    symlink("..", outside.join("2024").join("up")).unwrap();
    let (code, _, stderr) = check_output(&corpus, &[]);
    assert_eq!(code, 0);
    assert!(stderr.contains("checked 1 file: 1 loaded"), "{stderr}");
    let (code, stdout, stderr) = check_output(&corpus, &["--follow"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("checked 2 files: 2 loaded"), "{stderr}");
}

#[test]
fn a_file_over_the_size_limit_is_refused_with_a_diagnostic() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let mut big = fs::read_to_string(corpus.join(ACME)).unwrap();
    while big.len() < 2 * 1024 * 1024 {
        big.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    fs::write(corpus.join("big.toml"), big).unwrap();
    let (code, _, _) = check_output(&corpus, &[]);
    assert_eq!(code, 0, "2 MB is under the default limit");
    let (code, stdout, _) = check_output(&corpus, &["--max-file-size", "1"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "big.toml:1:1: error: the file is 3 MB, over the 1 MB limit for one incident file"
        ),
        "{stdout}"
    );
}

#[test]
fn non_utf8_names_are_reported() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.toml");
    fs::copy(corpus.join(ACME), corpus.join(name)).unwrap();
    let folder = std::ffi::OsStr::from_bytes(b"dossier-\xe9");
    fs::create_dir(corpus.join(folder)).unwrap();
    let (code, stdout, stderr) = check_output(&corpus, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout.matches("error: the name is not UTF-8").count(),
        2,
        "{stdout}"
    );
    assert!(stderr.contains("2 failed"), "{stderr}");
    // The name is shown, not written raw.
    assert!(stdout.contains("caf\u{FFFD}.toml"), "{stdout}");
}

#[test]
fn an_unreadable_sub_folder_is_reported() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let locked = corpus.join("2024");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read_dir(&locked).is_ok() {
        // Running as root: permissions do not stop reading.
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: permissions do not apply to this user");
        return;
    }
    let (code, stdout, _) = check_output(&corpus, &[]);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 1);
    assert!(
        stdout.contains("2024:1:1: error: cannot read the folder"),
        "{stdout}"
    );
}

// ---- export --out ----------------------------------------------------------------------------

fn export_to(corpus: &Path, out: &Path) -> assert_cmd::assert::Assert {
    onrecord(corpus)
        .args(["export", "--format", "json", "--out"])
        .arg(out)
        .assert()
}

#[test]
fn export_out_refuses_a_fifo() {
    let tmp = fixture();
    let fifo = tmp.path().join("out.json");
    mkfifo(&fifo);
    export_to(&tmp.path().join("statements"), &fifo)
        .code(2)
        .stderr(predicates::str::contains(
            "out.json: will not write the export there: it is not a regular file",
        ));
    assert!(
        fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo_like()
    );
}

trait FifoLike {
    fn is_fifo_like(&self) -> bool;
}

impl FifoLike for fs::FileType {
    fn is_fifo_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt;
        self.is_fifo()
    }
}

#[test]
fn export_out_refuses_a_device_and_a_link_to_one() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    export_to(&corpus, Path::new("/dev/null"))
        .code(2)
        .stderr(predicates::str::contains("it is not a regular file"));
    let link = tmp.path().join("null.json");
    symlink("/dev/null", &link).unwrap();
    export_to(&corpus, &link)
        .code(2)
        .stderr(predicates::str::contains("it is not a regular file"));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn export_out_refuses_a_folder() {
    let tmp = fixture();
    export_to(&tmp.path().join("statements"), tmp.path())
        .code(2)
        .stderr(predicates::str::contains("it is a folder"));
}

#[test]
fn export_out_refuses_a_read_only_file() {
    let tmp = fixture();
    let out = tmp.path().join("kept.json");
    fs::write(&out, "keep me").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o444)).unwrap();
    export_to(&tmp.path().join("statements"), &out)
        .code(2)
        .stderr(predicates::str::contains("it is read-only"));
    assert_eq!(fs::read_to_string(&out).unwrap(), "keep me");
}

#[test]
fn export_out_refuses_a_path_inside_the_corpus() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let before = fs::read(corpus.join(ACME)).unwrap();
    for out in [corpus.join(ACME), corpus.join("2024/new.json")] {
        export_to(&corpus, &out)
            .code(2)
            .stderr(predicates::str::contains("is inside the corpus folder"));
    }
    // Through a link from outside, too.
    let link = tmp.path().join("link.json");
    symlink(corpus.join(ACME), &link).unwrap();
    export_to(&corpus, &link)
        .code(2)
        .stderr(predicates::str::contains("is inside the corpus folder"));
    assert_eq!(fs::read(corpus.join(ACME)).unwrap(), before);
    assert!(!corpus.join("2024/new.json").exists());
}

#[test]
fn export_out_dash_is_standard_output() {
    let tmp = fixture();
    let out = onrecord(&tmp.path().join("statements"))
        .current_dir(tmp.path())
        .args(["export", "--format", "json", "--out", "-"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice::<serde_json::Value>(&out).unwrap();
    assert!(!tmp.path().join("-").exists());
}

#[test]
fn export_out_through_a_link_replaces_the_file_it_names() {
    let tmp = fixture();
    let target = tmp.path().join("real.json");
    fs::write(&target, "old").unwrap();
    let link = tmp.path().join("link.json");
    symlink(&target, &link).unwrap();
    export_to(&tmp.path().join("statements"), &link).success();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written = fs::read(&target).unwrap();
    serde_json::from_slice::<serde_json::Value>(&written).unwrap();
}

// ---- The write path --------------------------------------------------------------------------

#[test]
fn tag_through_a_link_out_of_the_corpus_is_refused() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::rename(corpus.join(ACME), outside.join(ACME)).unwrap();
    symlink(outside.join(ACME), corpus.join(ACME)).unwrap();
    // Someone else's temporary-looking file beside the target stays.
    let theirs = outside.join(".acme-recall.toml.1-1.tmp");
    fs::write(&theirs, "not ours").unwrap();
    let before = fs::read(outside.join(ACME)).unwrap();
    onrecord(&corpus)
        .args(["tag", "acme-recall#safe-claim", "acme-recall#ceo-interview"])
        .args(["--verdict", "contradicts"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("outside the corpus folder"));
    assert_eq!(fs::read(outside.join(ACME)).unwrap(), before);
    assert_eq!(fs::read_to_string(&theirs).unwrap(), "not ours");
}

#[test]
fn tag_through_a_link_inside_the_corpus_writes_the_file_it_names() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let kept = corpus.join("kept");
    fs::create_dir(&kept).unwrap();
    fs::rename(corpus.join(ACME), kept.join("acme-recall.toml.orig")).unwrap();
    symlink(kept.join("acme-recall.toml.orig"), corpus.join(ACME)).unwrap();
    onrecord(&corpus)
        .args(["tag", "acme-recall#safe-claim", "acme-recall#ceo-interview"])
        .args(["--verdict", "contradicts"])
        .assert()
        .success();
    assert!(
        fs::symlink_metadata(corpus.join(ACME))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = fs::read_to_string(kept.join("acme-recall.toml.orig")).unwrap();
    assert!(text.contains("verdict = \"contradicts\""), "{text}");
}

/// An editor saving the file while `add` writes it: neither change may be lost. The editor
/// either saves before `add` reads (both changes are in the file), while `add` works (`add`
/// notices and makes its change again on the editor's text), or after `add` renamed (the
/// editor's save replaces the file, as any later save would): in every case the editor's
/// words are in the file.
#[test]
fn an_editor_saving_during_add_is_not_overwritten() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let path = corpus.join(ACME);
    // A large file makes the window between read and rename wide.
    let mut base = fs::read_to_string(&path).unwrap();
    base.push('\n');
    while base.len() < 6 * 1024 * 1024 {
        base.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    let mut lost = 0;
    for trial in 0..4 {
        fs::write(&path, &base).unwrap();
        let marker = format!("# saved by the editor, trial {trial}\n");
        let editor_path = path.clone();
        let edited = format!("{base}{marker}");
        let mut child = onrecord(&corpus);
        child
            .args([
                "add",
                "acme-recall",
                "--speaker",
                "Acme",
                "--date",
                "2024-01-02",
            ])
            .args(["--text", "We stand by it."])
            .timeout(Duration::from_secs(120));
        let folder = corpus.clone();
        let editor = std::thread::spawn(move || {
            // Save while `add` is writing its new version beside the file (its temporary
            // file exists), in the window the old code lost; every other trial saves a
            // little later.
            let start = std::time::Instant::now();
            while start.elapsed() < Duration::from_secs(30) {
                let writing = fs::read_dir(&folder).unwrap().any(|e| {
                    let name = e.unwrap().file_name();
                    name.to_string_lossy().starts_with(".acme-recall.toml.")
                });
                if writing {
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep(Duration::from_millis(5 * (trial % 2)));
            // Saving in place, as many editors do.
            fs::write(&editor_path, edited).unwrap();
        });
        let out = child.output().unwrap();
        editor.join().unwrap();
        let after = fs::read_to_string(&path).unwrap();
        if !after.contains(&marker) {
            lost += 1;
        }
        let code = out.status.code();
        assert!(
            code == Some(0) || code == Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(lost, 0, "the editor's save was lost {lost} times out of 4");
}

#[test]
fn add_refuses_the_year_0_and_leap_seconds() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let before = fs::read(corpus.join(ACME)).unwrap();
    for date in ["0000-01-01", "0000", "0000-05", "2016-12-31T23:59:60Z"] {
        onrecord(&corpus)
            .args(["add", "acme-recall", "--speaker", "Acme", "--text", "Said."])
            .args(["--date", date])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("--date"));
    }
    assert_eq!(fs::read(corpus.join(ACME)).unwrap(), before);
}

/// Every file the write path produces reads in Python's `tomllib` as it reads in onrecord:
/// hostile text, a multi-line text ending in a backslash, CRLF files, verdicts.
#[test]
fn every_file_written_reads_in_python_tomllib() {
    let has_tomllib = StdCommand::new("python3")
        .args(["-c", "import tomllib"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_tomllib {
        eprintln!("skipped: python3 with tomllib (3.11 or later) is not installed");
        return;
    }
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let texts = [
        "ends in a backslash\\",
        "two lines\nthe second ends in a backslash\\",
        "quotes \"\"\" and ''' and \\\" \u{7f} \u{1b}[2J \u{202e}",
        "line\r\nwith CRLF\r\n",
    ];
    onrecord(&corpus)
        .args(["new", "crlf-case", "--company", "Globex", "--title", "CRLF"])
        .assert()
        .success();
    let crlf = corpus.join("crlf-case.toml");
    let text = fs::read_to_string(&crlf).unwrap().replace('\n', "\r\n");
    fs::write(&crlf, text).unwrap();
    for (i, text) in texts.iter().enumerate() {
        for incident in ["acme-recall", "crlf-case"] {
            onrecord(&corpus)
                .args([
                    "add",
                    incident,
                    "--speaker",
                    "Acme",
                    "--url",
                    "https://x.example",
                ])
                .args(["--date", &format!("2024-01-0{}", i + 1), "--text", text])
                .args(["--note", text])
                .assert()
                .success();
        }
    }
    onrecord(&corpus)
        .args(["tag", "acme-recall#safe-claim", "acme-recall#ceo-interview"])
        .args(["--verdict", "contradicts", "--note", texts[1]])
        .assert()
        .success();
    let script = r#"
import sys, tomllib, json
out = {}
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    out[path] = [s["text"] for s in doc.get("statements", [])]
print(json.dumps(out))
"#;
    let files = [corpus.join(ACME), crlf];
    let out = StdCommand::new("python3")
        .args(["-c", script])
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let loaded = onrecord::store::load(&corpus).unwrap();
    assert!(loaded.failed.is_empty(), "{:?}", loaded.diagnostics);
    for path in &files {
        let in_python = &read[path.to_str().unwrap()];
        let id = path.file_stem().unwrap().to_str().unwrap();
        let ours: Vec<&str> = loaded
            .incident(id)
            .unwrap()
            .statements
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(in_python, &serde_json::json!(ours), "{}", path.display());
    }
}

#[test]
fn crlf_multi_line_strings_read_as_on_linux() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let lf = onrecord::store::load(&corpus).unwrap();
    let text = fs::read_to_string(corpus.join(ACME)).unwrap();
    assert!(text.contains("\"\"\"\nWe are recalling"));
    fs::write(corpus.join(ACME), text.replace('\n', "\r\n")).unwrap();
    let crlf = onrecord::store::load(&corpus).unwrap();
    assert!(crlf.failed.is_empty());
    let texts = |c: &onrecord::Corpus| -> Vec<String> {
        c.statements().map(|(_, s)| s.text.clone()).collect()
    };
    assert_eq!(texts(&crlf), texts(&lf));
    assert!(texts(&crlf).iter().all(|t| !t.contains('\r')));
}

#[test]
fn untag_on_a_file_with_errors_says_it_has_errors() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let path = corpus.join(ACME);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}\nbroken = \n")).unwrap();
    onrecord(&corpus)
        .args([
            "untag",
            "acme-recall#safe-claim",
            "acme-recall#recall-notice",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "incident `acme-recall` has errors and did not load",
        ));
}

#[test]
fn a_too_deep_dotted_key_is_reported_at_its_own_line() {
    let tmp = fixture();
    let corpus = tmp.path().join("statements");
    let path = corpus.join(ACME);
    let text = fs::read_to_string(&path).unwrap();
    let lines = text.lines().count();
    fs::write(&path, format!("{text}{}y = 1\n", "x.".repeat(100))).unwrap();
    let (_, stdout, _) = check_output(&corpus, &[]);
    assert!(
        stdout.contains(&format!(
            "acme-recall.toml:{}:1: error: not valid TOML: a key of 80 or more dotted parts",
            lines + 1
        )),
        "{stdout}"
    );
}

// ---- Keep it found ---------------------------------------------------------------------------

/// No character that acts on a terminal, raw: only line feeds, and carriage returns before
/// them (CSV's CRLF).
fn assert_inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let ok = match c {
            '\n' => true,
            '\r' => chars.peek() == Some(&'\n'),
            c => !onrecord::text::is_unsafe(c),
        };
        assert!(ok, "{what}: raw {c:?} in {text}");
    }
}

/// The hostile corpus (escapes, bidi overrides, formulas in every field, a file whose name
/// holds an escape) through every command in every format: nothing raw reaches stdout or
/// stderr, and nothing panics.
#[test]
fn hostile_corpus_through_every_command_prints_nothing_raw() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("statements");
    copy_dir(Path::new("tests/fixtures/export/hostile"), &corpus);
    fs::write(
        corpus.join("\u{1b}[2Jbad\u{7}.toml"),
        "title = \"\u{1b}]0;x\"\n",
    )
    .unwrap();
    let a = "umbrella-formulas#formula-minus";
    let b = "umbrella-formulas#escapes";
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for f in ["text", "json", "jsonl", "csv"] {
        runs.push(vec!["list", "--format", f]);
        runs.push(vec!["search", "données", "--format", f]);
        runs.push(vec!["search", "\u{1b}[2J", "--format", f]);
    }
    for f in ["text", "json"] {
        runs.push(vec!["show", "umbrella-formulas", "--format", f]);
        runs.push(vec!["show", b, "--format", f]);
        runs.push(vec!["timeline", b, "--format", f]);
        runs.push(vec!["timeline", "Umbrella\u{202E} sgnidloH", "--format", f]);
        runs.push(vec!["diff", a, b, "--format", f]);
        runs.push(vec!["check", "--format", f]);
    }
    for f in ["text", "json", "jsonl"] {
        runs.push(vec!["suggest", "--format", f]);
    }
    for f in ["json", "jsonl", "csv", "markdown"] {
        runs.push(vec!["export", "--format", f]);
    }
    runs.push(vec![
        "export",
        "--format",
        "claimreview",
        "--publisher",
        "\u{1b}[2JX",
    ]);
    // Hostile arguments, echoed in errors.
    runs.push(vec!["list", "--since", "\u{1b}]0;title\u{7}"]);
    runs.push(vec!["list", "--kind", "\u{9b}2J"]);
    runs.push(vec!["show", "\u{1b}[2J#x"]);
    runs.push(vec!["tag", a, "\u{1b}[2J#x", "--verdict", "contradicts"]);
    for args in &runs {
        let out = onrecord(&corpus).args(args).output().unwrap();
        assert_ne!(out.status.code(), Some(101), "{args:?} panicked");
        assert_inert(&format!("{args:?} stdout"), &out.stdout);
        assert_inert(&format!("{args:?} stderr"), &out.stderr);
    }
    let out = common::onrecord()
        .env("ONRECORD_DIR", "/nonexistent/\u{1b}[2J\u{7}")
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_inert("ONRECORD_DIR", &out.stderr);
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn fixture_texts() -> Vec<String> {
        let mut texts = Vec::new();
        for dir in ["tests/fixtures/write/odd", "tests/fixtures/export/hostile"] {
            let mut pending = vec![Path::new(dir).to_path_buf()];
            while let Some(d) = pending.pop() {
                for e in fs::read_dir(d).unwrap() {
                    let p = e.unwrap().path();
                    if p.is_dir() {
                        pending.push(p);
                    } else {
                        texts.push(fs::read_to_string(p).unwrap());
                    }
                }
            }
        }
        texts
    }

    /// One edit of a fixture's bytes: replace, insert or delete a short run.
    #[derive(Debug, Clone)]
    enum Edit {
        Replace(usize, Vec<u8>),
        Insert(usize, Vec<u8>),
        Delete(usize, usize),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        let bytes = prop::collection::vec(
            prop_oneof![
                prop::sample::select(b"\"'[]{}=.,#\n\r\\ -+:T0123456789abcdefu\x1b\x00".to_vec()),
                any::<u8>(),
            ],
            0..6,
        );
        prop_oneof![
            (any::<usize>(), bytes.clone()).prop_map(|(i, b)| Edit::Replace(i, b)),
            (any::<usize>(), bytes).prop_map(|(i, b)| Edit::Insert(i, b)),
            (any::<usize>(), 0usize..40).prop_map(|(i, n)| Edit::Delete(i, n)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// A mutated fixture never panics the parser; what it reports is errors with a
        /// position inside the file, or an incident.
        #[test]
        fn mutated_fixtures_parse_or_fail_cleanly(
            which in any::<prop::sample::Index>(),
            edits in prop::collection::vec(edit(), 1..5),
        ) {
            let texts = fixture_texts();
            let mut bytes = which.get(&texts).clone().into_bytes();
            for e in edits {
                let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
                match e {
                    Edit::Replace(i, b) => {
                        let i = at(i, bytes.len());
                        let end = (i + b.len()).min(bytes.len());
                        bytes.splice(i..end, b);
                    }
                    Edit::Insert(i, b) => {
                        let i = at(i, bytes.len());
                        bytes.splice(i..i, b);
                    }
                    Edit::Delete(i, n) => {
                        let i = at(i, bytes.len());
                        let end = (i + n).min(bytes.len());
                        bytes.drain(i..end);
                    }
                }
            }
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("fuzzed.toml");
            fs::write(&path, &bytes).unwrap();
            let (parsed, diagnostics) = onrecord::store::load_file(&path);
            let lines = bytes.split(|b| *b == b'\n').count() as u32;
            for d in &diagnostics {
                prop_assert!(d.line >= 1 && d.line <= lines.max(1), "{d}");
            }
            if parsed.is_none() {
                prop_assert!(diagnostics.iter().any(|d| d.is_error()));
            }
            // The whole corpus path (cross-file rules) takes it too.
            let corpus = onrecord::store::load(dir.path()).unwrap();
            prop_assert_eq!(corpus.files, 1);
        }
    }
}
