//! `onrecord check` and loading: one test per rule of docs/format.md, each asserting the line (and
//! column) its diagnostic points at, plus the broken files a newsroom's folder really holds.

mod common;
use common::{corpus, run_on};

use std::fs;
use std::path::{Path, PathBuf};

const VALID: &str = r#"title = "Globex Corp changes its mind"
company = "Globex Corp"

[[statements]]
id = "first"
date = 2021-01-05
speaker = "Hank Scorpio"
url = "https://example.org/globex/1"
text = "We will never move the factory."

[[statements]]
id = "second"
date = 2022-02-07
speaker = "Hank Scorpio"
url = "https://example.org/globex/2"
text = "We are moving the factory."
"#;

/// Runs check on one file (beside nothing else) and returns its diagnostic lines.
fn check_one(name: &str, text: &str) -> (i32, Vec<String>) {
    let dir = corpus(&[(name, text)]);
    let run = run_on(dir.path(), &["check"]);
    let prefix = format!("{}/", dir.path().display());
    let lines = run
        .stdout
        .lines()
        .map(|l| l.replacen(&prefix, "", 1))
        .collect();
    (run.code, lines)
}

fn assert_diag(lines: &[String], expected: &str) {
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(expected) || l.contains(expected)),
        "expected a diagnostic like {expected:?}, got:\n{}",
        lines.join("\n")
    );
}

fn with(valid_line: &str, replacement: &str) -> String {
    assert!(VALID.contains(valid_line), "{valid_line}");
    VALID.replacen(valid_line, replacement, 1)
}

#[test]
fn a_valid_corpus_checks_clean() {
    let run = run_on(Path::new("tests/fixtures/check/good"), &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("2 loaded, 0 failed, 0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_bundled_statements_check_clean_even_when_strict() {
    let run = run_on(Path::new("statements"), &["check", "--strict"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn syntax_errors_carry_the_parsers_position() {
    let (code, lines) = check_one("broken.toml", "title = \"Acme\"\ncompany = \"Acme\nx = 1\n");
    assert_eq!(code, 1);
    assert_diag(&lines, "broken.toml:2:");
    assert_diag(&lines, "error: not valid TOML");
}

#[test]
fn a_missing_required_key_points_at_its_table_header() {
    let (code, lines) = check_one(
        "t.toml",
        &with("title = \"Globex Corp changes its mind\"\n", ""),
    );
    assert_eq!(code, 1);
    assert_diag(
        &lines,
        "t.toml:1:1: error: the incident is missing required key `title`",
    );
    let (_, lines) = check_one(
        "t.toml",
        &with(
            "speaker = \"Hank Scorpio\"\nurl = \"https://example.org/globex/2\"",
            "url = \"https://example.org/globex/2\"",
        ),
    );
    assert_diag(
        &lines,
        "t.toml:11:1: error: this [[statements]] entry is missing required key `speaker`",
    );
    let (_, lines) = check_one("t.toml", "title = \"x\"\ncompany = \"y\"\n");
    assert_diag(&lines, "t.toml:1:1: error: the incident has no statements");
}

#[test]
fn a_value_of_the_wrong_type_points_at_its_key() {
    let (code, lines) = check_one("t.toml", &with("company = \"Globex Corp\"", "company = 42"));
    assert_eq!(code, 1);
    assert_diag(
        &lines,
        "t.toml:2:1: error: `company` must be a string, not an integer",
    );
    let (_, lines) = check_one("t.toml", &format!("tags = \"one\"\n{VALID}"));
    assert_diag(
        &lines,
        "t.toml:1:1: error: `tags` must be an array of slugs, not a string",
    );
    let (_, lines) = check_one(
        "t.toml",
        &format!("statements = 3\n{}", &VALID[..VALID.find("[[").unwrap()]),
    );
    assert_diag(
        &lines,
        "t.toml:1:1: error: `statements` must be an array of tables",
    );
}

#[test]
fn bad_slugs_are_errors() {
    let (code, lines) = check_one("t.toml", &with("id = \"first\"", "id = \"First_One\""));
    assert_eq!(code, 1);
    assert_diag(
        &lines,
        "t.toml:5:1: error: `id` = \"First_One\" is not a slug",
    );
    let (_, lines) = check_one("t.toml", &format!("tags = [\"ok\", \"Not OK\"]\n{VALID}"));
    assert_diag(&lines, "t.toml:1:15: error: tag \"Not OK\" is not a slug");
    let (_, lines) = check_one("Bad Name.toml", VALID);
    assert_diag(
        &lines,
        "Bad Name.toml:1:1: error: the file name `Bad Name` is not a valid incident id",
    );
}

#[test]
fn duplicate_ids_in_a_file_are_errors() {
    let (code, lines) = check_one("t.toml", &with("id = \"second\"", "id = \"first\""));
    assert_eq!(code, 1);
    assert_diag(
        &lines,
        "t.toml:12:1: error: duplicate statement id `first` (first used on line 5)",
    );
}

#[test]
fn two_files_with_the_same_stem_are_errors_in_both() {
    let dir = corpus(&[
        ("2021/dup.toml", VALID),
        ("2022/dup.toml", VALID),
        ("other.toml", VALID),
    ]);
    let run = run_on(dir.path(), &["check"]);
    assert_eq!(run.code, 1);
    for year in ["2021", "2022"] {
        let expected = format!(
            "{}/{year}/dup.toml:1:1: error: incident id `dup` is also",
            dir.path().display()
        );
        assert!(run.stdout.contains(&expected), "{expected}\n{}", run.stdout);
    }
    let list = run_on(dir.path(), &["list", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1, "only `other` loads");
    assert!(
        list.stderr.contains("2 files did not load"),
        "{}",
        list.stderr
    );
}

#[test]
fn a_source_that_names_nothing_is_an_error() {
    let (code, lines) = check_one(
        "t.toml",
        &with(
            "url = \"https://example.org/globex/1\"",
            "source = \"daily-exampel\"",
        ),
    );
    assert_eq!(code, 1);
    assert_diag(
        &lines,
        "t.toml:8:1: error: `source` = \"daily-exampel\" names no [[sources]] entry",
    );
}

#[test]
fn a_between_that_names_nothing_is_an_error() {
    let text = format!(
        "{VALID}\n[[contradictions]]\nbetween = [\"first\", \"secnd\"]\nverdict = \"contradicts\"\n"
    );
    let (code, lines) = check_one("t.toml", &text);
    assert_eq!(code, 1);
    assert_diag(
        &lines,
        "t.toml:19:21: error: `secnd` names no statement in this file; did you mean `second`?",
    );

    let text = format!(
        "{VALID}\n[[contradictions]]\nbetween = [\"other#first\", \"second\"]\nverdict = \"contradicts\"\n"
    );
    let dir = corpus(&[
        ("t.toml", &text),
        ("other.toml", &with("id = \"first\"", "id = \"premier\"")),
    ]);
    let run = run_on(dir.path(), &["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("t.toml:19:12: error: `other#first` names no statement: incident `other` has no statement `first`"), "{}", run.stdout);

    let dir = corpus(&[("t.toml", &text)]);
    let run = run_on(dir.path(), &["check"]);
    assert!(
        run.stdout.contains(
            "t.toml:19:12: error: `other#first` names no statement: there is no incident `other`"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_between_that_names_one_statement_twice_is_an_error() {
    let text = format!(
        "{VALID}\n[[contradictions]]\nbetween = [\"first\", \"t#first\"]\nverdict = \"consistent\"\n"
    );
    let (code, lines) = check_one("t.toml", &text);
    assert_eq!(code, 1);
    assert_diag(
        &lines,
        "t.toml:19:21: error: `between` names `t#first` twice",
    );
}

#[test]
fn dates_must_be_one_of_the_three_forms() {
    for (bad, fragment) in [
        (
            "date = \"November 2021\"",
            "is not a date: write a date like 2024-11-09",
        ),
        (
            "date = \"2021-01-05\"",
            "a full date is written without quotes",
        ),
        ("date = 2021-01-05T10:00:00", "has a time but no offset"),
        ("date = 10:00:00", "is not a date"),
        ("date = 2021", "`date` = an integer is not a date"),
        ("date = \"2021-13\"", "is not a date"),
    ] {
        let (code, lines) = check_one("t.toml", &with("date = 2021-01-05", bad));
        assert_eq!(code, 1, "{bad}");
        assert_diag(&lines, "t.toml:6:1: error: `date` = ");
        assert_diag(&lines, fragment);
    }
    for good in [
        "date = \"2021\"",
        "date = \"2021-01\"",
        "date = 2021-01-05T10:00:00+01:00",
    ] {
        let (code, lines) = check_one("t.toml", &with("date = 2021-01-05", good));
        assert_eq!(code, 0, "{good}: {lines:?}");
    }
}

#[test]
fn unknown_verdicts_and_kinds_are_errors_with_a_suggestion() {
    let text = format!(
        "{VALID}\n[[contradictions]]\nbetween = [\"first\", \"second\"]\nverdict = \"contradict\"\n"
    );
    let (code, lines) = check_one("t.toml", &text);
    assert_eq!(code, 1);
    assert_diag(
        &lines,
        "t.toml:20:1: error: `verdict` = \"contradict\" is not one of contradicts, partly-contradicts, walks-back, consistent, unrelated; did you mean `contradicts`?",
    );
    let (_, lines) = check_one(
        "t.toml",
        &with(
            "speaker = \"Hank Scorpio\"",
            "speaker = \"Hank Scorpio\"\nkind = \"qoute\"",
        ),
    );
    assert_diag(
        &lines,
        "t.toml:8:1: error: `kind` = \"qoute\" is not one of quote, paraphrase, document; did you mean `quote`?",
    );
}

#[test]
fn warnings_load_the_file_and_fail_only_when_strict() {
    let text = with(
        "text = \"We will never move the factory.\"",
        "text = \"We will never move the factory.\"\ntranslaton = \"x\"",
    )
    .replacen(
        "url = \"https://example.org/globex/2\"\n",
        "translation = \"y\"\n",
        1,
    );
    let text = format!(
        "{text}\n[[contradictions]]\nbetween = [\"second\", \"first\"]\nverdict = \"walks-back\"\n"
    );
    let (code, lines) = check_one("t.toml", &text);
    assert_eq!(code, 0, "{lines:?}");
    assert_diag(
        &lines,
        "t.toml:10:1: warning: unknown key `translaton` in this [[statements]] entry; did you mean `translation`?",
    );
    assert_diag(
        &lines,
        "t.toml:12:1: warning: this statement has neither `source` nor `url`",
    );
    assert_diag(&lines, "t.toml:16:1: warning: `translation` without `lang`");
    assert_diag(
        &lines,
        "t.toml:20:12: warning: `between` should name the earlier statement first",
    );
    let dir = corpus(&[("t.toml", &text)]);
    assert_eq!(run_on(dir.path(), &["check", "--strict"]).code, 1);
    let list = run_on(dir.path(), &["list", "--format", "json"]);
    assert_eq!(list.code, 0);
    assert!(list.stdout.contains("\"id\": \"t\""));
}

#[test]
fn json_diagnostics_are_valid_json() {
    let dir = corpus(&[("t.toml", "title = 3\n"), ("ok.toml", VALID)]);
    let run = run_on(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let first = &v.as_array().unwrap()[0];
    assert_eq!(first["line"], 1);
    assert_eq!(first["column"], 1);
    assert_eq!(first["severity"], "error");
    let clean = corpus(&[("ok.toml", VALID)]);
    let run = run_on(clean.path(), &["check", "--format", "json"]);
    assert_eq!(run.stdout.trim(), "[]");
}

#[test]
fn broken_files_of_every_kind_never_hide_the_rest() {
    let dir = corpus(&[("ok.toml", VALID), ("empty.toml", "")]);
    let p = dir.path();
    fs::write(p.join("latin1.toml"), b"title = \"caf\xe9\"\n").unwrap();
    fs::create_dir(p.join("folder.toml")).unwrap();
    fs::write(
        p.join("folder.toml/inner.toml"),
        VALID.replace("Globex Corp", "Initech"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("loop.toml", p.join("loop.toml")).unwrap();
    fs::write(p.join("README.md"), "not an incident").unwrap();
    fs::write(p.join(".ok.toml.swp"), "junk").unwrap();
    fs::write(p.join("ok.toml~"), "junk").unwrap();
    fs::create_dir(p.join(".git")).unwrap();
    fs::write(p.join(".git/x.toml"), "junk").unwrap();
    let huge = "Acme ".repeat(1_000_000);
    fs::write(
        p.join("huge.toml"),
        with(
            "text = \"We are moving the factory.\"",
            &format!("text = \"{huge}\""),
        ),
    )
    .unwrap();

    let run = run_on(p, &["check"]);
    assert_eq!(run.code, 1);
    let lines: Vec<String> = run
        .stdout
        .lines()
        .map(|l| l.replacen(&format!("{}/", p.display()), "", 1))
        .collect();
    assert_diag(
        &lines,
        "empty.toml:1:1: error: the incident is missing required key `title`",
    );
    assert_diag(&lines, "latin1.toml:1:13: error: not UTF-8");
    #[cfg(unix)]
    assert_diag(&lines, "loop.toml:1:1: error: cannot read the file");
    assert!(
        !run.stdout.contains("README")
            && !run.stdout.contains("swp")
            && !run.stdout.contains(".git")
    );
    assert!(
        run.stderr.contains("checked 6 files: 3 loaded"),
        "{}",
        run.stderr
    );

    let list = run_on(p, &["list", "--format", "json"]);
    assert_eq!(list.code, 0);
    let rows: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["huge", "inner", "ok"]);
    assert!(
        list.stderr.contains("3 files did not load"),
        "{}",
        list.stderr
    );
    let show = run_on(p, &["show", "huge#second", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&show.stdout).unwrap();
    assert_eq!(v["statement"]["text"].as_str().unwrap().len(), huge.len());
}

#[test]
fn no_such_folder_cannot_run() {
    let run = run_on(Path::new("/nonexistent/onrecord"), &["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("/nonexistent/onrecord: no such folder"),
        "{}",
        run.stderr
    );
}

fn toml_test_invalid() -> PathBuf {
    // Vendored from toml-lang/toml-test (MIT); see the folder's README.md and LICENSE.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/toml-test-invalid")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// Every invalid document of the TOML project's own test suite, beside one valid incident:
/// each is named with a position, none panics, and the valid incident still lists.
#[test]
fn every_invalid_toml_document_is_reported_and_the_rest_still_loads() {
    let mut sources = Vec::new();
    files_under(&toml_test_invalid(), &mut sources);
    sources.sort();
    assert_eq!(sources.len(), 509);

    let dir = corpus(&[("globex-valid.toml", VALID)]);
    for (i, src) in sources.iter().enumerate() {
        fs::copy(src, dir.path().join(format!("bad-{i:03}.toml"))).unwrap();
    }
    let run = run_on(dir.path(), &["check"]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let mut syntax = 0;
    for (i, src) in sources.iter().enumerate() {
        let prefix = format!("{}/bad-{i:03}.toml:", dir.path().display());
        let diag = run
            .stdout
            .lines()
            .find(|l| l.starts_with(&prefix) && l.contains(": error: "))
            .unwrap_or_else(|| panic!("{} ({}) has no error", prefix, src.display()));
        let position: Vec<&str> = diag[prefix.len()..].splitn(3, ':').take(2).collect();
        assert!(
            position.len() == 2
                && position
                    .iter()
                    .all(|n| n.parse::<u32>().is_ok_and(|n| n > 0)),
            "no line:col in {diag}"
        );
        if diag.contains("not valid TOML") || diag.contains("not UTF-8") {
            syntax += 1;
        }
    }
    // TOML 1.0 is the format: the parser itself must reject every one of them.
    assert_eq!(
        syntax,
        sources.len(),
        "some invalid documents were accepted as TOML"
    );

    let list = run_on(dir.path(), &["list", "--format", "json"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    let rows: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["id"], "globex-valid");
    assert!(
        list.stderr.contains("509 files did not load"),
        "{}",
        list.stderr
    );
}

/// The SARIF log holds what SARIF 2.1.0 requires of each object it uses (§3.13 sarifLog, §3.14
/// run, §3.18 toolComponent, §3.27 result, §3.28 location, §3.30 region), with values of the
/// types and ranges the standard gives, and every result's rule declared.
#[test]
fn sarif_output_is_a_well_formed_sarif_2_1_0_log() {
    let dir = corpus(&[
        (
            "globex.toml",
            &VALID.replace("date = 2021-01-05", "date = \"soon\""),
        ),
        (
            "a b/é.toml",
            &VALID.replace("url = \"https://example.org/globex/2\"\n", ""),
        ),
    ]);
    let run = run_on(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(
        log["$schema"]
            .as_str()
            .unwrap()
            .ends_with("sarif-2.1.0.json")
    );
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "onrecord");
    let rules: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(runs[0]["columnKind"], "unicodeCodePoints");
    let results = runs[0]["results"].as_array().unwrap();
    let mut levels = Vec::new();
    let mut uris = Vec::new();
    for r in results {
        assert!(rules.contains(&r["ruleId"].as_str().unwrap()), "{r}");
        let level = r["level"].as_str().unwrap();
        assert!(["none", "note", "warning", "error"].contains(&level));
        levels.push(level);
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let locations = r["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        let physical = &locations[0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.bytes().all(|b| b.is_ascii_graphic()),
            "a URI reference: {uri}"
        );
        uris.push(uri.to_string());
        let region = &physical["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
    }
    assert!(
        levels.contains(&"error") && levels.contains(&"warning"),
        "{levels:?}"
    );
    assert!(
        uris.iter().any(|u| u.ends_with("a%20b/%C3%A9.toml")),
        "{uris:?}"
    );
}

#[test]
fn github_annotations_for_every_diagnostic() {
    let dir = corpus(&[(
        "globex.toml",
        &VALID.replace("date = 2021-01-05", "date = \"soon\""),
    )]);
    let run = run_on(dir.path(), &["check", "--format", "github"]);
    assert_eq!(run.code, 1);
    let line = run.stdout.lines().next().unwrap();
    assert!(line.starts_with("::error file="), "{line}");
    assert!(
        line.contains("globex.toml,line=6,col=1::`date` = \"soon\" is not a date"),
        "{line}"
    );
}

const WITH_VERDICT: &str = r#"
[[contradictions]]
id = "first-vs-second"
between = ["first", "second"]
verdict = "contradicts"
"#;

#[test]
fn a_verdict_without_an_id_is_a_warning_that_names_the_fix() {
    let text = format!(
        "{VALID}{}",
        WITH_VERDICT.replace("id = \"first-vs-second\"\n", "")
    );
    let (code, lines) = check_one("globex.toml", &text);
    assert_eq!(code, 0, "{lines:?}");
    assert_diag(
        &lines,
        "globex.toml:18:1: warning: this verdict has no `id`",
    );
    assert_diag(&lines, "onrecord fix-ids");
    let (code, lines) = check_one("globex.toml", &format!("{VALID}{WITH_VERDICT}"));
    assert_eq!((code, lines.len()), (0, 0), "{lines:?}");
}

#[test]
fn verdict_ids_are_slugs_unique_in_their_file() {
    let twice = format!(
        "{VALID}{WITH_VERDICT}{}",
        WITH_VERDICT.replace("\"first\", \"second\"", "\"second\", \"first\"")
    );
    let (code, lines) = check_one("globex.toml", &twice);
    assert_eq!(code, 1);
    assert_diag(
        &lines,
        "globex.toml:24:1: error: duplicate verdict id `first-vs-second` (first used on line 19)",
    );
    let bad = format!(
        "{VALID}{}",
        WITH_VERDICT.replace("first-vs-second", "First vs")
    );
    let (code, lines) = check_one("globex.toml", &bad);
    assert_eq!(code, 1);
    assert_diag(
        &lines,
        "globex.toml:19:1: error: `id` = \"First vs\" is not a slug",
    );
}

#[test]
fn reviewed_must_name_one_side_of_the_pair() {
    let with = |value: &str| {
        format!(
            "{VALID}{}",
            WITH_VERDICT.replace(
                "verdict = \"contradicts\"",
                &format!("reviewed = {value}\nverdict = \"contradicts\"")
            )
        )
    };
    for ok in ["\"first\"", "\"second\"", "\"globex#second\""] {
        let (code, lines) = check_one("globex.toml", &with(ok));
        assert_eq!((code, lines.len()), (0, 0), "{ok}: {lines:?}");
    }
    let (code, lines) = check_one("globex.toml", &with("\"thrid\""));
    assert_eq!(code, 1);
    assert_diag(
        &lines,
        "globex.toml:21:1: error: `reviewed` = \"thrid\" names neither statement of `between`: \
         write one of \"first\" or \"second\"",
    );
    let (code, lines) = check_one("globex.toml", &with("\"Not a ref\""));
    assert_eq!(code, 1);
    assert_diag(&lines, "globex.toml:21:1: error: `reviewed`:");
    let (code, lines) = check_one("globex.toml", &with("3"));
    assert_eq!(code, 1);
    assert_diag(
        &lines,
        "globex.toml:21:1: error: `reviewed` must be a string",
    );
}
