//! Every example in docs/export.md runs: its `sh` blocks through bash with `onrecord` on the
//! PATH and a made-up corpus as `ONRECORD_DIR`, its `sql` blocks through sqlite3 against the
//! database the examples wrote, its `python` blocks through python3, all in one folder, in the
//! page's order. A block whose first line is `# needs: MODULE` is skipped, saying so, where
//! that Python module is not installed.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// The fenced blocks of a Markdown page: (info string, body).
fn blocks(page: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in page.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_string(), String::new())),
            (Some(_), Some("")) => out.push(current.take().unwrap()),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

fn has_module(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn every_example_in_the_export_docs_runs() {
    let page = fs::read_to_string("docs/export.md").unwrap();
    let examples = blocks(&page);
    let corpus = fs::canonicalize("tests/fixtures/export/basic").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("onrecord");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let work = tempfile::tempdir().unwrap();
    let run = |program: &str, args: &[&str], stdin: &str| {
        let mut child = Command::new(program)
            .args(args)
            .current_dir(work.path())
            .env("PATH", &path)
            .env("ONRECORD_DIR", &corpus)
            .env("XDG_CACHE_HOME", common::CACHE_HOME)
            .env("XDG_CONFIG_HOME", work.path().join("no-config"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} is needed to run the docs' examples: {e}"));
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let mut ran = 0;
    for (info, body) in &examples {
        let out = match info.as_str() {
            "sh" => run("bash", &["-eo", "pipefail", "-c", body], ""),
            "sql" => run("sqlite3", &["-bail", "corpus.db"], body),
            "python" => {
                if let Some(module) = body
                    .lines()
                    .next()
                    .and_then(|l| l.strip_prefix("# needs: "))
                    && !has_module(module.trim())
                {
                    eprintln!("skipped an example that needs {module}, not installed:\n{body}");
                    continue;
                }
                run("python3", &["-c", body], "")
            }
            _ => continue,
        };
        assert!(
            out.status.success(),
            "this example of docs/export.md fails:\n{body}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if info == "sql" {
            assert!(
                !out.stdout.is_empty(),
                "this SQL example finds nothing:\n{body}"
            );
        }
        ran += 1;
    }
    assert!(ran >= 8, "only {ran} examples ran");
    assert!(Path::new(&work.path().join("corpus.db")).is_file());
}

#[test]
fn fenced_blocks_are_found() {
    let page = "a\n```sh\necho 1\n```\n```text\nx\n```\n";
    assert_eq!(
        blocks(page),
        [
            ("sh".to_string(), "echo 1\n".to_string()),
            ("text".to_string(), "x\n".to_string())
        ]
    );
}
