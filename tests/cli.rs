//! The foundation's commands as a script or a person uses them: where the corpus is found,
//! `list` and `show` in every format, hostile record text, pipes that close early, and the
//! bundled statements verifying against the report they cite.

mod common;

use std::fs;
use std::io::Read;
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;

fn onrecord() -> Command {
    let mut cmd = common::onrecord();
    cmd.env("NO_COLOR", "1");
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const GOOD: &str = "tests/fixtures/check/good";

#[test]
fn the_corpus_is_found_by_flag_in_any_position_then_env_then_default() {
    let before = stdout(onrecord().args(["--dir", GOOD, "list", "--format", "json"]));
    let after = stdout(onrecord().args(["list", "--format", "json", "--dir", GOOD]));
    assert_eq!(before, after);
    assert!(before.contains("acme-recall"));
    let env = stdout(
        onrecord()
            .env("ONRECORD_DIR", GOOD)
            .args(["list", "--format", "json"]),
    );
    assert_eq!(env, before);
    let default = stdout(onrecord().args(["list", "--format", "json"]));
    assert!(
        default.contains("temu-referral-data"),
        "./statements is the default"
    );
}

#[test]
fn list_formats_carry_the_same_rows() {
    let json: serde_json::Value = serde_json::from_str(&stdout(
        onrecord().args(["--dir", GOOD, "list", "--format", "json"]),
    ))
    .unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let recall = &rows[1];
    assert_eq!(recall["id"], "acme-recall");
    assert_eq!(recall["company"], "Acme Widgets");
    assert_eq!(recall["first"], "2023-03-01");
    assert_eq!(recall["last"], "2023-05-02T10:15:00+02:00");
    assert_eq!(recall["statements"], 3);
    assert_eq!(recall["verdicts"], 1);

    let jsonl = stdout(onrecord().args(["--dir", GOOD, "list", "--format", "jsonl"]));
    assert_eq!(jsonl.lines().count(), 2);
    for line in jsonl.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
    let csv = stdout(onrecord().args(["--dir", GOOD, "list", "--format", "csv"]));
    assert!(
        csv.starts_with("id,company,title,first,last,statements,verdicts,path\r\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 3);

    let text = stdout(onrecord().args(["--dir", GOOD, "list"]));
    assert!(
        text.contains("acme-recall") && text.contains("2023-03-01 – 2023-05-02 10:15"),
        "{text}"
    );
    assert!(text.contains("3 statements, 1 verdict"), "{text}");
}

#[test]
fn an_empty_corpus_lists_nothing_as_valid_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = onrecord()
        .args(["list", "--format", "json"])
        .arg("--dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}

#[test]
fn show_prints_an_incident_or_a_statement_with_its_verdicts() {
    let text = stdout(onrecord().args(["--dir", GOOD, "show", "acme-recall"]));
    assert!(text.contains("Acme Widgets recalls its self-heating mug"));
    assert!(text.contains("contradicts"));
    let pos_a = text.find("mug-safe").unwrap();
    let pos_b = text.find("recall-notice").unwrap();
    assert!(pos_a < pos_b, "statements in date order");

    let text = stdout(onrecord().args(["--dir", GOOD, "show", "acme-recall#recall-notice"]));
    assert!(
        text.contains("Apr 2023 · document · Acme Widgets · recall notice"),
        "{text}"
    );
    assert!(text.contains("The self-heating mug may overheat"));
    assert!(text.contains("claim: The mug never overheats"));

    let json: serde_json::Value = serde_json::from_str(&stdout(onrecord().args([
        "--dir",
        GOOD,
        "show",
        "acme-recall#ceo-interview",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(json["ref"], "acme-recall#ceo-interview");
    assert_eq!(json["statement"]["kind"], "paraphrase");
    assert_eq!(json["source"]["outlet"], "The Daily Example");
    assert_eq!(json["verdicts"][0]["verdict"], "consistent");
    assert_eq!(json["verdicts"][0]["incident"], "acme-followup");
    assert_eq!(
        json["verdicts"][0]["between"][0],
        "acme-recall#ceo-interview"
    );
}

#[test]
fn show_of_something_missing_says_so() {
    let out = onrecord()
        .args(["--dir", GOOD, "show", "acme-recall#mug-saf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `mug-safe`?"));
    let out = onrecord()
        .args(["--dir", GOOD, "show", "../etc#passwd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn record_text_never_reaches_the_terminal_as_a_control_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = r#"title = "Umbrella \u001b]0;pwned\u0007 Holdings \u001b[2J"
company = "Umbrella\u202E Holdings"

[[statements]]
id = "evil"
date = 2020-01-01
speaker = "Dr. \u001b[31mRed"
url = "https://example.org/umbrella"
text = "Copy this \u001b]52;c;cm0gLXJmIH4=\u0007 and\rthat \u009b1m"
"#;
    fs::write(dir.path().join("umbrella.toml"), hostile).unwrap();
    for args in [
        vec!["list"],
        vec!["show", "umbrella"],
        vec!["show", "umbrella#evil"],
    ] {
        let out = onrecord()
            .arg("--dir")
            .arg(dir.path())
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text
                .chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202E}'),
            "{args:?}: {text:?}"
        );
        assert!(text.contains('␛'), "{args:?}: shown visibly: {text}");
    }
    // JSON keeps the text as it is, escaped by JSON itself.
    let out = onrecord()
        .arg("--dir")
        .arg(dir.path())
        .args(["show", "umbrella#evil", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["statement"]["text"]
            .as_str()
            .unwrap()
            .contains("\u{1b}]52;")
    );
}

#[test]
fn a_closed_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    onrecord::generate::generate(dir.path(), 3000, 3).unwrap();
    for format in ["text", "json", "jsonl", "csv"] {
        let mut child = common::process()
            .arg("--dir")
            .arg(dir.path())
            .args(["list", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut first)
            .unwrap();
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(status.success(), "{format}: {status:?} {err}");
        assert!(err.is_empty(), "{format}: {err}");
    }
}

/// `statements/` holds only words a cited source really printed: every statement of the
/// bundled incident is found verbatim in the saved copy of the report it cites.
#[test]
fn bundled_statements_verify_against_their_saved_report() {
    let out = onrecord()
        .args(["verify", "--dir", "statements", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = report["statements"].as_array().unwrap();
    assert!(rows.len() >= 8);
    for row in rows {
        assert_eq!(row["status"], "verified", "{row}");
    }
    assert_eq!(report["unverified"], 0);
    assert_eq!(report["verified"].as_u64().unwrap() as usize, rows.len());
}

/// The commands `--help` lists, in its order (without clap's own `help`).
fn commands_in_help() -> Vec<String> {
    let help = stdout(onrecord().arg("--help"));
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(String::from)
        .collect()
}

/// The long flags `onrecord COMMAND --help` lists.
fn flags_in_help(command: &str) -> Vec<String> {
    let help = stdout(onrecord().args([command, "--help"]));
    help.split_whitespace()
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| w.trim_end_matches([',', '.', ')', '`']).to_string())
        .filter(|w| w != "--help")
        .collect()
}

/// Whether a program is on the PATH (the shells and `man` are optional on a machine).
fn have(program: &str) -> bool {
    StdCommand::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn help_says_that_no_command_opens_the_interface() {
    let help = stdout(onrecord().arg("--help"));
    assert!(
        help.contains("With no command, onrecord opens its interface"),
        "{help}"
    );
}

#[test]
fn completions_offer_every_command_and_parse_in_their_shell() {
    let commands = commands_in_help();
    assert!(commands.len() >= 14, "{commands:?}");
    assert!(commands.iter().any(|c| c == "completions") && commands.iter().any(|c| c == "man"));
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = stdout(onrecord().args(["completions", shell]));
        for c in &commands {
            assert!(script.contains(c.as_str()), "{shell}: `{c}` is not offered");
        }
        for flag in ["dir", "color", "format", "verdict"] {
            // fish spells a long flag `-l dir`.
            let spelled = match shell {
                "fish" => format!("-l {flag}"),
                _ => format!("--{flag}"),
            };
            assert!(
                script.contains(&spelled),
                "{shell}: `--{flag}` is not offered"
            );
        }
        let path = dir.path().join(shell);
        fs::write(&path, &script).unwrap();
        let checker = match shell {
            "bash" => Some(("bash", vec!["-n"])),
            "zsh" if have("zsh") => Some(("zsh", vec!["-n"])),
            "fish" if have("fish") => Some(("fish", vec!["--no-execute"])),
            _ => None,
        };
        if let Some((program, args)) = checker {
            let status = StdCommand::new(program)
                .args(args)
                .arg(&path)
                .status()
                .unwrap();
            assert!(
                status.success(),
                "{program} does not parse the {shell} script"
            );
        }
    }
    // Loaded into bash, it completes the command names.
    let out = StdCommand::new("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(onrecord ta); COMP_CWORD=1; COMP_LINE='onrecord ta'; \
             COMP_POINT=11; _onrecord onrecord ta onrecord; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            dir.path().join("bash").display()
        ))
        .output()
        .unwrap();
    let offered = String::from_utf8_lossy(&out.stdout);
    assert_eq!(offered.trim(), "tag", "{offered}");
    let bad = onrecord().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_manual_pages_hold_every_command_and_flag_and_render() {
    let commands = commands_in_help();
    let page = stdout(onrecord().arg("man"));
    assert!(page.contains(".TH onrecord 1"), "{page}");
    for c in &commands {
        assert!(
            page.contains(&format!("onrecord\\-{}", c.replace('-', "\\-"))),
            "`{c}` is missing"
        );
    }
    assert!(page.contains("With no command, onrecord opens its interface"));
    for c in &commands {
        let page = stdout(onrecord().args(["man", c]));
        assert!(page.contains(&format!(".TH onrecord-{c} 1")), "{c}: {page}");
        for flag in flags_in_help(c) {
            assert!(
                page.contains(&flag.replace('-', "\\-")),
                "onrecord-{c}(1) lacks {flag}"
            );
        }
    }
    let bad = onrecord().args(["man", "serach"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("no command `serach`; did you mean `search`?"),
        "{err}"
    );
    if have("man") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("onrecord.1");
        fs::write(&path, &page).unwrap();
        let out = StdCommand::new("man")
            .arg("-l")
            .arg(&path)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .output()
            .unwrap();
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for heading in ["NAME", "SYNOPSIS", "OPTIONS", "SUBCOMMANDS"] {
            assert!(shown.contains(heading), "{heading} missing: {shown}");
        }
        for c in &commands {
            assert!(
                shown.contains(&format!("onrecord-{c}")),
                "`{c}` missing: {shown}"
            );
        }
    }
}
