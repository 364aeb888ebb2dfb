//! Provenance: saved copies of sources checked by `check`, quotes checked against them by
//! `verify`, sources added with `source add`, and second-hand statements (`via`) cited as
//! such. Every corpus here is made up (Acme Widgets, Globex).

use std::fs;
use std::path::Path;

mod common;
use common::{Run, run_on};

fn sha256(bytes: &[u8]) -> String {
    onrecord::snapshot::sha256_hex(bytes)
}

const REPORT: &str = "Acme Widgets a rappelé samedi sa tasse chauffante, a indiqué le \
quotidien Globex Gazette.\n\nLe groupe, affirmant que « la tasse est parfaitement sûre », a \
dit l’avoir retirée « par précaution ». « Nous   ne vendons pas\nles données de nos clients », \
ajoute Acme Widgets dans son texte.\n";

/// An incident whose source `wire` has a saved copy of `REPORT` (hash given, or the real one).
fn incident(snapshot: &str, hash: Option<&str>) -> String {
    let hash = hash.map_or_else(|| sha256(REPORT.as_bytes()), str::to_string);
    format!(
        r#"# Acme Widgets recalls its mug.
title = "Acme Widgets recalls its self-heating mug"
company = "Acme Widgets"

[[sources]]
id = "wire"
outlet = "Wire Service (Daily Example)"
snapshot = "{snapshot}"
sha256 = "{hash}"

[[sources]]
id = "gazette"
outlet = "Globex Gazette"

[[statements]]
id = "safe"
date = "2023-03"
speaker = "Acme Widgets"
source = "wire"
lang = "fr"
text = "la tasse est parfaitement sûre"

[[statements]]
id = "no-sale"
date = "2023-03"
speaker = "Acme Widgets"
source = "wire"
lang = "fr"
text = "Nous ne vendons pas les données de nos clients"

[[statements]]
id = "recall"
date = "2023-03"
speaker = "Acme Widgets"
kind = "paraphrase"
source = "wire"
via = "gazette"
lang = "fr"
text = "a rappelé samedi sa tasse chauffante"
"#
    )
}

/// A corpus folder with the incident and its saved copy in place.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("sources/acme-mug")).unwrap();
    fs::write(dir.path().join("sources/acme-mug/wire.txt"), REPORT).unwrap();
    fs::write(
        dir.path().join("acme-mug.toml"),
        incident("sources/acme-mug/wire.txt", None),
    )
    .unwrap();
    dir
}

#[test]
fn every_quote_verifies_against_its_saved_copy() {
    let dir = corpus();
    let check = run_on(dir.path(), &["check", "--strict"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let run = run_on(dir.path(), &["verify"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("3 verified, 0 unverified"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_one_word_edit_is_a_misquote_with_the_closest_passage_and_a_diff() {
    let dir = corpus();
    let path = dir.path().join("acme-mug.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace("parfaitement sûre\"", "totalement sûre\""),
    )
    .unwrap();
    let run = run_on(dir.path(), &["verify"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let line = text
        .lines()
        .position(|l| l.contains("parfaitement sûre\""))
        .unwrap()
        + 1;
    let expected = format!(
        "{}:{line}:1: error: quote not found in {}",
        path.display(),
        dir.path().join("sources/acme-mug/wire.txt").display()
    );
    assert!(run.stdout.contains(&expected), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("closest passage: la tasse est parfaitement sûre"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("[-totalement-]{+parfaitement+}"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("2 verified, 0 unverified, 1 not found"));

    let json = run_on(dir.path(), &["verify", "--format", "json"]);
    assert_eq!(json.code, 1);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["not_found"], 1);
    let miss = v["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "not-found")
        .unwrap();
    assert_eq!(miss["ref"], "acme-mug#safe");
    assert_eq!(miss["line"], line);
    assert_eq!(miss["closest"], "la tasse est parfaitement sûre");
    assert!(
        miss["ops"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["op"] == "delete" && o["text"] == "totalement")
    );
}

#[test]
fn the_bundled_incident_edited_in_a_copy_fails_verify() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("statements");
    fs::create_dir_all(dir.path().join("sources/temu-referral-data")).unwrap();
    for rel in [
        "temu-referral-data.toml",
        "sources/temu-referral-data/afp-le-figaro.txt",
    ] {
        fs::copy(root.join(rel), dir.path().join(rel)).unwrap();
    }
    assert_eq!(run_on(dir.path(), &["verify"]).code, 0);
    let path = dir.path().join("temu-referral-data.toml");
    let text = fs::read_to_string(&path).unwrap();
    let edited = text.replace(
        "\"Nous ne vendons pas et ne vendrons pas de données clients\"",
        "\"Nous ne vendons pas et ne vendrons jamais de données clients\"",
    );
    assert_ne!(edited, text);
    fs::write(&path, edited).unwrap();
    let run = run_on(dir.path(), &["verify"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("error: quote not found in"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "diff: Nous ne vendons pas et ne vendrons [-jamais-]{+pas+} de données clients"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn without_saved_copies_everything_is_unverified_and_that_is_not_an_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/good");
    let run = run_on(&dir, &["verify"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("0 verified, 4 unverified"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("acme-recall#mug-safe  source `daily-example` has no saved copy"),
        "{}",
        run.stdout
    );
}

#[test]
fn verify_exits_2_when_it_cannot_run() {
    let dir = corpus();
    assert_eq!(
        run_on(Path::new("/nonexistent/onrecord"), &["verify"]).code,
        2
    );
    let run = run_on(dir.path(), &["verify", "acme-mg"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `acme-mug`?"),
        "{}",
        run.stderr
    );
    assert_eq!(run_on(dir.path(), &["verify", "../x#y"]).code, 2);
    let one = run_on(dir.path(), &["verify", "acme-mug#safe"]);
    assert_eq!(one.code, 0);
    assert!(
        one.stdout.contains("1 verified, 0 unverified"),
        "{}",
        one.stdout
    );
}

#[test]
fn html_is_compared_by_its_visible_text() {
    let dir = tempfile::tempdir().unwrap();
    let html = "<!DOCTYPE html><html><head><title>Acme</title><script>var q = \"la tasse \
        est dangereuse\";</script></head><body><article><p>Acme Widgets&nbsp;: &laquo;&#160;la \
        tasse est <em>parfaitement</em>\n   s&ucirc;re&#160;&raquo;</p><!-- la tasse est \
        dangereuse --><p>L&rsquo;entreprise n&#x2019;a rien dit.</p></article></body></html>";
    fs::create_dir_all(dir.path().join("sources/globex")).unwrap();
    fs::write(dir.path().join("sources/globex/page.html"), html).unwrap();
    let toml = format!(
        r#"title = "Globex"
company = "Globex"
[[sources]]
id = "page"
outlet = "Daily Example"
snapshot = "sources/globex/page.html"
sha256 = "{}"
[[statements]]
id = "safe"
date = 2023-03-01
speaker = "Globex"
source = "page"
text = "«la tasse est parfaitement sûre»"
[[statements]]
id = "silent"
date = 2023-03-01
speaker = "Globex"
source = "page"
kind = "document"
text = "L'entreprise n'a rien dit."
[[statements]]
id = "hidden"
date = 2023-03-02
speaker = "Globex"
source = "page"
text = "la tasse est dangereuse"
"#,
        sha256(html.as_bytes())
    );
    fs::write(dir.path().join("globex.toml"), toml).unwrap();
    let run = run_on(dir.path(), &["verify", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let status = |id: &str| {
        v["statements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ref"] == format!("globex#{id}"))
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("safe"), "verified", "{}", run.stdout);
    assert_eq!(status("silent"), "verified", "{}", run.stdout);
    // Words only in a script or a comment were never shown to a reader.
    assert_eq!(status("hidden"), "not-found", "{}", run.stdout);
    assert_eq!(run.code, 1);
}

#[test]
fn a_paraphrase_far_from_its_source_is_a_warning() {
    let dir = corpus();
    let path = dir.path().join("acme-mug.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace(
            "text = \"a rappelé samedi sa tasse chauffante\"",
            "text = \"said it had recalled every kettle worldwide\"",
        ),
    )
    .unwrap();
    let run = run_on(dir.path(), &["verify"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains(": warning: paraphrase: only 0% of its words"),
        "{}",
        run.stdout
    );
    fs::write(
        &path,
        text.replace(
            "text = \"a rappelé samedi sa tasse chauffante\"",
            "text = \"a rappelé sa tasse chauffante samedi\"",
        ),
    )
    .unwrap();
    let run = run_on(dir.path(), &["verify"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("1 paraphrases close enough"),
        "{}",
        run.stdout
    );
}

/// The check error for a saved copy, as one line of `check`'s output.
fn check_error(dir: &Path) -> String {
    let run = run_on(dir, &["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stdout
        .lines()
        .find(|l| l.contains(": error: "))
        .unwrap_or_else(|| panic!("no error in {}", run.stdout))
        .to_string()
}

fn with_snapshot(snapshot: &str, hash: Option<&str>) -> tempfile::TempDir {
    let dir = corpus();
    fs::write(dir.path().join("acme-mug.toml"), incident(snapshot, hash)).unwrap();
    dir
}

#[test]
fn a_snapshot_path_must_stay_inside_the_corpus() {
    for (path, says) in [
        ("../outside.txt", "climbs out with `..`"),
        ("sources/../../outside.txt", "climbs out with `..`"),
        ("/etc/passwd", "is an absolute path"),
    ] {
        let dir = with_snapshot(path, None);
        let line = check_error(dir.path());
        assert!(
            line.contains(&format!(
                "acme-mug.toml:8:1: error: `snapshot` = \"{path}\" {says}"
            )),
            "{line}"
        );
        // A file whose snapshot path is wrong is left out like any file with an error.
        let list = run_on(dir.path(), &["list"]);
        assert!(
            list.stderr.contains("1 file did not load"),
            "{}",
            list.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn a_snapshot_linked_out_of_the_corpus_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), REPORT).unwrap();
    let dir = corpus();
    let link = dir.path().join("sources/acme-mug/wire.txt");
    fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), &link).unwrap();
    let line = check_error(dir.path());
    assert!(
        line.contains("acme-mug.toml:8:1: error: source `wire`:")
            && line.contains("leads outside the corpus folder"),
        "{line}"
    );
    let run = run_on(dir.path(), &["verify"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("leads outside the corpus folder"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("0 verified, 0 unverified, 3 with an unusable saved copy")
    );
}

#[test]
fn a_missing_changed_binary_or_huge_snapshot_is_an_error_naming_it() {
    let dir = corpus();
    let copy = dir.path().join("sources/acme-mug/wire.txt");
    let shown = copy.display().to_string();

    fs::remove_file(&copy).unwrap();
    let line = check_error(dir.path());
    assert!(
        line.contains(&format!("{shown}: the saved copy is missing")),
        "{line}"
    );

    fs::write(&copy, REPORT.replace("parfaitement", "totalement")).unwrap();
    let line = check_error(dir.path());
    assert!(
        line.contains(&format!(
            "{shown}: the saved copy changed since it was recorded"
        )),
        "{line}"
    );

    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    fs::write(&copy, &garbage).unwrap();
    fs::write(
        dir.path().join("acme-mug.toml"),
        incident("sources/acme-mug/wire.txt", Some(&sha256(&garbage))),
    )
    .unwrap();
    let line = check_error(dir.path());
    assert!(
        line.contains(&format!("{shown}: the saved copy is not UTF-8 text")),
        "{line}"
    );

    // A sparse 500 MB file: refused from its size, never read.
    let huge = fs::File::create(&copy).unwrap();
    huge.set_len(500 * 1024 * 1024).unwrap();
    drop(huge);
    let line = check_error(dir.path());
    assert!(
        line.contains(&format!(
            "{shown}: the saved copy is 524288000 bytes, over the 20 MB limit"
        )),
        "{line}"
    );
    let run = run_on(dir.path(), &["verify"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("over the 20 MB limit"),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_a_snapshot_does_not_hang() {
    let dir = corpus();
    let copy = dir.path().join("sources/acme-mug/wire.txt");
    fs::remove_file(&copy).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&copy).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here
    }
    let line = check_error(dir.path());
    assert!(
        line.contains("the saved copy is not a regular file"),
        "{line}"
    );
}

#[test]
fn a_bad_hash_or_a_hash_without_a_copy_is_reported() {
    let dir = with_snapshot("sources/acme-mug/wire.txt", Some("abc"));
    let line = check_error(dir.path());
    assert!(
        line.contains("error: `sha256` = \"abc\" is not a SHA-256"),
        "{line}"
    );
    let dir = corpus();
    let path = dir.path().join("acme-mug.toml");
    let text = fs::read_to_string(&path).unwrap();
    let hash = sha256(REPORT.as_bytes());
    fs::write(&path, text.replace(&format!("sha256 = \"{hash}\"\n"), "")).unwrap();
    let run = run_on(dir.path(), &["check"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains(&format!(
            "has a `snapshot` but no `sha256`: record sha256 = \"{hash}\""
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn via_must_name_a_source_and_is_cited_as_reported_by() {
    let dir = corpus();
    let show = run_on(dir.path(), &["show", "acme-mug#recall"]);
    assert_eq!(show.code, 0);
    assert!(
        show.stdout
            .contains("Globex Gazette, as reported by Wire Service (Daily Example)"),
        "{}",
        show.stdout
    );
    let json = run_on(dir.path(), &["show", "acme-mug#recall", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["statement"]["via"], "gazette");
    assert_eq!(v["via"]["outlet"], "Globex Gazette");

    let path = dir.path().join("acme-mug.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("via = \"gazette\"", "via = \"gazete\"")).unwrap();
    let line = check_error(dir.path());
    assert!(
        line.contains(
            "`via` = \"gazete\" names no [[sources]] entry in this file; did you mean `gazette`?"
        ),
        "{line}"
    );
}

#[test]
fn the_loader_never_reads_the_saved_copies_folder() {
    let dir = corpus();
    // A saved copy that happens to be TOML is not an incident.
    fs::write(
        dir.path().join("sources/acme-mug/page.toml"),
        "not = [valid",
    )
    .unwrap();
    let run = run_on(dir.path(), &["check", "--strict"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("checked 1 file"), "{}", run.stderr);
}

// `source add`

fn source_add(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["source", "add", "acme-mug"];
    all.extend_from_slice(args);
    run_on(dir, &all)
}

#[test]
fn source_add_appends_an_entry_and_keeps_every_other_byte() {
    let dir = corpus();
    let path = dir.path().join("acme-mug.toml");
    let before = fs::read_to_string(&path).unwrap();
    let page = tempfile::tempdir().unwrap();
    let file = page.path().join("gazette-2023.html");
    let html =
        "<html><body><p>Acme Widgets a rappelé samedi sa tasse chauffante.</p></body></html>";
    fs::write(&file, html).unwrap();
    let run = source_add(
        dir.path(),
        &[
            "--outlet",
            "Globex Gazette (print)",
            "--url",
            "https://example.org/2023/03/acme-mug",
            "--published",
            "2023-03-04",
            "--lang",
            "fr",
            "--snapshot",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("acme-mug source globex-gazette-print"),
        "{}",
        run.stdout
    );
    let after = fs::read_to_string(&path).unwrap();
    assert!(
        after.starts_with(&before),
        "every byte before the new entry is kept"
    );
    let added = &after[before.len()..];
    let hash = sha256(html.as_bytes());
    assert_eq!(
        added,
        format!(
            "\n[[sources]]\nid = \"globex-gazette-print\"\noutlet = \"Globex Gazette (print)\"\n\
             url = \"https://example.org/2023/03/acme-mug\"\npublished = 2023-03-04\n\
             lang = \"fr\"\nsnapshot = \"sources/acme-mug/gazette-2023.html\"\n\
             sha256 = \"{hash}\"\n"
        )
    );
    let copy = dir.path().join("sources/acme-mug/gazette-2023.html");
    assert_eq!(fs::read_to_string(&copy).unwrap(), html);
    assert_eq!(run_on(dir.path(), &["check", "--strict"]).code, 0);

    // The same file again under another id reuses the identical copy.
    let again = source_add(
        dir.path(),
        &[
            "--outlet",
            "Globex Gazette (print)",
            "--snapshot",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains("globex-gazette-print-2"),
        "{}",
        again.stdout
    );
    assert!(
        again.stdout.contains("already there, identical"),
        "{}",
        again.stdout
    );
}

#[test]
fn source_add_never_replaces_a_saved_copy() {
    let dir = corpus();
    let path = dir.path().join("acme-mug.toml");
    let before = fs::read(&path).unwrap();
    let page = tempfile::tempdir().unwrap();
    let file = page.path().join("wire.txt");
    fs::write(&file, "Another text with the same name.").unwrap();
    let run = source_add(
        dir.path(),
        &[
            "--outlet",
            "Daily Example",
            "--snapshot",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("another file already has this name: rename your copy"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("sources/acme-mug/wire.txt")).unwrap(),
        REPORT
    );
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn source_add_refuses_bad_input_and_writes_nothing() {
    let dir = corpus();
    let path = dir.path().join("acme-mug.toml");
    let before = fs::read(&path).unwrap();
    let page = tempfile::tempdir().unwrap();
    let huge = page.path().join("huge.txt");
    fs::File::create(&huge)
        .unwrap()
        .set_len(21 * 1024 * 1024)
        .unwrap();
    let binary = page.path().join("scan.pdf");
    fs::write(&binary, b"%PDF-1.7\n\x00\x01binary").unwrap();
    let huge = huge.to_str().unwrap();
    let binary = binary.to_str().unwrap();
    for (args, says) in [
        (
            vec!["--outlet", "X", "--snapshot", huge],
            "over the 20 MB limit",
        ),
        (vec!["--outlet", "X", "--snapshot", binary], "is a PDF"),
        (
            vec!["--outlet", "X", "--snapshot", "/nonexistent/page.txt"],
            "--snapshot: /nonexistent/page.txt",
        ),
        (
            vec!["--outlet", "X", "--url", "https://www.example.org/"],
            "home page",
        ),
        (
            vec!["--outlet", "X", "--url", "example.org/a"],
            "not a web address",
        ),
        (vec!["--outlet", "X", "--id", "wire"], "already a source"),
        (vec!["--outlet", "X", "--id", "Bad Id"], "not a slug"),
        (vec!["--outlet", " "], "--outlet"),
        (
            vec!["--outlet", "X", "--published", "March 2023"],
            "not a date",
        ),
    ] {
        let run = source_add(dir.path(), &args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        assert_eq!(fs::read(&path).unwrap(), before, "{args:?}");
    }
    let copies: Vec<_> = fs::read_dir(dir.path().join("sources/acme-mug"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(copies, ["wire.txt"]);
    let run = run_on(dir.path(), &["source", "add", "globex", "--outlet", "X"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no incident `globex`"),
        "{}",
        run.stderr
    );
}

#[test]
fn add_records_via() {
    let dir = corpus();
    let run = run_on(
        dir.path(),
        &[
            "add",
            "acme-mug",
            "--speaker",
            "Acme Widgets",
            "--date",
            "2023-03",
            "--kind",
            "paraphrase",
            "--source",
            "wire",
            "--via",
            "gazette",
            "--text",
            "a dit l’avoir retirée",
            "--id",
            "withdrawn",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fs::read_to_string(dir.path().join("acme-mug.toml")).unwrap();
    assert!(
        text.ends_with("source = \"wire\"\nvia = \"gazette\"\ntext = \"a dit l’avoir retirée\"\n"),
        "{text}"
    );
    let run = run_on(
        dir.path(),
        &[
            "add",
            "acme-mug",
            "--speaker",
            "A",
            "--date",
            "2023",
            "--via",
            "gazette",
            "--text",
            "t",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--via: say where the words were read"),
        "{}",
        run.stderr
    );
}

/// What the bundled incident credits to Le Parisien, read in the AFP dispatch, is cited as
/// such everywhere a citation is printed.
#[test]
fn second_hand_statements_are_cited_as_reported_by_their_source() {
    const CREDIT: &str = "Le Parisien, as reported by AFP (Le Figaro)";
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("statements");
    let show = run_on(&bundled, &["show", "temu-referral-data#campaign-terms"]);
    assert!(
        show.stdout.contains(&format!("cited as: {CREDIT}")),
        "{}",
        show.stdout
    );
    let own = run_on(&bundled, &["show", "temu-referral-data#afp-denial"]);
    assert!(
        own.stdout.contains("cited as: AFP (Le Figaro)\n"),
        "{}",
        own.stdout
    );

    let md = run_on(&bundled, &["export", "--format", "markdown"]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(md.stdout.contains(CREDIT), "{}", md.stdout);

    let cr = run_on(
        &bundled,
        &[
            "export",
            "--format",
            "claimreview",
            "--publisher",
            "Example Desk",
            "--review-url-base",
            "https://factcheck.example.org/reviews",
        ],
    );
    assert_eq!(cr.code, 0, "{}", cr.stderr);
    let v: serde_json::Value = serde_json::from_str(&cr.stdout).unwrap();
    // The claim under review is the later denial; the campaign terms, read in AFP's dispatch
    // and credited to Le Parisien, are the evidence.
    assert_eq!(v[0]["isBasedOn"]["appearance"][0]["name"], CREDIT, "{v}");

    let corpus = onrecord::store::load(&bundled).unwrap();
    let (inc, st) = corpus
        .statement(&onrecord::StatementRef::new(
            "temu-referral-data",
            "campaign-described",
        ))
        .unwrap();
    let copied = onrecord::tui::update::citation(inc, st);
    assert!(copied.contains(CREDIT), "{copied}");
}

#[test]
fn a_home_page_is_not_an_address_for_an_item() {
    let dir = corpus();
    let path = dir.path().join("acme-mug.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace(
            "outlet = \"Globex Gazette\"\n",
            "outlet = \"Globex Gazette\"\nurl = \"https://www.example.org/\"\n",
        ),
    )
    .unwrap();
    let run = run_on(dir.path(), &["check"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("warning: `url` = \"https://www.example.org/\" points at a home page"),
        "{}",
        run.stdout
    );
}
