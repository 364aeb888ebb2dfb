//! onrecord in a real git repository: the merge driver (`git-setup`, `merge-file`) under real
//! `git merge`, `log` from real history, `check --staged` and the CI formats' wiring. Every
//! repository is a fresh temporary one with its own identity; no global or system git
//! configuration is read.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output};

use assert_cmd::Command;
use tempfile::TempDir;

mod common;

const INCIDENT: &str = "\
# Acme Widgets and the recall: comments like this one survive every merge.
title = \"Acme Widgets recall\"
company = \"Acme Widgets\"

[[sources]]
id = \"gazette\"
outlet = \"The Daily Gazette\"

[[statements]]
id = \"first\"
date = 2024-03-01
speaker = \"Acme Widgets\"
source = \"gazette\"
text = \"Every widget is safe.\"

# The second statement, kept on purpose.
[[statements]]
id = \"second\"
date = 2024-04-01
speaker = \"Acme Widgets\"
source = \"gazette\"
text = \"Some widgets may overheat.\"

[[statements]]
id = \"third\"
date = 2024-05-01
speaker = \"Acme Widgets\"
source = \"gazette\"
text = \"We will replace every widget.\"

[[statements]]
id = \"fourth\"
date = 2024-06-01
speaker = \"Acme Widgets\"
source = \"gazette\"
text = \"We will replace only the widgets sold in March.\"
";

struct Repo {
    dir: TempDir,
}

impl Repo {
    /// A repository with the incident committed on `main` and the merge driver set up through
    /// `onrecord git-setup --yes`.
    fn new(incident: &str) -> Repo {
        let repo = Repo::bare_setup();
        fs::create_dir_all(repo.path().join("statements")).unwrap();
        fs::write(repo.file(), incident).unwrap();
        repo.onrecord(&["git-setup", "--yes"]).assert().success();
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "Start the Acme file"]);
        repo
    }

    fn bare_setup() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Ann Example"]);
        repo.git(&["config", "user.email", "ann@example.org"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self) -> PathBuf {
        self.path().join("statements/acme-recall.toml")
    }

    fn text(&self) -> String {
        fs::read_to_string(self.file()).unwrap()
    }

    fn git_output(&self, args: &[&str]) -> Output {
        StdCommand::new("git")
            .current_dir(self.path())
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.path())
            .env("ONRECORD_USER", "Ann Example")
            .env("GIT_AUTHOR_DATE", "2025-01-02T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2025-01-02T10:00:00Z")
            .output()
            .unwrap()
    }

    fn git(&self, args: &[&str]) -> String {
        let out = self.git_output(args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn onrecord(&self, args: &[&str]) -> Command {
        let mut cmd = common::onrecord();
        cmd.current_dir(self.path())
            .args(args)
            .args(["--dir", "statements"])
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.path())
            .env("ONRECORD_USER", "Ann Example");
        cmd
    }

    fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// Runs `change` on a new branch `side` and `other_change` on `main`, then merges `side`
    /// into `main`.
    fn diverge(&self, side: impl FnOnce(&Repo), main: impl FnOnce(&Repo)) -> Output {
        self.git(&["checkout", "-q", "-b", "side"]);
        side(self);
        self.commit_all("On the side branch");
        self.git(&["checkout", "-q", "main"]);
        main(self);
        self.commit_all("On main");
        self.git_output(&["merge", "--no-edit", "side"])
    }

    fn add(&self, id: &str, text: &str) {
        self.onrecord(&[
            "add",
            "acme-recall",
            "--id",
            id,
            "--speaker",
            "Acme Widgets",
            "--date",
            "2024-07-01",
            "--source",
            "gazette",
            "--text",
            text,
        ])
        .assert()
        .success();
    }

    fn tag(&self, a: &str, b: &str, verdict: &str) {
        self.onrecord(&[
            "tag",
            &format!("acme-recall#{a}"),
            &format!("acme-recall#{b}"),
            "--verdict",
            verdict,
        ])
        .assert()
        .success();
    }

    fn checks_clean(&self) {
        self.onrecord(&["check", "--strict"]).assert().success();
    }
}

fn merged_cleanly(out: &Output) {
    assert!(
        out.status.success(),
        "the merge should be clean: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn setup_writes_the_attributes_and_the_driver() {
    let repo = Repo::new(INCIDENT);
    let attributes = fs::read_to_string(repo.path().join(".gitattributes")).unwrap();
    assert_eq!(attributes, "/statements/**/*.toml merge=onrecord\n");
    let driver = repo.git(&["config", "merge.onrecord.driver"]);
    assert!(
        driver.contains("merge-file %O %A %B --path %P --marker-size %L"),
        "{driver}"
    );
    let attr = repo.git(&["check-attr", "merge", "statements/acme-recall.toml"]);
    assert!(attr.ends_with("merge: onrecord\n"), "{attr}");
    // A second run has nothing to do and writes nothing twice.
    repo.onrecord(&["git-setup", "--yes"])
        .assert()
        .success()
        .stdout(predicates::str::contains("already set up"));
    assert_eq!(
        fs::read_to_string(repo.path().join(".gitattributes")).unwrap(),
        attributes
    );
}

#[test]
fn setup_without_a_terminal_or_yes_only_says_what_it_would_do() {
    let repo = Repo::bare_setup();
    fs::create_dir_all(repo.path().join("statements")).unwrap();
    repo.onrecord(&["git-setup"])
        .assert()
        .code(2)
        .stdout(predicates::str::contains("merge=onrecord"))
        .stdout(predicates::str::contains(
            "git config merge.onrecord.driver",
        ))
        .stderr(predicates::str::contains("--yes"));
    assert!(!repo.path().join(".gitattributes").exists());
    assert!(
        !repo
            .git_output(&["config", "merge.onrecord.driver"])
            .status
            .success()
    );
}

#[test]
fn parallel_adds_merge_cleanly() {
    let repo = Repo::new(INCIDENT);
    let out = repo.diverge(
        |r| r.add("side-one", "Widgets sold in April are safe."),
        |r| r.add("main-one", "No widget was recalled."),
    );
    merged_cleanly(&out);
    let text = repo.text();
    let main = text.find("id = \"main-one\"").unwrap();
    let side = text.find("id = \"side-one\"").unwrap();
    assert!(main < side, "ours first, then theirs:\n{text}");
    assert!(
        text.starts_with(INCIDENT),
        "every byte before is kept:\n{text}"
    );
    repo.checks_clean();
}

#[test]
fn parallel_tags_of_different_pairs_merge_cleanly() {
    let repo = Repo::new(INCIDENT);
    let out = repo.diverge(
        |r| r.tag("first", "second", "contradicts"),
        |r| r.tag("third", "fourth", "walks-back"),
    );
    merged_cleanly(&out);
    let text = repo.text();
    assert!(text.contains("between = [\"first\", \"second\"]"), "{text}");
    assert!(text.contains("between = [\"third\", \"fourth\"]"), "{text}");
    repo.checks_clean();
}

#[test]
fn the_same_pair_tagged_differently_is_a_conflict_around_that_verdict_only() {
    let repo = Repo::new(INCIDENT);
    let out = repo.diverge(
        |r| {
            r.tag("first", "second", "contradicts");
            r.add("side-one", "Widgets sold in April are safe.");
        },
        |r| {
            r.tag("first", "second", "consistent");
            r.add("main-one", "No widget was recalled.");
        },
    );
    assert!(!out.status.success(), "a real conflict");
    let unmerged = repo.git(&["diff", "--name-only", "--diff-filter=U"]);
    assert_eq!(unmerged, "statements/acme-recall.toml\n");
    let text = repo.text();
    assert!(text.starts_with(INCIDENT), "{text}");
    assert_eq!(text.matches("\n<<<<<<< ours\n").count(), 1, "{text}");
    assert_eq!(text.matches("\n=======\n").count(), 1, "{text}");
    assert_eq!(text.matches("\n>>>>>>> theirs\n").count(), 1, "{text}");
    let conflict = &text[text.find("<<<<<<<").unwrap()..text.find(">>>>>>>").unwrap()];
    assert!(conflict.contains("verdict = \"consistent\""), "{conflict}");
    assert!(conflict.contains("verdict = \"contradicts\""), "{conflict}");
    assert!(
        !conflict.contains("[[statements]]"),
        "only the verdict: {conflict}"
    );
    // Both added statements are merged outside the conflict.
    let outside = text.replace(conflict, "");
    assert!(outside.contains("id = \"main-one\""));
    assert!(outside.contains("id = \"side-one\""));
    // What git's merge printed names the entry.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the [[contradictions]] entry `first-vs-second` was added on both sides"),
        "{stderr}"
    );
}

#[test]
fn a_statement_edited_on_one_side_and_appended_on_the_other() {
    let repo = Repo::new(INCIDENT);
    let out = repo.diverge(
        |r| {
            let edited = r.text().replace(
                "We will replace only the widgets sold in March.",
                "We will replace only the widgets sold in March and April.",
            );
            fs::write(r.file(), edited).unwrap();
        },
        |r| r.add("main-one", "No widget was recalled."),
    );
    merged_cleanly(&out);
    let text = repo.text();
    assert!(text.contains("sold in March and April."), "{text}");
    assert!(text.contains("id = \"main-one\""), "{text}");
    repo.checks_clean();
}

#[test]
fn crlf_files_keep_their_line_endings() {
    let repo = Repo::new(&INCIDENT.replace('\n', "\r\n"));
    let out = repo.diverge(
        |r| r.add("side-one", "Widgets sold in April are safe."),
        |r| {
            r.add("main-one", "No widget was recalled.");
            r.tag("first", "second", "contradicts");
        },
    );
    merged_cleanly(&out);
    let bytes = fs::read(repo.file()).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "no bare line feed:\n{text:?}"
    );
    assert!(text.contains("id = \"side-one\"") && text.contains("id = \"main-one\""));
    repo.checks_clean();
}

#[test]
fn a_file_with_a_byte_order_mark_keeps_it() {
    let repo = Repo::new(&format!("\u{feff}{INCIDENT}"));
    let out = repo.diverge(
        |r| r.add("side-one", "Widgets sold in April are safe."),
        |r| r.add("main-one", "No widget was recalled."),
    );
    merged_cleanly(&out);
    let text = repo.text();
    assert!(text.starts_with('\u{feff}'), "{text:?}");
    assert_eq!(text.matches('\u{feff}').count(), 1);
    assert!(text.contains("id = \"side-one\"") && text.contains("id = \"main-one\""));
    repo.checks_clean();
}

#[test]
fn invalid_toml_falls_back_to_a_text_merge_and_says_so() {
    let repo = Repo::new(INCIDENT);
    let out = repo.diverge(
        |r| {
            let broken = r
                .text()
                .replace("title = \"Acme Widgets recall\"", "title = ");
            fs::write(r.file(), broken).unwrap();
        },
        |r| r.add("main-one", "No widget was recalled."),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("their version is not valid TOML") && stderr.contains("`git merge-file`"),
        "{stderr}"
    );
    // Different lines: git's own merge combines them.
    merged_cleanly(&out);
    let text = repo.text();
    assert!(
        text.contains("title = \n") && text.contains("id = \"main-one\""),
        "{text}"
    );
}

#[test]
fn record_text_cannot_forge_conflict_markers() {
    let repo = Repo::new(INCIDENT);
    let forged = "Looks like a merge:\n=======\n>>>>>>> theirs\n<<<<<<< ours";
    let out = repo.diverge(
        |r| {
            let t = r.text().replace(
                "text = \"Every widget is safe.\"",
                "text = \"\"\"\nEvery widget is safe, they said.\"\"\"",
            );
            fs::write(r.file(), t).unwrap();
        },
        |r| {
            let t = r.text().replace(
                "text = \"Every widget is safe.\"",
                &format!("text = \"\"\"\n{forged}\"\"\""),
            );
            fs::write(r.file(), t).unwrap();
        },
    );
    assert!(!out.status.success());
    let text = repo.text();
    let markers = |prefix: &str| text.lines().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(markers("<<<<<<<"), 1, "{text}");
    assert_eq!(markers("======="), 1, "{text}");
    assert_eq!(markers(">>>>>>>"), 1, "{text}");
    // Resolving by keeping ours gives the text back exactly.
    let start = text.find("<<<<<<< ours\n").unwrap();
    let mid = text.find("\n=======\n").unwrap();
    let end = text.find(">>>>>>> theirs\n").unwrap();
    let resolved = format!(
        "{}{}{}",
        &text[..start],
        &text[start + "<<<<<<< ours\n".len()..mid + 1],
        &text[end + ">>>>>>> theirs\n".len()..]
    );
    let table: toml::Table = toml::from_str(&resolved).unwrap();
    let first = &table["statements"].as_array().unwrap()[0];
    assert_eq!(first["text"].as_str(), Some(forged));
}

#[test]
fn merge_file_alone_reports_conflicts_and_writes_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let (base, ours, theirs) = (
        dir.path().join("base"),
        dir.path().join("ours"),
        dir.path().join("theirs"),
    );
    fs::write(&base, INCIDENT).unwrap();
    fs::write(&ours, INCIDENT.replace("safe.", "safe!")).unwrap();
    fs::write(&theirs, INCIDENT.replace("safe.", "safe?")).unwrap();
    let out = common::onrecord()
        .arg("merge-file")
        .args([&base, &ours, &theirs])
        .args(["--path", "statements/acme-recall.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("statements/acme-recall.toml: conflict: the [[statements]] entry `first`")
    );
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 3, "no temporary file left: {names:?}");
}

#[test]
fn log_follows_a_statement_and_a_verdict_through_renames() {
    let repo = Repo::new(INCIDENT);
    repo.git(&["config", "user.name", "Bea Example"]);
    repo.tag("first", "second", "contradicts");
    repo.commit_all("Tag the first contradiction");
    let edited = repo
        .text()
        .replace("Every widget is safe.", "Every widget is safe to use.");
    fs::write(repo.file(), edited).unwrap();
    repo.commit_all("Quote the Gazette exactly");
    fs::create_dir_all(repo.path().join("statements/2024")).unwrap();
    repo.git(&[
        "mv",
        "statements/acme-recall.toml",
        "statements/2024/acme-recall.toml",
    ]);
    repo.commit_all("File by year");

    let out = repo
        .onrecord(&["log", "acme-recall#first", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changes = v["changes"].as_array().unwrap();
    let summary: Vec<(&str, &str, &str)> = changes
        .iter()
        .map(|c| {
            (
                c["author"].as_str().unwrap(),
                c["change"].as_str().unwrap(),
                c["subject"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Bea Example", "changed", "Quote the Gazette exactly"),
            ("Ann Example", "added", "Start the Acme file"),
        ]
    );
    assert_eq!(v["path"], "statements/2024/acme-recall.toml");
    assert_eq!(changes[1]["path"], "statements/acme-recall.toml");

    // The verdict, named by its pair.
    let out = repo
        .onrecord(&[
            "log",
            "acme-recall#second",
            "acme-recall#first",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["subject"], "Tag the first contradiction");

    // The verdict by its id.
    let out = repo
        .onrecord(&["log", "acme-recall#first-vs-second", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["changes"][0]["subject"], "Tag the first contradiction");
    assert_eq!(v["changes"].as_array().unwrap().len(), 1);

    // The whole file, renames included.
    repo.onrecord(&["log", "acme-recall"])
        .assert()
        .success()
        .stdout(predicates::str::contains("renamed"))
        .stdout(predicates::str::contains("File by year"));

    // `show` says who last changed it.
    repo.onrecord(&["show", "acme-recall#first"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "last changed by Bea Example on 2025-01-02",
        ));
}

#[test]
fn log_outside_a_repository_and_of_an_unknown_statement() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("statements")).unwrap();
    fs::write(dir.path().join("statements/acme-recall.toml"), INCIDENT).unwrap();
    common::onrecord()
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["log", "acme-recall#first", "--dir", "statements"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not in a git repository"));

    let repo = Repo::new(INCIDENT);
    repo.onrecord(&["log", "acme-recall#frist"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("did you mean `first`?"));
}

#[test]
fn hostile_names_in_history_are_shown_safely() {
    let repo = Repo::new(INCIDENT);
    repo.git(&["config", "user.name", "Evil\u{1b}]0;owned\u{7}Name"]);
    let t = repo.text().replace("Every widget", "Each widget");
    fs::write(repo.file(), t).unwrap();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "Sub\u{1b}[2Jject"]);
    let out = repo
        .onrecord(&["log", "acme-recall#first"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    assert!(stdout.contains("Evil␛]0;owned␇Name"), "{stdout}");
}

#[test]
fn check_staged_reads_what_is_staged_not_the_work_tree() {
    let repo = Repo::new(INCIDENT);
    fs::write(
        repo.path().join("statements/globex.toml"),
        "title = \"Globex\"\ncompany = \"Globex\"\n\n[[statements]]\nid = \"x\"\ndate = 2024-01-01\nspeaker = \"Globex\"\nurl = \"https://example.org\"\ntext = \"Fine.\"\n",
    )
    .unwrap();
    repo.commit_all("Add Globex");
    // A broken date staged, then fixed in the work tree only.
    let broken = INCIDENT.replace("date = 2024-03-01", "date = \"March\"");
    fs::write(repo.file(), &broken).unwrap();
    repo.git(&["add", "statements/acme-recall.toml"]);
    fs::write(repo.file(), INCIDENT).unwrap();
    repo.onrecord(&["check"]).assert().success();
    let out = repo
        .onrecord(&["check", "--staged"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("statements/acme-recall.toml:11:1: error: `date` = \"March\""),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "only the staged file: {stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("checked 1 file staged"));

    // The other way round: a good file staged, a broken work tree: the commit is fine.
    fs::write(repo.file(), INCIDENT.replace("safe.", "safe to use.")).unwrap();
    repo.git(&["add", "statements/acme-recall.toml"]);
    fs::write(repo.file(), &broken).unwrap();
    repo.onrecord(&["check", "--staged", "--strict"])
        .assert()
        .success();
}

/// The hook docs/git.md gives, with onrecord called by its full path.
fn documented_hook() -> String {
    let doc =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/git.md")).unwrap();
    let start = doc
        .find("```sh\n#!/bin/sh")
        .expect("the hook in docs/git.md")
        + "```sh\n".len();
    let end = start + doc[start..].find("```").unwrap();
    doc[start..end].replace(
        "exec onrecord ",
        &format!("exec '{}' ", env!("CARGO_BIN_EXE_onrecord")),
    )
}

#[test]
fn the_documented_pre_commit_hook_refuses_a_broken_file() {
    let repo = Repo::new(INCIDENT);
    let hook = repo.path().join(".git/hooks/pre-commit");
    fs::write(&hook, documented_hook()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    }
    fs::write(
        repo.file(),
        INCIDENT.replace("id = \"second\"", "id = \"first\""),
    )
    .unwrap();
    repo.git(&["add", "-A"]);
    let out = repo.git_output(&["commit", "-q", "-m", "Duplicate id"]);
    assert!(!out.status.success(), "the hook stops the commit");
    // git hands a hook's output to stderr.
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("duplicate statement id `first`"), "{said}");
    fs::write(repo.file(), INCIDENT.replace("safe.", "safe to use.")).unwrap();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "A good change"]);
}

#[test]
fn ci_formats_name_files_from_the_repository_top() {
    let repo =
        Repo::new(&INCIDENT.replace("source = \"gazette\"\ntext = \"Every", "text = \"Every"));
    let sub = repo.path().join("statements");
    let out = common::onrecord()
        .current_dir(&sub)
        .args(["check", "--dir", ".", "--format", "github"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "a warning is not a failure");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "::warning file=statements/acme-recall.toml,line=9,col=1::this statement has neither `source` nor `url`%3A say where it was published\n"
            .replace("%3A", ":")
    );
}
