//! `tag`, `untag`, `new` and `add`: every byte the user wrote stays, bad input changes
//! nothing, concurrent writers all keep their change, and a killed writer never leaves a
//! broken file.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;
use onrecord::model::{StatementRef, Verdict};
use onrecord::store;
use onrecord::write::{self, NewStatement, TagRequest, WriteError};
use proptest::prelude::*;
use tempfile::TempDir;

const ACME: &str = "acme-recall.toml";
const GLOBEX: &str = "2024/globex-pledge.toml";

fn fixture() -> TempDir {
    common::copy_of("tests/fixtures/write/odd")
}

fn onrecord(dir: &Path) -> Command {
    let mut cmd = common::onrecord();
    cmd.arg("--dir").arg(dir).env("ONRECORD_USER", "A. Tester");
    cmd
}

/// Every file's bytes, by path, to show that nothing changed.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in fs::read_dir(d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The corpus loads with no file failed and no error: what `onrecord check` requires.
fn assert_checks(dir: &Path) -> store::Corpus {
    let corpus = store::load(dir).unwrap();
    let errors: Vec<String> = corpus.errors().map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(corpus.failed.is_empty(), "{:?}", corpus.failed);
    corpus
}

fn r(s: &str) -> StatementRef {
    StatementRef::parse(s, None).unwrap()
}

/// Every line of `part`, in order, is a line of `whole`.
fn lines_in_order(part: &str, whole: &str) -> bool {
    let mut whole = whole.lines();
    part.lines().all(|l| whole.any(|w| w == l))
}

#[test]
fn tag_appends_and_keeps_every_byte() {
    let dir = fixture();
    let before = fs::read_to_string(dir.path().join(GLOBEX)).unwrap();
    onrecord(dir.path())
        .args([
            "tag",
            "globex-pledge#new-order",
            "acme-recall#safe-claim",
            "--verdict",
            "walks-back",
            "--claim",
            "Acme widgets are \"safe\"",
            "--note",
            "line one\nline two \u{202E}",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "acme-recall#safe-claim → globex-pledge#new-order: walks-back",
        ));
    let after = fs::read_to_string(dir.path().join(GLOBEX)).unwrap();
    assert!(after.starts_with(&before));
    let added = &after[before.len()..];
    assert!(
        added.contains("between = [\"acme-recall#safe-claim\", \"new-order\"]"),
        "{added}"
    );
    let corpus = assert_checks(dir.path());
    let inc = corpus.incident("globex-pledge").unwrap();
    let c = &inc.contradictions[0];
    assert_eq!(
        c.between,
        [r("acme-recall#safe-claim"), r("globex-pledge#new-order")]
    );
    assert_eq!(c.verdict, Verdict::WalksBack);
    assert_eq!(c.claim.as_deref(), Some("Acme widgets are \"safe\""));
    assert_eq!(c.note.as_deref(), Some("line one\nline two \u{202E}"));
    assert_eq!(c.tagged_by.as_deref(), Some("A. Tester"));
    let at = c.tagged_at.unwrap();
    assert_eq!(at.offset().local_minus_utc(), 0);
    assert_eq!(at.timestamp_subsec_nanos(), 0);
    // The override is written as an escape, visible to anyone reviewing the file.
    assert!(!after.contains('\u{202E}') && after.contains("\\u202E"));
}

#[test]
fn tag_then_untag_gives_back_the_original_bytes() {
    let dir = fixture();
    let before = snapshot(dir.path());
    // Same file, equal precision dates: the second given is the later one.
    for (a, b) in [
        ("acme-recall#ceo-interview", "acme-recall#recall-notice"),
        ("globex-pledge#pledge", "globex-pledge#new-order"),
        ("acme-recall#ceo-interview", "globex-pledge#pledge"),
    ] {
        onrecord(dir.path())
            .args(["tag", a, b, "--verdict", "consistent", "--note", "n"])
            .assert()
            .success();
        assert_checks(dir.path());
        assert_ne!(snapshot(dir.path()), before);
        onrecord(dir.path())
            .args(["untag", b, a])
            .assert()
            .success();
        assert_eq!(snapshot(dir.path()), before, "{a} {b}");
    }
}

#[test]
fn the_verdict_goes_in_the_later_statements_file_ordered_earlier_first() {
    let dir = fixture();
    let before = fs::read_to_string(dir.path().join(ACME)).unwrap();
    let corpus = store::load(dir.path()).unwrap();
    let req = TagRequest {
        a: r("acme-recall#recall-notice"),
        b: r("acme-recall#safe-claim"),
        verdict: Verdict::Unrelated,
        claim: None,
        note: None,
        by: "B".into(),
        replace: true,
        reviewed: None,
    };
    // The pair already has a verdict (given the other way round): --replace changes it there.
    let out = write::tag(&corpus, &req, None).unwrap();
    assert!(out.path.ends_with(ACME));
    let corpus = assert_checks(dir.path());
    let inc = corpus.incident("acme-recall").unwrap();
    assert_eq!(inc.contradictions.len(), 1);
    let c = &inc.contradictions[0];
    assert_eq!(c.verdict, Verdict::Unrelated);
    assert_eq!(
        c.between,
        [r("acme-recall#safe-claim"), r("acme-recall#recall-notice")]
    );
    // Replacing a verdict keeps the claim and note the command line did not give.
    assert_eq!(c.claim.as_deref(), Some("Acme widgets are safe"));
    assert_eq!(
        c.note.as_deref(),
        Some("Three weeks later every widget was recalled.")
    );
    let text = fs::read_to_string(dir.path().join(ACME)).unwrap();
    assert!(text.contains("# Verdicts, kept by hand until the tool writes them.\n[[contradictions]]\nid = \"safe-claim-vs-recall-notice\"\nbetween = [\"safe-claim\", \"recall-notice\"]   # earlier first\nverdict = \"unrelated\"\nclaim = \"Acme widgets are safe\"\n"), "{text}");
    assert!(text.ends_with("# end of file: nothing below\n"));
    let header = before.find("[[contradictions]]").unwrap();
    assert_eq!(text[..header], before[..header]);

    // A date-time later than a month-only date in the other file: the later file holds it.
    let corpus = store::load(dir.path()).unwrap();
    let req = TagRequest {
        a: r("globex-pledge#new-order"),
        b: r("acme-recall#recall-notice"),
        verdict: Verdict::Contradicts,
        claim: None,
        note: None,
        by: "B".into(),
        replace: false,
        reviewed: None,
    };
    let target = write::tag_target(&corpus, &req.a, &req.b).unwrap();
    assert_eq!(target.id, "globex-pledge");
    write::tag(&corpus, &req, None).unwrap();
    let corpus = assert_checks(dir.path());
    let c = &corpus.incident("globex-pledge").unwrap().contradictions[0];
    assert_eq!(
        c.between,
        [r("acme-recall#recall-notice"), r("globex-pledge#new-order")]
    );
}

#[test]
fn untag_keeps_every_other_line_and_the_comments_above() {
    let dir = fixture();
    let before = fs::read_to_string(dir.path().join(ACME)).unwrap();
    onrecord(dir.path())
        .args([
            "untag",
            "acme-recall#safe-claim",
            "acme-recall#recall-notice",
        ])
        .assert()
        .success();
    let after = fs::read_to_string(dir.path().join(ACME)).unwrap();
    assert!(lines_in_order(&after, &before));
    let removed: Vec<&str> = before.lines().filter(|l| !after.contains(l)).collect();
    assert_eq!(
        removed,
        [
            "[[contradictions]]",
            "between = [\"safe-claim\", \"recall-notice\"]   # earlier first",
            "verdict = \"contradicts\"",
            "claim = \"Acme widgets are safe\"",
            "note = \"Three weeks later every widget was recalled.\"",
        ]
    );
    assert!(after.contains("# Verdicts, kept by hand until the tool writes them."));
    assert!(after.contains("# end of file: nothing below"));
    let corpus = assert_checks(dir.path());
    assert_eq!(corpus.contradictions().count(), 0);
    onrecord(dir.path())
        .args([
            "untag",
            "acme-recall#safe-claim",
            "acme-recall#recall-notice",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("have no verdict to remove"));
}

#[test]
fn add_keeps_every_byte_and_reads_back() {
    let dir = fixture();
    let before = fs::read_to_string(dir.path().join(ACME)).unwrap();
    onrecord(dir.path())
        .args([
            "add",
            "acme-recall",
            "--speaker",
            "Acme spokesperson",
            "--date",
            "2024-05-02",
            "--text",
            "Nous n'avons \"jamais\" dit ça.\nJamais.",
            "--lang",
            "fr",
            "--translation",
            "We \"never\" said that.",
            "--kind",
            "quote",
            "--source",
            "widget-weekly",
            "--tag",
            "denial",
            "--note",
            "C:\\notes\\acme",
        ])
        .assert()
        .success()
        .stdout("acme-recall#acme-spokesperson-2024-05-02\n");
    let after = fs::read_to_string(dir.path().join(ACME)).unwrap();
    assert!(after.starts_with(&before));
    let corpus = assert_checks(dir.path());
    let (_, st) = corpus
        .statement(&r("acme-recall#acme-spokesperson-2024-05-02"))
        .unwrap();
    assert_eq!(st.text, "Nous n'avons \"jamais\" dit ça.\nJamais.");
    assert_eq!(st.translation.as_deref(), Some("We \"never\" said that."));
    assert_eq!(st.note.as_deref(), Some("C:\\notes\\acme"));
    assert_eq!(st.source.as_deref(), Some("widget-weekly"));
    assert_eq!(st.tags, ["denial"]);
    assert_eq!(st.date.iso(), "2024-05-02");

    // The same speaker and day again: a different id; text from standard input.
    onrecord(dir.path())
        .args([
            "add",
            "acme-recall",
            "--speaker",
            "Acme spokesperson",
            "--date",
            "2024-05-02",
            "--text",
            "-",
            "--url",
            "https://example.org/x",
        ])
        .write_stdin("from stdin\n")
        .assert()
        .success()
        .stdout("acme-recall#acme-spokesperson-2024-05-02-2\n");
    let corpus = assert_checks(dir.path());
    let (_, st) = corpus
        .statement(&r("acme-recall#acme-spokesperson-2024-05-02-2"))
        .unwrap();
    assert_eq!(
        st.text, "from stdin",
        "the newline that ends piped input is not kept"
    );
}

#[test]
fn bad_input_changes_nothing() {
    let dir = fixture();
    let before = snapshot(dir.path());
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "tag",
                "acme-recall#nope",
                "acme-recall#safe-claim",
                "--verdict",
                "contradicts",
            ],
            "acme-recall#nope",
        ),
        (
            &[
                "tag",
                "acme-recall#ceo-interview",
                "acme-recall#safe-claim",
                "--verdict",
                "lies",
            ],
            "`lies` is not one of",
        ),
        (
            &[
                "tag",
                "acme-recall#safe-claim",
                "acme-recall#safe-claim",
                "--verdict",
                "contradicts",
            ],
            "given twice",
        ),
        (
            &[
                "tag",
                "../x#y",
                "acme-recall#safe-claim",
                "--verdict",
                "contradicts",
            ],
            "`../x` is not a slug",
        ),
        (
            &[
                "tag",
                "nowhere#x",
                "acme-recall#safe-claim",
                "--verdict",
                "contradicts",
            ],
            "no incident `nowhere`",
        ),
        (
            &[
                "tag",
                "acme-recal#ceo-interview",
                "acme-recall#safe-claim",
                "--verdict",
                "contradicts",
            ],
            "did you mean `acme-recall`",
        ),
        (
            &[
                "add",
                "globex-pledg",
                "--speaker",
                "S",
                "--date",
                "2024-02-01",
                "--text",
                "t",
            ],
            "did you mean `globex-pledge`",
        ),
        (
            &[
                "tag",
                "acme-recall#recall-notice",
                "acme-recall#safe-claim",
                "--verdict",
                "consistent",
            ],
            "pass --replace",
        ),
        (
            &[
                "tag",
                "acme-recall#ceo-interview",
                "acme-recall#safe-claim",
                "--verdict",
                "consistent",
                "--by",
                " ",
            ],
            "say who decides",
        ),
        (
            &[
                "untag",
                "acme-recall#ceo-interview",
                "acme-recall#safe-claim",
            ],
            "no verdict",
        ),
        (
            &[
                "add",
                "acme-recall",
                "--speaker",
                "S",
                "--date",
                "2024-02-30",
                "--text",
                "t",
            ],
            "--date: \"2024-02-30\" is not a date",
        ),
        (
            &[
                "add",
                "acme-recall",
                "--speaker",
                "S",
                "--date",
                "2024-02-01",
                "--text",
                "t",
                "--source",
                "widget-wekly",
            ],
            "widget-weekly",
        ),
        (
            &[
                "add",
                "acme-recall",
                "--speaker",
                "S",
                "--date",
                "2024-02-01",
                "--text",
                "t",
                "--id",
                "safe-claim",
            ],
            "--id: `safe-claim` is already a statement",
        ),
        (
            &[
                "add",
                "acme-recall",
                "--speaker",
                "S",
                "--date",
                "2024-02-01",
                "--text",
                "t",
                "--kind",
                "quot",
            ],
            "did you mean `quote`",
        ),
        (
            &[
                "add",
                "acme-recall",
                "--speaker",
                "S",
                "--date",
                "2024-02-01",
                "--text",
                "t",
                "--translation",
                "x",
            ],
            "--lang: a translation needs",
        ),
        (
            &[
                "add",
                "acme-recall",
                "--speaker",
                " ",
                "--date",
                "2024-02-01",
                "--text",
                " \n",
            ],
            "--text: the statement's text is missing",
        ),
        (
            &[
                "add",
                "../acme-recall",
                "--speaker",
                "S",
                "--date",
                "2024-02-01",
                "--text",
                "t",
            ],
            "not an incident id",
        ),
        (
            &[
                "new",
                "acme-recall",
                "--company",
                "Acme",
                "--title",
                "Again",
            ],
            "already exists",
        ),
        (
            &[
                "new",
                "globex-pledge",
                "--company",
                "Globex",
                "--title",
                "Again",
            ],
            "globex-pledge.toml: already exists",
        ),
        (
            &["new", "Bad_Id", "--company", "Acme", "--title", "T"],
            "not an incident id",
        ),
    ];
    for (args, culprit) in cases {
        onrecord(dir.path())
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(*culprit));
        assert_eq!(snapshot(dir.path()), before, "{args:?}");
    }
}

#[test]
fn new_then_add_then_tag_each_pass_check() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("statements");
    onrecord(&corpus)
        .args([
            "new",
            "acme-anvils",
            "--company",
            "Acme Widgets",
            "--title",
            "Anvils, \"tested\"",
        ])
        .args(["--tag", "anvils", "--tag", "safety"])
        .assert()
        .success();
    let loaded = assert_checks(&corpus);
    let inc = loaded.incident("acme-anvils").unwrap();
    assert_eq!(inc.title, "Anvils, \"tested\"");
    assert_eq!(inc.tags, ["anvils", "safety"]);
    assert!(inc.statements.is_empty());
    for (date, text) in [
        ("2023", "Anvils never fall."),
        ("2024-01-05T08:00:00Z", "An anvil fell."),
    ] {
        onrecord(&corpus)
            .args([
                "add",
                "acme-anvils",
                "--speaker",
                "Acme",
                "--date",
                date,
                "--text",
                text,
            ])
            .args(["--url", "https://example.org"])
            .assert()
            .success();
        assert_checks(&corpus);
    }
    let text = fs::read_to_string(corpus.join("acme-anvils.toml")).unwrap();
    assert!(!text.contains("statements = []"), "{text}");
    onrecord(&corpus)
        .args([
            "tag",
            "acme-anvils#acme-2024-01-05",
            "acme-anvils#acme-2023",
            "--verdict",
            "contradicts",
        ])
        .assert()
        .success();
    let loaded = assert_checks(&corpus);
    let c = &loaded.incident("acme-anvils").unwrap().contradictions[0];
    assert_eq!(
        c.between,
        [r("acme-anvils#acme-2023"), r("acme-anvils#acme-2024-01-05")]
    );
}

#[test]
fn crlf_and_bom_files_keep_their_bytes_and_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let lf = "# made on Windows\ntitle = \"Globex audit\"\ncompany = \"Globex Corp\"\n\n[[statements]]\nid = \"a\"\ndate = 2024-01-01\nspeaker = \"Globex\"\nurl = \"https://example.org\"\ntext = \"We passed.\"\n";
    let original = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let path = dir.path().join("globex-audit.toml");
    fs::write(&path, &original).unwrap();
    onrecord(dir.path())
        .args([
            "add",
            "globex-audit",
            "--speaker",
            "Globex",
            "--date",
            "2024-02-01",
        ])
        .args([
            "--text",
            "We failed.\nTwice.",
            "--url",
            "https://example.org/2",
        ])
        .assert()
        .success();
    onrecord(dir.path())
        .args([
            "tag",
            "globex-audit#a",
            "globex-audit#globex-2024-02-01",
            "--verdict",
            "contradicts",
        ])
        .args(["--note", "multi\nline"])
        .assert()
        .success();
    let after = fs::read_to_string(&path).unwrap();
    assert!(after.starts_with(&original));
    assert_eq!(
        after.matches('\n').count(),
        after.matches("\r\n").count(),
        "{after:?}"
    );
    let corpus = assert_checks(dir.path());
    let inc = corpus.incident("globex-audit").unwrap();
    assert_eq!(inc.statements[1].text, "We failed.\nTwice.");
    assert_eq!(inc.contradictions[0].note.as_deref(), Some("multi\nline"));
    let tagged = fs::read_to_string(&path).unwrap();
    onrecord(dir.path())
        .args(["untag", "globex-audit#a", "globex-audit#globex-2024-02-01"])
        .assert()
        .success();
    let untagged = fs::read_to_string(&path).unwrap();
    assert!(untagged.starts_with(&original) && tagged.starts_with(&untagged));
    assert_eq!(
        untagged.matches('\n').count(),
        untagged.matches("\r\n").count()
    );
    assert_checks(dir.path());
}

#[test]
fn a_file_changed_since_it_was_read_is_never_overwritten_blindly() {
    let dir = fixture();
    let corpus = store::load(dir.path()).unwrap();
    let inc = corpus.incident("globex-pledge").unwrap();
    let path = dir.path().join(GLOBEX);
    // Someone edits the file by hand after the corpus was read.
    let edited = format!(
        "{}# a colleague's edit\n",
        fs::read_to_string(&path).unwrap()
    );
    fs::write(&path, &edited).unwrap();
    let req = TagRequest {
        a: r("globex-pledge#pledge"),
        b: r("globex-pledge#new-order"),
        verdict: Verdict::Contradicts,
        claim: None,
        note: None,
        by: "B".into(),
        replace: false,
        reviewed: None,
    };
    let err = write::tag(&corpus, &req, Some(inc.fingerprint)).unwrap_err();
    assert!(
        matches!(err, WriteError::ChangedOnDisk(ref p) if p.ends_with(GLOBEX)),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), edited);
    let st = NewStatement {
        date: "2024-07-01".into(),
        speaker: "S".into(),
        text: "t".into(),
        ..Default::default()
    };
    let err =
        write::add_statement(&corpus, "globex-pledge", &st, Some(inc.fingerprint)).unwrap_err();
    assert!(matches!(err, WriteError::ChangedOnDisk(_)));
    assert_eq!(fs::read_to_string(&path).unwrap(), edited);

    // Without a fingerprint the change applies to the file as it is now, keeping the edit.
    write::tag(&corpus, &req, None).unwrap();
    let after = fs::read_to_string(&path).unwrap();
    assert!(after.starts_with(&edited));
    assert_checks(dir.path());
}

#[test]
fn validate_statement_names_each_field() {
    let dir = fixture();
    let corpus = store::load(dir.path()).unwrap();
    let st = NewStatement {
        id: Some("Not A Slug".into()),
        date: "yesterday".into(),
        speaker: "".into(),
        text: "t".into(),
        lang: Some("french!".into()),
        source: Some("nope".into()),
        tags: vec!["ok".into(), "Bad Tag".into()],
        ..Default::default()
    };
    let fields: Vec<String> = write::validate_statement(&corpus, "acme-recall", &st)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(fields, ["id", "date", "speaker", "lang", "source", "tag"]);
    let fields: Vec<String> = write::validate_statement(&corpus, "nope", &st)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(fields[0], "incident");
}

/// An incident with `n` statements `s0`..`s{n-1}`, padded to about `bytes` bytes.
fn many_statements(dir: &Path, id: &str, n: usize, bytes: usize) -> PathBuf {
    let mut text =
        "# made for a test\ntitle = \"Acme many\"\ncompany = \"Acme Widgets\"\n".to_string();
    let filler = "x".repeat((bytes / n.max(1)).saturating_sub(120).max(1));
    for i in 0..n {
        text.push_str(&format!(
            "\n[[statements]]\nid = \"s{i}\"\ndate = 2024-01-{:02}\nspeaker = \"Acme\"\nurl = \"https://example.org/{i}\"\ntext = \"{filler}\"\n",
            i % 28 + 1
        ));
    }
    let path = dir.join(format!("{id}.toml"));
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn concurrent_writers_all_keep_their_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = many_statements(dir.path(), "acme-many", 13, 20_000);
    let mut children = Vec::new();
    for i in 1..13 {
        let mut cmd = common::process();
        cmd.arg("--dir")
            .arg(dir.path())
            .env("ONRECORD_USER", format!("tagger {i}"));
        if i % 3 == 0 {
            cmd.args(["add", "acme-many", "--speaker", &format!("writer {i}")])
                .args([
                    "--date",
                    "2024-02-01",
                    "--text",
                    "t",
                    "--url",
                    "https://example.org",
                ]);
        } else {
            cmd.args([
                "tag",
                "acme-many#s0",
                &format!("acme-many#s{i}"),
                "--verdict",
                "contradicts",
            ]);
        }
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
        children.push((i, cmd.spawn().unwrap()));
    }
    let mut succeeded = Vec::new();
    for (i, child) in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{i}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        succeeded.push(i);
    }
    let corpus = assert_checks(dir.path());
    let inc = corpus.incident("acme-many").unwrap();
    for i in succeeded {
        if i % 3 == 0 {
            let id = format!("writer-{i}-2024-02-01");
            assert!(inc.statement(&id).is_some(), "{id} lost");
        } else {
            let c = inc
                .contradictions
                .iter()
                .find(|c| c.involves_pair(&r("acme-many#s0"), &r(&format!("acme-many#s{i}"))));
            assert_eq!(
                c.and_then(|c| c.tagged_by.clone()),
                Some(format!("tagger {i}"))
            );
        }
    }
    assert!(
        fs::read_to_string(path)
            .unwrap()
            .starts_with("# made for a test\n")
    );
}

/// A fixed-seed xorshift: the kill moments vary from one run to the next iteration, but the
/// test is the same each time it runs.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn a_killed_writer_never_leaves_a_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = many_statements(dir.path(), "acme-big", 40, 400_000);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let writer = |round: usize| {
        let mut cmd = common::process();
        cmd.arg("--dir")
            .arg(dir.path())
            .env("ONRECORD_USER", "killer");
        match round % 3 {
            0 => cmd
                .args([
                    "add",
                    "acme-big",
                    "--speaker",
                    "Acme",
                    "--date",
                    "2024-03-01",
                ])
                .args(["--text", "again", "--url", "https://example.org"]),
            1 => cmd
                .args([
                    "tag",
                    "acme-big#s0",
                    &format!("acme-big#s{}", 1 + round % 39),
                ])
                .args(["--verdict", "contradicts", "--replace"]),
            _ => cmd.args([
                "untag",
                "acme-big#s0",
                &format!("acme-big#s{}", 1 + (round - 1) % 39),
            ]),
        };
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        cmd
    };
    // How long one write takes here, so that the kills fall late in a writer's life, where
    // it writes, and now and then just after.
    let started = std::time::Instant::now();
    assert!(writer(0).status().unwrap().success());
    let life = started.elapsed().as_micros() as u64;
    let mut finished = 0;
    for round in 1..=40 {
        let mut child = writer(round).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(life / 2 + rng.below(life * 3 / 4)));
        let _ = child.kill(); // SIGKILL
        if child.wait().unwrap().success() {
            finished += 1;
        }
        let corpus = assert_checks(dir.path());
        // Leftover temporary files are not incident files.
        assert_eq!(corpus.files, 1, "round {round}");
        assert!(
            fs::read_to_string(&path)
                .unwrap()
                .starts_with("# made for a test\n")
        );
    }
    // A write removes only its own temporary file, never one a killed writer left (it cannot
    // tell that file from someone else's): what remains is only such hidden files, which the
    // loader ignores (checked above).
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "acme-big.toml")
        .collect();
    eprintln!(
        "{finished} of 40 writers finished; {} temporary files left behind",
        names.len()
    );
    for name in &names {
        assert!(
            name.starts_with(".acme-big.toml.") && name.ends_with(".tmp"),
            "{name}"
        );
    }
}

fn text_strategy() -> impl Strategy<Value = String> {
    let tricky = prop::sample::select(vec![
        "\"",
        "\"\"\"",
        "'",
        "'''",
        "\\",
        "\\\n",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "\0",
        "\u{1b}[2J",
        "\u{7f}",
        "\u{85}",
        "\u{202E}",
        "\u{2066}",
        "\u{2069}",
        "\u{200F}",
        "\u{FEFF}",
        "\u{2028}",
        "é",
        "ß",
        "𝔘",
        " ",
        "#",
        "=",
        "[[statements]]",
        "a",
    ]);
    (
        prop::collection::vec(
            prop_oneof![tricky.prop_map(String::from), any::<String>()],
            0..12,
        ),
        "[a-z]",
        any::<usize>(),
    )
        .prop_map(|(parts, anchor, at)| {
            // The text must not be blank, which `check` refuses: one letter somewhere in it.
            let mut s = parts.concat();
            let mut at = at % (s.len() + 1);
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            s.insert_str(at, &anchor);
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_text_written_by_add_reads_back_identical(
        text in text_strategy(),
        translation in text_strategy(),
        note in any::<String>(),
        crlf in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut base = "title = \"T\"\ncompany = \"Acme Widgets\"\n\n[[statements]]\nid = \"first\"\ndate = 2024-01-01\nspeaker = \"Acme\"\nurl = \"https://example.org\"\ntext = \"x\"\n".to_string();
        if crlf {
            base = base.replace('\n', "\r\n");
        }
        fs::write(dir.path().join("acme-text.toml"), &base).unwrap();
        let corpus = store::load(dir.path()).unwrap();
        let st = NewStatement {
            date: "2024-02-01".into(),
            speaker: "Acme".into(),
            text: text.clone(),
            lang: Some("fr".into()),
            translation: Some(translation.clone()),
            note: Some(note.clone()),
            url: Some("https://example.org/2".into()),
            ..Default::default()
        };
        let out = write::add_statement(&corpus, "acme-text", &st, None).unwrap();
        let corpus = assert_checks(dir.path());
        let (_, back) = corpus.statement(&r(&format!("acme-text#{}", out.id.unwrap()))).unwrap();
        prop_assert_eq!(&back.text, &text);
        if translation.trim().is_empty() {
            prop_assert_eq!(back.translation.as_deref(), None);
        } else {
            prop_assert_eq!(back.translation.as_deref(), Some(translation.as_str()));
        }
        if !note.trim().is_empty() {
            prop_assert_eq!(back.note.as_deref(), Some(note.as_str()));
        }
        let written = fs::read_to_string(dir.path().join("acme-text.toml")).unwrap();
        prop_assert!(written.starts_with(&base));
    }
}

#[test]
fn a_verdict_kept_in_a_third_file_is_found() {
    let dir = fixture();
    let third = dir.path().join("globex-review.toml");
    fs::write(
        &third,
        "title = \"A review\"\ncompany = \"Globex Corp\"\n\n[[statements]]\nid = \"review\"\ndate = 2024-07-01\nspeaker = \"Globex\"\nurl = \"https://example.org\"\ntext = \"Reviewed.\"\n\n# Kept here on purpose.\n[[contradictions]]\nbetween = ['acme-recall#ceo-interview', 'globex-pledge#pledge']\nverdict = \"unrelated\"\n",
    )
    .unwrap();
    // A broken file that names neither statement is not even read.
    fs::write(dir.path().join("broken.toml"), "title = \n").unwrap();
    assert_eq!(store::load(dir.path()).unwrap().failed.len(), 1);
    onrecord(dir.path())
        .args([
            "tag",
            "globex-pledge#pledge",
            "acme-recall#ceo-interview",
            "--verdict",
            "contradicts",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "globex-review.toml: pass --replace",
        ));
    onrecord(dir.path())
        .args(["untag", "globex-pledge#pledge", "acme-recall#ceo-interview"])
        .assert()
        .success()
        .stderr("");
    let text = fs::read_to_string(&third).unwrap();
    assert!(
        text.ends_with("text = \"Reviewed.\"\n\n# Kept here on purpose.\n"),
        "{text}"
    );
    onrecord(dir.path())
        .args([
            "tag",
            "globex-pledge#pledge",
            "acme-recall#ceo-interview",
            "--verdict",
            "contradicts",
        ])
        .assert()
        .success();
}

#[test]
fn inline_lists_are_written_to_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("acme-inline.toml");
    let original = "title = \"Inline\"\ncompany = \"Acme Widgets\"\nstatements = [\n  { id = \"a\", date = 2024-01-01, speaker = \"Acme\", url = \"https://example.org\", text = \"A.\" },\n  { id = \"b\", date = 2024-02-01, speaker = \"Acme\", url = \"https://example.org\", text = \"B.\" },\n]\ncontradictions = [{ between = [\"a\", \"b\"], verdict = \"consistent\" }]  # by hand\n";
    fs::write(&path, original).unwrap();
    assert_checks(dir.path());
    onrecord(dir.path())
        .args([
            "add",
            "acme-inline",
            "--speaker",
            "Acme",
            "--date",
            "2024-03-01",
        ])
        .args([
            "--text",
            "C,\n\"quoted\".",
            "--url",
            "https://example.org/c",
        ])
        .assert()
        .success();
    onrecord(dir.path())
        .args([
            "tag",
            "acme-inline#acme-2024-03-01",
            "acme-inline#a",
            "--verdict",
            "walks-back",
        ])
        .assert()
        .success();
    onrecord(dir.path())
        .args(["untag", "acme-inline#b", "acme-inline#a"])
        .assert()
        .success();
    let corpus = assert_checks(dir.path());
    let inc = corpus.incident("acme-inline").unwrap();
    assert_eq!(inc.statements[2].text, "C,\n\"quoted\".");
    assert_eq!(inc.contradictions.len(), 1);
    assert_eq!(inc.contradictions[0].verdict, Verdict::WalksBack);
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with(
            "title = \"Inline\"\ncompany = \"Acme Widgets\"\nstatements = [\n  { id = \"a\""
        ),
        "{text}"
    );
    assert!(text.contains("]  # by hand\n"), "{text}");
    assert!(
        text.contains("text = \"B.\" },\n  { id = \"acme-2024-03-01\""),
        "{text}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_note_and_claim_read_back_and_untag_gives_the_file_back(
        note in text_strategy(),
        claim in text_strategy(),
        crlf in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut base = "title = \"T\"\ncompany = \"Acme Widgets\"\n\n[[statements]]\nid = \"a\"\ndate = 2024-01-01\nspeaker = \"Acme\"\nurl = \"https://example.org\"\ntext = \"x\"\n\n[[statements]]\nid = \"b\"\ndate = 2024-02-01\nspeaker = \"Acme\"\nurl = \"https://example.org\"\ntext = \"y\"\n# the end\n".to_string();
        if crlf {
            base = base.replace('\n', "\r\n");
        }
        let path = dir.path().join("acme-notes.toml");
        fs::write(&path, &base).unwrap();
        let corpus = store::load(dir.path()).unwrap();
        let req = TagRequest {
            a: r("acme-notes#b"),
            b: r("acme-notes#a"),
            verdict: Verdict::PartlyContradicts,
            claim: Some(claim.clone()),
            note: Some(note.clone()),
            by: "Ann \"the checker\" O'Brien".into(),
            replace: false,
            reviewed: None,
        };
        write::tag(&corpus, &req, None).unwrap();
        let corpus = assert_checks(dir.path());
        let c = &corpus.incident("acme-notes").unwrap().contradictions[0];
        prop_assert_eq!(c.note.as_deref(), Some(note.as_str()));
        prop_assert_eq!(c.claim.as_deref(), Some(claim.as_str()));
        prop_assert_eq!(c.tagged_by.as_deref(), Some("Ann \"the checker\" O'Brien"));
        write::untag(&corpus, &req.a, &req.b, None).unwrap();
        prop_assert_eq!(fs::read_to_string(&path).unwrap(), base);
    }
}

/// The same pair judged in two files (a merge leftover) and the second file one the program
/// will not rewrite: `untag` says which file it already changed instead of "nothing written".
#[test]
fn untag_across_two_files_says_what_it_already_changed() {
    let dir = tempfile::tempdir().unwrap();
    let acme = "title = \"Acme Widgets mug\"\ncompany = \"Acme Widgets\"\n\n[[statements]]\n\
        id = \"safe\"\ndate = 2020-01-01\nspeaker = \"Acme\"\nurl = \"https://example.org/a\"\n\
        text = \"The mug is safe.\"\n\n[[contradictions]]\nbetween = [\"safe\", \"acme-later#recall\"]\n\
        verdict = \"contradicts\"\n";
    // Mixed line endings: the program refuses to rewrite such a file rather than change them.
    let later = "title = \"Acme Widgets recall\"\r\ncompany = \"Acme Widgets\"\n\n[[statements]]\n\
        id = \"recall\"\ndate = 2021-01-01\nspeaker = \"Acme\"\nurl = \"https://example.org/b\"\n\
        text = \"The mug is recalled.\"\n\n[[contradictions]]\nbetween = [\"acme-early#safe\", \"recall\"]\n\
        verdict = \"contradicts\"\n";
    fs::write(dir.path().join("acme-early.toml"), acme).unwrap();
    fs::write(dir.path().join("acme-later.toml"), later).unwrap();
    let out = onrecord(dir.path())
        .args(["untag", "acme-early#safe", "acme-later#recall"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("acme-early.toml: the verdict was removed there"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("acme-later.toml")).unwrap(),
        later
    );
    assert!(
        !fs::read_to_string(dir.path().join("acme-early.toml"))
            .unwrap()
            .contains("[[contradictions]]")
    );
}

/// A file someone made read-only is not replaced behind their back (a rename ignores the bit).
#[cfg(unix)]
#[test]
fn a_read_only_file_is_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fixture();
    let path = dir.path().join(ACME);
    let before = fs::read(&path).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let out = onrecord(dir.path())
        .args([
            "add",
            "acme-recall",
            "--speaker",
            "Acme",
            "--date",
            "2024-05",
            "--text",
            "x",
        ])
        .args(["--url", "https://example.org/x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"));
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn tag_writes_a_derived_id_first_and_the_reviewed_side() {
    let dir = fixture();
    let path = dir.path().join(GLOBEX);
    let before = fs::read_to_string(&path).unwrap();
    onrecord(dir.path())
        .args([
            "tag",
            "globex-pledge#new-order",
            "acme-recall#safe-claim",
            "--verdict",
            "contradicts",
            "--reviewed",
            "acme-recall#safe-claim",
        ])
        .assert()
        .success();
    let after = fs::read_to_string(&path).unwrap();
    let added = &after[before.len()..];
    assert!(
        added.starts_with(
            "\n[[contradictions]]\nid = \"acme-recall-safe-claim-vs-new-order\"\n\
             between = [\"acme-recall#safe-claim\", \"new-order\"]\n\
             reviewed = \"acme-recall#safe-claim\"\nverdict = \"contradicts\"\n"
        ),
        "{added}"
    );
    let corpus = assert_checks(dir.path());
    let c = &corpus.incident("globex-pledge").unwrap().contradictions[0];
    assert_eq!(c.id.as_deref(), Some("acme-recall-safe-claim-vs-new-order"));
    assert_eq!(
        c.reviewed(),
        (&r("acme-recall#safe-claim"), &r("globex-pledge#new-order"))
    );

    // Replacing keeps the id and may turn the review to the other side.
    onrecord(dir.path())
        .args([
            "tag",
            "acme-recall#safe-claim",
            "globex-pledge#new-order",
            "--verdict",
            "walks-back",
            "--replace",
            "--reviewed",
            "globex-pledge#new-order",
        ])
        .assert()
        .success();
    let corpus = assert_checks(dir.path());
    let c = &corpus.incident("globex-pledge").unwrap().contradictions[0];
    assert_eq!(c.id.as_deref(), Some("acme-recall-safe-claim-vs-new-order"));
    assert_eq!(c.reviewed.as_ref(), Some(&r("globex-pledge#new-order")));
    assert_eq!(c.verdict, Verdict::WalksBack);
}

#[test]
fn reviewed_must_be_one_of_the_two() {
    let dir = fixture();
    let before = snapshot(dir.path());
    onrecord(dir.path())
        .args([
            "tag",
            "globex-pledge#new-order",
            "acme-recall#safe-claim",
            "--verdict",
            "contradicts",
            "--reviewed",
            "acme-recall#recall-notice",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "`acme-recall#recall-notice` is neither of the two statements",
        ));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn replacing_a_verdict_without_an_id_gives_it_one() {
    let dir = fixture();
    onrecord(dir.path())
        .args([
            "tag",
            "acme-recall#safe-claim",
            "acme-recall#recall-notice",
            "--verdict",
            "partly-contradicts",
            "--replace",
        ])
        .assert()
        .success();
    let text = fs::read_to_string(dir.path().join(ACME)).unwrap();
    assert!(
        text.contains(
            "[[contradictions]]\nid = \"safe-claim-vs-recall-notice\"\n\
             between = [\"safe-claim\", \"recall-notice\"]   # earlier first\n"
        ),
        "{text}"
    );
    assert_checks(dir.path());
}

#[test]
fn fix_ids_adds_only_the_id_lines_and_is_idempotent() {
    let dir = fixture();
    // A second, inline-listed verdict file and a CRLF one beside the fixture's own.
    fs::write(
        dir.path().join("inline.toml"),
        "title = \"t\"\ncompany = \"Acme Widgets\"\ncontradictions = [\n  { between = [\"a\", \"b\"], verdict = \"contradicts\" },\n  { id = \"a-vs-b\", between = [\"b\", \"a\"], verdict = \"consistent\" },\n]\n\n[[statements]]\nid = \"a\"\ndate = 2020-01-01\nspeaker = \"s\"\nurl = \"https://example.org/a\"\ntext = \"x\"\n\n[[statements]]\nid = \"b\"\ndate = 2021-01-01\nspeaker = \"s\"\nurl = \"https://example.org/b\"\ntext = \"y\"\n",
    )
    .unwrap();
    let crlf = "title = \"t\"\r\ncompany = \"Acme Widgets\"\r\n\r\n[[statements]]\r\nid = \"a\"\r\ndate = 2020-01-01\r\nspeaker = \"s\"\r\nurl = \"https://example.org/a\"\r\ntext = \"x\"\r\n\r\n[[statements]]\r\nid = \"b\"\r\ndate = 2021-01-01\r\nspeaker = \"s\"\r\nurl = \"https://example.org/b\"\r\ntext = \"y\"\r\n\r\n[[contradictions]]\r\n# kept\r\nbetween = [\"a\", \"b\"]\r\nverdict = \"contradicts\"\r\n";
    fs::write(dir.path().join("crlf.toml"), crlf).unwrap();
    let acme_before = fs::read_to_string(dir.path().join(ACME)).unwrap();
    onrecord(dir.path())
        .arg("fix-ids")
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "acme-recall.toml: 1 id added (safe-claim-vs-recall-notice)",
        ))
        .stdout(predicates::str::contains(
            "inline.toml: 1 id added (a-vs-b-2)",
        ));
    let acme_after = fs::read_to_string(dir.path().join(ACME)).unwrap();
    assert_eq!(
        acme_after,
        acme_before.replacen(
            "[[contradictions]]\n",
            "[[contradictions]]\nid = \"safe-claim-vs-recall-notice\"\n",
            1
        )
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("crlf.toml")).unwrap(),
        crlf.replacen(
            "[[contradictions]]\r\n",
            "[[contradictions]]\r\nid = \"a-vs-b\"\r\n",
            1
        )
    );
    let corpus = assert_checks(dir.path());
    assert!(
        corpus
            .diagnostics
            .iter()
            .all(|d| !d.message.contains("no `id`"))
    );
    assert!(
        corpus
            .contradictions()
            .all(|(_, c)| c.id.as_deref().is_some_and(onrecord::model::is_slug))
    );
    let settled = snapshot(dir.path());
    onrecord(dir.path())
        .arg("fix-ids")
        .assert()
        .success()
        .stdout("every verdict already has an id\n");
    assert_eq!(snapshot(dir.path()), settled);
}

#[test]
fn fix_ids_leaves_a_broken_file_alone() {
    let dir = fixture();
    let broken = "title = \"t\"\ncompany = \"Acme\"\n[[contradictions]]\nbetween = [\"x\"\n";
    fs::write(dir.path().join("broken.toml"), broken).unwrap();
    onrecord(dir.path())
        .arg("fix-ids")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("1 file did not load"));
    assert_eq!(
        fs::read_to_string(dir.path().join("broken.toml")).unwrap(),
        broken
    );
    assert!(
        fs::read_to_string(dir.path().join(ACME))
            .unwrap()
            .contains("id = \"safe-claim-vs-recall-notice\"")
    );
}
