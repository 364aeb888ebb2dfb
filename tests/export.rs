//! `onrecord export` as scripts and newsrooms use it: every format read back by a real client
//! (Python's `json` and `csv` modules, the `sqlite3` command-line tool), snapshots of the
//! formats people read, the shared filters, `--out` replaced atomically, and a hostile fixture
//! (formulas, terminal escapes, bidirectional overrides, Markdown and HTML) through every format.
//!
//! The clients must be installed (`apt-get install sqlite3 python3`); a test fails, never
//! passes silently, when one is missing.

use std::fs;
use std::path::Path;
use std::process::{Command as StdCommand, Output, Stdio};

use assert_cmd::Command;
use onrecord::Corpus;
use onrecord::text::csv_cell;
use serde_json::{Value, json};

const BASIC: &str = "tests/fixtures/export/basic";
const HOSTILE: &str = "tests/fixtures/export/hostile";
const FIXTURES: [&str; 2] = [BASIC, HOSTILE];
const PUBLISHER: [&str; 6] = [
    "--publisher",
    "Example Fact Desk",
    "--publisher-url",
    "https://factdesk.example.org",
    "--review-url-base",
    "https://factdesk.example.org/reviews/",
];

fn onrecord() -> Command {
    let mut cmd = Command::cargo_bin("onrecord").unwrap();
    cmd.env_remove("ONRECORD_DIR")
        .env("NO_COLOR", "1")
        .env("XDG_CONFIG_HOME", "/nonexistent/onrecord-test-config");
    cmd
}

fn export(dir: &str, args: &[&str]) -> Output {
    onrecord()
        .args(["export", "--dir", dir])
        .args(args)
        .output()
        .unwrap()
}

/// Standard output of a successful export.
fn exported(dir: &str, args: &[&str]) -> String {
    let out = export(dir, args);
    assert!(
        out.status.success(),
        "export {args:?} of {dir} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("exports are UTF-8")
}

fn load(dir: &str) -> Corpus {
    let corpus = onrecord::store::load(Path::new(dir)).unwrap();
    assert!(corpus.failed.is_empty(), "{dir} must load whole");
    corpus
}

/// A client program, or a failure that says what to install.
fn client(program: &str, package: &str) -> StdCommand {
    let found = StdCommand::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "`{program}` is needed to read the export back: install it (apt-get install {package})"
    );
    StdCommand::new(program)
}

/// Runs a Python script with the given arguments and parses what it prints as JSON.
fn python(script: &str, args: &[&Path]) -> Value {
    let out = client("python3", "python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}

/// Runs one query with the `sqlite3` tool and returns its rows as JSON objects.
fn sqlite(db: &Path, sql: &str) -> Vec<Value> {
    let out = client("sqlite3", "sqlite3")
        .arg("-bail")
        .arg("-json")
        .arg(db)
        .arg(sql)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "sqlite3 {sql:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    if text.trim().is_empty() {
        return Vec::new();
    }
    serde_json::from_str::<Vec<Value>>(&text).expect("sqlite3 -json prints a JSON array")
}

fn count(db: &Path, table: &str) -> u64 {
    sqlite(db, &format!("SELECT count(*) AS n FROM {table}"))[0]["n"]
        .as_u64()
        .unwrap()
}

fn opt(v: &Option<String>) -> Value {
    v.as_deref().map_or(Value::Null, |s| json!(s))
}

#[test]
fn the_fixtures_pass_check_without_warnings() {
    for dir in FIXTURES {
        onrecord()
            .args(["check", "--strict", "--dir", dir])
            .assert()
            .success();
    }
}

#[test]
fn snapshots_of_the_formats_people_read() {
    for (name, dir) in [("basic", BASIC), ("hostile", HOSTILE)] {
        let csv = exported(dir, &["--format", "csv"]);
        assert!(csv.ends_with("\r\n"), "RFC 4180 ends records with CRLF");
        insta::assert_snapshot!(format!("csv_{name}"), csv.replace("\r\n", "\n"));
        insta::assert_snapshot!(
            format!("markdown_{name}"),
            exported(dir, &["--format", "markdown"])
        );
        let mut args = vec!["--format", "claimreview"];
        args.extend(PUBLISHER);
        insta::assert_snapshot!(format!("claimreview_{name}"), exported(dir, &args));
        insta::assert_snapshot!(format!("json_{name}"), exported(dir, &["--format", "json"]));
    }
}

#[test]
fn json_reads_back_in_python_with_nothing_dropped() {
    const SCRIPT: &str = r#"
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
print(json.dumps(doc))
"#;
    for dir in FIXTURES {
        let corpus = load(dir);
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("corpus.json");
        let out = export(dir, &["--format", "json", "--out", path.to_str().unwrap()]);
        assert!(out.status.success());
        let doc = python(SCRIPT, &[&path]);
        assert_eq!(doc["format"], 1);
        let incidents = doc["incidents"].as_array().unwrap();
        assert_eq!(incidents.len(), corpus.incidents.len());
        for (inc, j) in corpus.incidents.iter().zip(incidents) {
            assert_eq!(j["id"], json!(inc.id));
            assert_eq!(j["title"], json!(inc.title));
            assert_eq!(j["company"], json!(inc.company));
            assert_eq!(j["summary"], opt(&inc.summary));
            assert_eq!(j["tags"], json!(inc.tags));
            let sources = j["sources"].as_array().unwrap();
            assert_eq!(sources.len(), inc.sources.len());
            for (s, js) in inc.sources.iter().zip(sources) {
                assert_eq!(js["outlet"], json!(s.outlet));
                assert_eq!(js["url"], opt(&s.url));
                assert_eq!(js["archived"], opt(&s.archived));
                assert_eq!(js["published"], json!(s.published.map(|d| d.iso())));
            }
            let statements = j["statements"].as_array().unwrap();
            assert_eq!(statements.len(), inc.statements.len());
            for (st, js) in inc.statements.iter().zip(statements) {
                assert_eq!(js["ref"], json!(format!("{}#{}", inc.id, st.id)));
                assert_eq!(js["date"], json!(st.date.iso()));
                assert_eq!(js["date_precision"], json!(st.date.precision()));
                assert_eq!(js["speaker"], json!(st.speaker));
                assert_eq!(js["organization"], json!(st.organization));
                assert_eq!(js["role"], opt(&st.role));
                assert_eq!(js["kind"], json!(st.kind));
                assert_eq!(js["channel"], opt(&st.channel));
                assert_eq!(js["source"], opt(&st.source));
                assert_eq!(js["url"], opt(&st.url));
                assert_eq!(js["lang"], opt(&st.lang));
                assert_eq!(js["text"], json!(st.text), "text is kept byte for byte");
                assert_eq!(js["translation"], opt(&st.translation));
                assert_eq!(js["tags"], json!(st.tags));
                assert_eq!(js["note"], opt(&st.note));
            }
            let verdicts = j["contradictions"].as_array().unwrap();
            assert_eq!(verdicts.len(), inc.contradictions.len());
            for (c, jc) in inc.contradictions.iter().zip(verdicts) {
                assert_eq!(jc["between"], json!(c.between));
                assert_eq!(jc["verdict"], json!(c.verdict));
                assert_eq!(jc["claim"], opt(&c.claim));
                assert_eq!(jc["note"], opt(&c.note));
                assert_eq!(jc["tagged_by"], opt(&c.tagged_by));
            }
        }
    }
}

#[test]
fn jsonl_is_one_statement_a_line_for_python() {
    const SCRIPT: &str = r#"
import json, sys
rows = []
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        rows.append(json.loads(line))
print(json.dumps(rows))
"#;
    for dir in FIXTURES {
        let corpus = load(dir);
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("statements.jsonl");
        fs::write(&path, exported(dir, &["--format", "jsonl"])).unwrap();
        let rows = python(SCRIPT, &[&path]);
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), corpus.statement_count());
        for ((inc, st), row) in corpus.statements().zip(rows) {
            assert_eq!(row["ref"], json!(format!("{}#{}", inc.id, st.id)));
            assert_eq!(row["incident"], json!(inc.id));
            assert_eq!(row["company"], json!(inc.company));
            assert_eq!(row["title"], json!(inc.title));
            assert_eq!(row["incident_tags"], json!(inc.tags));
            assert_eq!(row["text"], json!(st.text));
            assert_eq!(row["translation"], opt(&st.translation));
            assert_eq!(row["note"], opt(&st.note));
            assert_eq!(row["date"], json!(st.date.iso()));
            assert_eq!(row["kind"], json!(st.kind));
            assert_eq!(row["tags"], json!(st.tags));
        }
    }
}

const CSV_SCRIPT: &str = r#"
import csv, json, sys
with open(sys.argv[1], encoding=sys.argv[2], newline="") as f:
    print(json.dumps(list(csv.DictReader(f))))
"#;

#[test]
fn csv_reads_back_in_python_with_every_formula_neutralised() {
    for dir in FIXTURES {
        let corpus = load(dir);
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("statements.csv");
        let out = export(dir, &["--format", "csv", "--out", path.to_str().unwrap()]);
        assert!(out.status.success());
        let rows = python(CSV_SCRIPT, &[&path, Path::new("utf-8")]);
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), corpus.statement_count());
        let cell = |s: &str| json!(csv_cell(s));
        for ((inc, st), row) in corpus.statements().zip(rows) {
            assert_eq!(row["ref"], json!(format!("{}#{}", inc.id, st.id)));
            assert_eq!(row["title"], cell(&inc.title));
            assert_eq!(row["speaker"], cell(&st.speaker));
            assert_eq!(row["text"], cell(&st.text));
            assert_eq!(
                row["translation"],
                cell(st.translation.as_deref().unwrap_or(""))
            );
            assert_eq!(row["tags"], json!(st.tags.join(";")));
            assert_eq!(row["date"], json!(st.date.iso()));
            for (field, value) in row.as_object().unwrap() {
                let value = value.as_str().unwrap();
                assert!(
                    !value.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']),
                    "{field} = {value:?} would run as a formula"
                );
                assert!(
                    !value
                        .chars()
                        .any(|c| c != '\n' && onrecord::text::is_unsafe(c)),
                    "{field} = {value:?} carries a control character"
                );
            }
        }
    }
}

#[test]
fn csv_for_excel_starts_with_a_byte_order_mark() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("excel.csv");
    let out = export(
        BASIC,
        &[
            "--format",
            "csv",
            "--excel",
            "--out",
            path.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    let bytes = fs::read(&path).unwrap();
    assert!(bytes.starts_with("\u{feff}ref,".as_bytes()));
    let rows = python(CSV_SCRIPT, &[&path, Path::new("utf-8-sig")]);
    assert_eq!(rows[0]["ref"], json!("acme-recall#ceo-interview"));
    let plain = exported(BASIC, &["--format", "csv"]);
    assert!(!plain.starts_with('\u{feff}'));
}

#[test]
fn sqlite_opens_in_the_sqlite3_tool_with_keys_and_full_text_search() {
    for dir in FIXTURES {
        let corpus = load(dir);
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("corpus.db");
        let out = export(dir, &["--format", "sqlite", "--out", db.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            sqlite(&db, "PRAGMA integrity_check")[0]["integrity_check"],
            "ok"
        );
        assert!(
            sqlite(&db, "PRAGMA foreign_key_check").is_empty(),
            "every foreign key resolves"
        );
        let tags: usize = corpus.statements().map(|(_, s)| s.tags.len()).sum();
        let sources: usize = corpus.incidents.iter().map(|i| i.sources.len()).sum();
        assert_eq!(count(&db, "incidents"), corpus.incidents.len() as u64);
        assert_eq!(count(&db, "sources"), sources as u64);
        assert_eq!(count(&db, "statements"), corpus.statement_count() as u64);
        assert_eq!(count(&db, "statement_tags"), tags as u64);
        assert_eq!(
            count(&db, "contradictions"),
            corpus.contradictions().count() as u64
        );
        let rows = sqlite(
            &db,
            "SELECT ref, date, date_precision, speaker, kind, text, translation, tags
             FROM statements ORDER BY rowid",
        );
        for ((inc, st), row) in corpus.statements().zip(&rows) {
            assert_eq!(row["ref"], json!(format!("{}#{}", inc.id, st.id)));
            assert_eq!(row["date"], json!(st.date.iso()));
            assert_eq!(row["date_precision"], json!(st.date.precision()));
            assert_eq!(row["speaker"], json!(st.speaker));
            assert_eq!(row["kind"], json!(st.kind));
            assert_eq!(row["text"], json!(st.text), "text is kept byte for byte");
            assert_eq!(row["translation"], opt(&st.translation));
            let tags: Vec<String> = serde_json::from_str(row["tags"].as_str().unwrap()).unwrap();
            assert_eq!(
                tags, st.tags,
                "tags as a JSON array, for Datasette's facets"
            );
        }
        // Without accents, `donnees` finds "données", through the index over `statements`.
        let found = sqlite(
            &db,
            "SELECT s.ref FROM statements_fts JOIN statements AS s ON s.rowid = statements_fts.rowid
             WHERE statements_fts MATCH 'donnees' ORDER BY s.ref",
        );
        let expected: Vec<Value> = corpus
            .statements()
            .filter(|(_, s)| {
                let all = format!("{} {}", s.text, s.translation.as_deref().unwrap_or(""));
                all.contains("données")
            })
            .map(|(i, s)| json!({ "ref": format!("{}#{}", i.id, s.id) }))
            .collect();
        assert!(!expected.is_empty(), "{dir} has a statement with `données`");
        assert_eq!(found, expected);
        // Datasette offers a search box on `statements` when it finds this.
        let detected = sqlite(
            &db,
            r#"SELECT name FROM sqlite_master WHERE rootpage = 0
               AND sql LIKE '%VIRTUAL TABLE%USING FTS%content="statements"%'"#,
        );
        assert_eq!(detected, vec![json!({ "name": "statements_fts" })]);
    }
}

#[test]
fn sqlite_keys_and_indexes_are_declared() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("corpus.db");
    assert!(
        export(
            BASIC,
            &["--format", "sqlite", "--out", db.to_str().unwrap()]
        )
        .status
        .success()
    );
    let pk = sqlite(
        &db,
        "SELECT name FROM pragma_table_info('statements') WHERE pk > 0",
    );
    assert_eq!(pk, vec![json!({ "name": "ref" })]);
    let fks = sqlite(
        &db,
        "SELECT \"table\" AS t, \"from\" AS f FROM pragma_foreign_key_list('contradictions')
         ORDER BY f",
    );
    assert_eq!(
        fks,
        vec![
            json!({"t": "incidents", "f": "incident"}),
            json!({"t": "statements", "f": "statement_1"}),
            json!({"t": "statements", "f": "statement_2"}),
        ]
    );
    // Every foreign key column is the first column of an index.
    for (table, column) in [
        ("sources", "incident"),
        ("statements", "incident"),
        ("statement_tags", "ref"),
        ("contradictions", "incident"),
        ("contradictions", "statement_1"),
        ("contradictions", "statement_2"),
    ] {
        let indexed = sqlite(
            &db,
            &format!(
                "SELECT il.name FROM pragma_index_list('{table}') AS il
                 JOIN pragma_index_info(il.name) AS ii
                 WHERE ii.seqno = 0 AND ii.name = '{column}'"
            ),
        );
        assert!(!indexed.is_empty(), "{table}.{column} has no index");
    }
}

#[test]
fn filters_keep_matching_statements_and_verdicts_between_them() {
    let doc: Value = serde_json::from_str(&exported(
        BASIC,
        &["--format", "json", "--company", "globex"],
    ))
    .unwrap();
    let incidents = doc["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1);
    assert_eq!(incidents[0]["id"], "globex-breach");
    assert_eq!(incidents[0]["path"], "2024/globex-breach.toml");
    // The `unrelated` verdict names an Acme statement, which is not exported.
    let verdicts: Vec<&str> = incidents[0]["contradictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["partly-contradicts"]);

    let jsonl = exported(BASIC, &["--format", "jsonl", "--kind", "quote"]);
    let refs: Vec<String> = jsonl
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["ref"]
                .as_str()
                .unwrap()
                .into()
        })
        .collect();
    assert_eq!(
        refs,
        ["acme-recall#ceo-interview", "globex-breach#never-breached"]
    );
    let reviews = exported(
        BASIC,
        &[
            "--format",
            "claimreview",
            "--publisher",
            "Desk",
            "--since",
            "2024-04",
        ],
    );
    let reviews: Vec<Value> = serde_json::from_str(&reviews).unwrap();
    assert_eq!(
        reviews.len(),
        1,
        "only the walk-back lies wholly after March 2024"
    );
    assert_eq!(reviews[0]["reviewRating"]["ratingValue"], 3);
}

#[test]
fn nothing_matching_is_exit_1_with_valid_empty_output() {
    let out = export(BASIC, &["--format", "json", "--company", "initech"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc, json!({"format": 1, "incidents": []}));
    let out = export(BASIC, &["--format", "csv", "--company", "initech"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1);
    let out = export(
        BASIC,
        &[
            "--format",
            "claimreview",
            "--publisher",
            "Desk",
            "--kind",
            "document",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        json!([])
    );
}

#[test]
fn claimreview_takes_the_publisher_from_the_config_file() {
    let config = tempfile::tempdir().unwrap();
    fs::create_dir(config.path().join("onrecord")).unwrap();
    fs::write(
        config.path().join("onrecord/config.toml"),
        "[export]\npublisher = \"Example Fact Desk\"\n\
         review_url_base = \"https://factdesk.example.org/reviews\"\n",
    )
    .unwrap();
    let out = onrecord()
        .env("XDG_CONFIG_HOME", config.path())
        .args(["export", "--dir", BASIC, "--format", "claimreview"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reviews: Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &reviews[0];
    assert_eq!(first["author"]["name"], "Example Fact Desk");
    assert!(
        first["url"]
            .as_str()
            .unwrap()
            .starts_with("https://factdesk.example.org/reviews/")
    );
    // The flag wins over the file.
    let out = onrecord()
        .env("XDG_CONFIG_HOME", config.path())
        .args([
            "export",
            "--dir",
            BASIC,
            "--format",
            "claimreview",
            "--publisher",
            "Desk B",
        ])
        .output()
        .unwrap();
    let reviews: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reviews[0]["author"]["name"], "Desk B");
}

#[test]
fn usage_mistakes_say_what_to_add() {
    for (args, says) in [
        (vec!["--format", "sqlite"], "--out"),
        (vec!["--format", "claimreview"], "--publisher"),
        (vec!["--format", "json", "--excel"], "csv"),
        (vec!["--format", "csv", "--publisher", "X"], "claimreview"),
        (vec!["--format", "csv", "--since", "last-week"], "2024-11"),
    ] {
        let out = export(BASIC, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn out_replaces_the_file_whole_and_leaves_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    for format in ["json", "csv", "sqlite"] {
        let path = tmp.path().join(format!("corpus.{format}"));
        fs::write(&path, "an older export").unwrap();
        let out = export(
            BASIC,
            &["--format", format, "--out", path.to_str().unwrap()],
        );
        assert!(out.status.success());
        assert!(out.stdout.is_empty(), "--out writes nothing to stdout");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("6 statements from 2 incidents"), "{err}");
        assert_ne!(fs::read(&path).unwrap(), b"an older export");
    }
    let names: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "no temporary file is left: {names:?}");

    let missing = tmp.path().join("no-such-folder").join("x.json");
    let out = export(
        BASIC,
        &["--format", "json", "--out", missing.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("no-such-folder")
    );
}

#[test]
fn hostile_text_cannot_act_in_any_format() {
    let terminal_safe = |format: &str, text: &str| {
        let bad = text
            .chars()
            .find(|&c| c != '\n' && c != '\r' && onrecord::text::is_unsafe(c));
        assert_eq!(bad, None, "{format} carries a raw control character");
    };
    let mut claimreview = vec!["--format", "claimreview"];
    claimreview.extend(PUBLISHER);
    for args in [
        vec!["--format", "json"],
        vec!["--format", "jsonl"],
        vec!["--format", "csv"],
        vec!["--format", "markdown"],
        claimreview,
    ] {
        let text = exported(HOSTILE, &args);
        terminal_safe(args[1], &text);
        if args[1] != "csv" && args[1] != "markdown" {
            // Some JSON Lines readers split on U+2028; JavaScript before ES2019 rejects it.
            assert!(
                !text.contains('\u{2028}'),
                "{}: raw line separator",
                args[1]
            );
            assert!(
                !text.contains("</script"),
                "{}: could close a <script>",
                args[1]
            );
        }
    }
    let markdown = exported(HOSTILE, &["--format", "markdown"]);
    assert!(
        !markdown.replace("\\]", "").contains("](javascript:"),
        "no link to javascript:"
    );
    let unescaped = markdown.replace("\\<", "");
    assert!(!unescaped.contains("<img"), "no raw HTML");
    assert!(!unescaped.contains("<script"), "no raw HTML");
    for line in markdown.lines().filter(|l| l.starts_with('|')) {
        // Every row of a table has as many cells as its header: no `|` from a record counts.
        let cells = line.replace("\\|", "").matches('|').count();
        assert!(
            cells == 6 || cells == 3,
            "a record split a table row: {line}"
        );
    }
    for line in markdown.lines() {
        assert!(
            !line.starts_with("# ") && !line.starts_with("- ") && !line.starts_with("1. "),
            "record text started a block: {line}"
        );
    }
    let reviews: Vec<Value> = serde_json::from_str(&exported(
        HOSTILE,
        &["--format", "claimreview", "--publisher", "Desk"],
    ))
    .unwrap();
    for r in &reviews {
        for a in r["itemReviewed"]["appearance"]
            .as_array()
            .into_iter()
            .flatten()
        {
            assert!(a["url"].as_str().unwrap().starts_with("https://"), "{a}");
        }
    }
    assert_eq!(
        reviews[0]["claimReviewed"], "</script><script>alert(\"claim\")</script>",
        "escaped in the file, the claim reads back as written"
    );
}
