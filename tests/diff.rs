//! `diff`, `timeline` and `suggest` on the command line, over the bundled seed incident and the
//! made-up companies of tests/fixtures/suggest-eval, and the evaluation of `suggest` against
//! the labels beside those fixtures.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use onrecord::model::StatementRef;
use onrecord::query::Filter;
use onrecord::suggest::suggest;
use serde::Deserialize;
use serde_json::Value;

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("statements")
}

fn eval_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suggest-eval")
}

fn onrecord(dir: &Path) -> Command {
    let mut cmd = common::onrecord();
    cmd.arg("--dir").arg(dir).env_remove("NO_COLOR");
    cmd
}

fn json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let out = onrecord(dir)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (v, out.status.code().unwrap())
}

const DENIAL: &str = "temu-referral-data#afp-denial";
const TERMS: &str = "temu-referral-data#campaign-terms";

#[test]
fn diff_of_the_seed_calls_out_the_negation() {
    let out = onrecord(&seed())
        .args(["diff", TERMS, DENIAL])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the texts differ");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\x1b'),
        "no colour when not a terminal: {text}"
    );
    assert!(text.contains("{+Nous ne vendons pas+}"), "{text}");
    assert!(text.contains("[-acheter-]"), "{text}");
    assert!(text.contains("compared: text"), "{text}");
    assert!(
        text.contains("negation gained: 'plusieurs données' → 'ne vendrons pas de données'"),
        "{text}"
    );
    assert!(text.contains("time changed: 'à vie' → (none)"), "{text}");
    assert!(text.contains("verdict on record: contradicts"), "{text}");
}

#[test]
fn diff_colours_on_request() {
    let out = onrecord(&seed())
        .args(["--color", "always", "diff", TERMS, DENIAL])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("\x1b[32mNous ne vendons pas\x1b[0m"),
        "{text}"
    );
    assert!(!text.contains("{+"), "{text}");
}

#[test]
fn diff_json_has_ops_and_changes() {
    let (v, code) = json(&seed(), &["diff", TERMS, DENIAL]);
    assert_eq!(code, 1);
    assert_eq!(v["a"], TERMS);
    assert_eq!(v["b"], DENIAL);
    assert_eq!(v["compared"], "text");
    let ops = v["ops"].as_array().unwrap();
    assert!(
        ops.iter()
            .any(|o| o["op"] == "insert" && o["text"] == "Nous ne vendons pas")
    );
    assert!(
        ops.iter()
            .all(|o| ["equal", "delete", "insert"].contains(&o["op"].as_str().unwrap()))
    );
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes[0]["kind"], "negation-gained");
    assert_eq!(changes[0]["b"], "ne vendrons pas de données");
}

#[test]
fn diff_across_languages_goes_through_the_translation() {
    let (v, _) = json(
        &eval_dir().join("statements"),
        &[
            "diff",
            "vexlo-roaming#jamais-facturer",
            "vexlo-roaming#daily-fee",
        ],
    );
    assert_eq!(v["compared"], "translation");
    let kinds: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"negation-lost"), "{v}");
}

#[test]
fn diff_of_a_statement_with_itself_exits_0() {
    let out = onrecord(&seed())
        .args(["diff", DENIAL, DENIAL])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn diff_names_a_missing_statement() {
    let out = onrecord(&seed())
        .args(["diff", TERMS, "temu-referral-data#afp-denail"])
        .output()
        .unwrap();
    // 1 means the texts differ; a reference that names nothing cannot be diffed at all.
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("did you mean `afp-denial`"), "{err}");
    let out = onrecord(&seed())
        .args(["diff", TERMS, "not a ref"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn company_timeline_of_the_seed() {
    let (v, code) = json(&seed(), &["timeline", "temu"]);
    assert_eq!(code, 0);
    let entries = v.as_array().unwrap();
    assert_eq!(entries.len(), 10);
    for e in entries {
        for key in ["ref", "date", "speaker", "text", "similarity", "flips"] {
            assert!(e.get(key).is_some(), "{key} missing in {e}");
        }
        assert!(e["similarity"].is_null());
    }
    let (v, code) = json(&seed(), &["timeline", "Initech"]);
    assert_eq!((v, code), (Value::Array(vec![]), 1));
}

#[test]
fn claim_timeline_of_the_denial() {
    let (v, code) = json(&seed(), &["timeline", DENIAL]);
    assert_eq!(code, 0);
    let entries = v.as_array().unwrap();
    assert_eq!(entries[0]["ref"], DENIAL);
    assert_eq!(entries[0]["claim"], true);
    let by_ref: HashMap<&str, &Value> = entries
        .iter()
        .map(|e| (e["ref"].as_str().unwrap(), e))
        .collect();
    let terms = by_ref[TERMS];
    assert_eq!(terms["verdict"], "contradicts");
    assert!(terms["similarity"].as_f64().unwrap() > 0.2);
    let described = by_ref["temu-referral-data#campaign-described"];
    assert_eq!(
        described["flips"], true,
        "vendre à vie against ne vendons pas"
    );
    let commitment = by_ref["temu-referral-data#clarity-commitment"];
    assert_eq!(commitment["flips"], false);
    assert!(commitment["similarity"].as_f64().unwrap() < described["similarity"].as_f64().unwrap());
    let text = onrecord(&seed())
        .args(["timeline", DENIAL])
        .output()
        .unwrap()
        .stdout;
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("polarity flips"), "{text}");
}

#[test]
fn suggest_on_the_seed_skips_the_judged_pair() {
    let (v, code) = json(&seed(), &["suggest"]);
    assert_eq!(code, 0);
    let found = v.as_array().unwrap();
    let pairs: Vec<(String, String)> = found
        .iter()
        .map(|s| {
            let b = s["between"].as_array().unwrap();
            (
                b[0].as_str().unwrap().to_string(),
                b[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        !pairs
            .iter()
            .any(|(a, b)| (a == TERMS && b == DENIAL) || (a == DENIAL && b == TERMS))
    );
    // The campaign, as described, sold data "à vie"; the denial says Temu does not sell.
    assert_eq!(
        pairs[0],
        (
            "temu-referral-data#campaign-described".to_string(),
            DENIAL.to_string()
        )
    );
    let reasons: Vec<&str> = found[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(reasons[0].starts_with("negation gained"), "{reasons:?}");
    assert!(
        found[0]["shared_terms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "vendre")
    );
    let (v, code) = json(&seed(), &["suggest", "--company", "initech"]);
    assert_eq!((v, code), (Value::Array(vec![]), 1));
    let out = onrecord(&seed())
        .args(["suggest", "--since", "soon"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[derive(Deserialize)]
struct Labels {
    pair: Vec<Labelled>,
}

#[derive(Deserialize)]
struct Labelled {
    between: [String; 2],
    label: String,
}

fn parse_ref(s: &str) -> StatementRef {
    StatementRef::parse(s, None).unwrap()
}

/// Precision and recall of `suggest` over the labelled pairs. Contradictions and walk-backs
/// should be suggested; any other suggestion, labelled or not, counts against precision.
#[test]
fn suggest_precision_and_recall_on_the_labelled_set() {
    let corpus = onrecord::store::load(&eval_dir().join("statements")).unwrap();
    assert!(corpus.failed.is_empty());
    let labels: Labels =
        toml::from_str(&std::fs::read_to_string(eval_dir().join("labels.toml")).unwrap()).unwrap();
    let mut label_of: HashMap<(StatementRef, StatementRef), &str> = HashMap::new();
    for p in &labels.pair {
        let (a, b) = (parse_ref(&p.between[0]), parse_ref(&p.between[1]));
        assert!(
            corpus.statement(&a).is_some() && corpus.statement(&b).is_some(),
            "{:?}",
            p.between
        );
        label_of.insert((b.clone(), a.clone()), &p.label);
        label_of.insert((a, b), &p.label);
    }
    let positive = |l: &str| matches!(l, "contradiction" | "walk-back");
    let positives = labels.pair.iter().filter(|p| positive(&p.label)).count();

    let found = suggest(&corpus, &Filter::default(), usize::MAX);
    // A limit keeps the best, in the same order.
    let top: Vec<_> = suggest(&corpus, &Filter::default(), 5)
        .into_iter()
        .map(|s| (s.between, s.score))
        .collect();
    let full: Vec<_> = found
        .iter()
        .take(5)
        .map(|s| (s.between.clone(), s.score))
        .collect();
    assert_eq!(top, full);
    let mut true_pos = 0;
    for s in &found {
        let label = label_of
            .get(&(s.between[0].clone(), s.between[1].clone()))
            .copied()
            .unwrap_or("unlabelled");
        let hit = positive(label);
        true_pos += usize::from(hit);
        println!(
            "{} {:.3} {} → {} [{label}] {:?}",
            if hit { "+" } else { "-" },
            s.score,
            s.between[0],
            s.between[1],
            s.reasons
        );
    }
    let precision = true_pos as f64 / found.len().max(1) as f64;
    let recall = true_pos as f64 / positives as f64;
    println!(
        "suggest on {} labelled pairs ({positives} to find): {} suggested, {true_pos} right; \
         precision {precision:.2}, recall {recall:.2}",
        labels.pair.len(),
        found.len()
    );
    assert!(precision >= 0.95, "precision {precision:.2}");
    assert!(recall >= 0.85, "recall {recall:.2}");

    // Within a company, no reaffirmation ranks above a real contradiction.
    let rank = |a: &str, b: &str| {
        found
            .iter()
            .position(|s| s.between[0] == parse_ref(a) && s.between[1] == parse_ref(b))
    };
    for p in labels.pair.iter().filter(|p| p.label == "reaffirmation") {
        let Some(r) = rank(&p.between[0], &p.between[1]) else {
            continue;
        };
        let incident = &parse_ref(&p.between[0]).incident;
        for c in labels.pair.iter().filter(|c| c.label == "contradiction") {
            if &parse_ref(&c.between[0]).incident == incident
                && let Some(rc) = rank(&c.between[0], &c.between[1])
            {
                assert!(
                    rc < r,
                    "reaffirmation {:?} ranks above {:?}",
                    p.between,
                    c.between
                );
            }
        }
    }
}

#[test]
fn match_finds_a_denial_of_a_new_quote() {
    let dir = eval_dir().join("statements");
    let (v, code) = json(
        &dir,
        &[
            "match",
            "We now charge a daily fee for roaming in Europe",
            "--company",
            "Vexlo Telecom",
        ],
    );
    assert_eq!(code, 0);
    let found = v.as_array().unwrap();
    assert_eq!(found[0]["ref"], "vexlo-roaming#jamais-facturer");
    assert_eq!(found[0]["relation"], "opposite");
    assert!(
        found[0]["reasons"][0]
            .as_str()
            .unwrap()
            .starts_with("negation lost"),
        "{v}"
    );
    assert!(
        found
            .iter()
            .any(|m| m["ref"] == "vexlo-roaming#daily-fee" && m["relation"] == "same")
    );

    // From standard input, and nothing alike: exit 1.
    let out = onrecord(&dir)
        .args(["match", "--text", "-"])
        .write_stdin("Acme sells widgets on Mars")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    // No quote at all is a usage error.
    let out = onrecord(&dir).args(["match"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn match_prints_hostile_record_text_inertly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("acme.toml"),
        "title = \"t\"\ncompany = \"Acme Widgets\"\n\n[[statements]]\nid = \"a\"\ndate = 2024-01-01\n\
         speaker = \"S\\u001b]0;pwned\\u0007\"\norganization = \"Acme Widgets\"\nkind = \"quote\"\n\
         url = \"https://example.com\"\ntext = \"We do not sell\\u001b[2J customer data\\u009b.\"\n",
    )
    .unwrap();
    let out = onrecord(dir.path())
        .args(["match", "We sell customer data"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(text.contains("negation lost"), "{text}");
}
