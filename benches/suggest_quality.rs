//! How well `suggest` finds contradictions in sentence pairs people labelled: RTE3-FR dev and
//! test, and GQNLI-FR in French, in English (its originals) and across languages (French text
//! with the English as its translation, against the English). The sets are in
//! tests/fixtures/nli-fr/ with their licences and origin.
//!
//! `cargo bench --bench suggest_quality` (add `-- -v` to list every pair found or missed on
//! RTE3-FR dev, the set the wording was tuned on; a word after `--` keeps only the sets whose
//! name contains it: `-- -v dev`). Last, the project's own labelled pairs, whose floors
//! tests/diff.rs asserts.
//!
//! Each pair becomes two statements of one organization, the premise earlier, and counts as
//! found when `suggest` puts it forward at its default threshold. Contradiction is scored
//! against the rest (entailment and neutral), per set, never pooled: base rates differ. Beside
//! each, a trivial cue: a negation on one side only, or a number on one side that the other
//! lacks.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use onrecord::claims::{Category, analyze};
use onrecord::model::{Date, Incident, Kind, Statement};
use onrecord::query::Filter;
use onrecord::store::Corpus;
use onrecord::suggest::suggest;

struct Pair {
    premise: String,
    hypothesis: String,
    /// GQNLI's English originals.
    english: Option<(String, String)>,
    contradiction: bool,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nli-fr")
}

/// Reads a set: `premise`, `hypothesis` and `label` columns (2 is contradiction), and the
/// English originals where the file has them.
fn read(file: &str) -> Vec<Pair> {
    let path = fixtures().join(file);
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_path(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().expect("a header row").clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (p, h, l) = (
        col("premise").expect("premise"),
        col("hypothesis").expect("hypothesis"),
        col("label").expect("label"),
    );
    let en = col("premise_original").zip(col("hypothesis_original"));
    r.records()
        .map(|rec| {
            let rec = rec.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Pair {
                premise: rec[p].to_string(),
                hypothesis: rec[h].to_string(),
                english: en.map(|(a, b)| (rec[a].to_string(), rec[b].to_string())),
                contradiction: rec[l].trim() == "2",
            }
        })
        .collect()
}

#[derive(Clone, Copy)]
enum Mode {
    French,
    English,
    /// The premise in French with its English translation; the hypothesis in English.
    Across,
}

fn statement(
    id: &str,
    date: &str,
    org: &str,
    lang: &str,
    text: &str,
    tr: Option<&str>,
) -> Statement {
    Statement {
        id: id.into(),
        date: Date::parse(date).expect("a date"),
        speaker: "Spokesperson".into(),
        organization: org.into(),
        role: None,
        kind: Kind::Quote,
        channel: None,
        source: None,
        via: None,
        url: Some("https://example.com".into()),
        lang: Some(lang.into()),
        text: text.into(),
        translation: tr.map(String::from),
        tags: vec![],
        note: None,
        line: 1,
    }
}

/// The two texts of a pair as this mode reads them, premise first: (lang, text, translation).
fn sides(p: &Pair, mode: Mode) -> [(&'static str, &str, Option<&str>); 2] {
    let en = p.english.as_ref();
    match mode {
        Mode::French => [("fr", &p.premise, None), ("fr", &p.hypothesis, None)],
        Mode::English => {
            let (a, b) = en.expect("English originals");
            [("en", a, None), ("en", b, None)]
        }
        Mode::Across => {
            let (a, b) = en.expect("English originals");
            [("fr", &p.premise, Some(a.as_str())), ("en", b, None)]
        }
    }
}

fn corpus(pairs: &[Pair], mode: Mode) -> Corpus {
    let incidents = pairs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let org = format!("Org {i}");
            let [(la, ta, tra), (lb, tb, trb)] = sides(p, mode);
            Incident {
                id: format!("pair-{i}"),
                path: format!("pair-{i}.toml").into(),
                fingerprint: 0,
                title: "t".into(),
                company: org.clone(),
                summary: None,
                tags: vec![],
                sources: vec![],
                statements: vec![
                    statement("premise", "2020-01-01", &org, la, ta, tra),
                    statement("hypothesis", "2021-01-01", &org, lb, tb, trb),
                ],
                contradictions: vec![],
            }
        })
        .collect();
    Corpus {
        incidents,
        ..Corpus::default()
    }
}

/// The trivial cue: a negation on one side only, or a number on one side the other lacks.
fn cue(a: &str, b: &str) -> bool {
    let (x, y) = (analyze(a), analyze(b));
    let (nx, ny) = (x.numbers(), y.numbers());
    x.has(Category::Negation) != y.has(Category::Negation)
        || nx.iter().any(|n| !ny.contains(n))
        || ny.iter().any(|n| !nx.contains(n))
}

#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }
    fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn evaluate(name: &str, pairs: &[Pair], mode: Mode, verbose: bool) {
    let c = corpus(pairs, mode);
    let found = suggest(&c, &Filter::default(), usize::MAX);
    let mut reasons: Vec<Option<&[String]>> = vec![None; pairs.len()];
    let mut scores = vec![0.0; pairs.len()];
    for s in &found {
        let i: usize = s.between[0].incident["pair-".len()..]
            .parse()
            .expect("a pair's incident");
        reasons[i] = Some(&s.reasons);
        scores[i] = s.score;
    }
    let (mut ours, mut trivial) = (Counts::default(), Counts::default());
    for (i, p) in pairs.iter().enumerate() {
        let [(_, a, _), (_, b, _)] = sides(p, mode);
        ours.add(reasons[i].is_some(), p.contradiction);
        trivial.add(cue(a, b), p.contradiction);
        if verbose && (reasons[i].is_some() || p.contradiction) {
            let mark = match (reasons[i].is_some(), p.contradiction) {
                (true, true) => "TP",
                (true, false) => "FP",
                _ => "FN",
            };
            println!(
                "{mark} {i}: {a}\n      → {b}\n      {:.3} {:?}",
                scores[i], reasons[i]
            );
        }
    }
    let positives = pairs.iter().filter(|p| p.contradiction).count();
    println!(
        "{name:<22} {:>4} pairs {:>3} contradictions | suggest P {:.2} R {:.2} F1 {:.2} \
         ({} found, {} false) | cue P {:.2} R {:.2} F1 {:.2}",
        pairs.len(),
        positives,
        ours.precision(),
        ours.recall(),
        ours.f1(),
        ours.tp,
        ours.fp,
        trivial.precision(),
        trivial.recall(),
        trivial.f1(),
    );
}

/// The project's own labelled pairs (tests/fixtures/suggest-eval, asserted in tests/diff.rs):
/// contradictions and walk-backs should be suggested; any other suggestion counts against
/// precision.
fn own_set() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suggest-eval");
    let corpus = onrecord::store::load(&dir.join("statements")).expect("the labelled corpus");
    let labels: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join("labels.toml")).expect("labels.toml"))
            .expect("labels.toml reads");
    let mut positive: HashSet<(String, String)> = HashSet::new();
    let pairs = labels["pair"].as_array().expect("[[pair]]");
    for p in pairs {
        let between = p["between"].as_array().expect("between");
        let (a, b) = (
            between[0].as_str().unwrap_or_default().to_string(),
            between[1].as_str().unwrap_or_default().to_string(),
        );
        if matches!(p["label"].as_str(), Some("contradiction" | "walk-back")) {
            positive.insert((b.clone(), a.clone()));
            positive.insert((a, b));
        }
    }
    let found = suggest(&corpus, &Filter::default(), usize::MAX);
    let right = found
        .iter()
        .filter(|s| positive.contains(&(s.between[0].to_string(), s.between[1].to_string())))
        .count();
    let counts = Counts {
        tp: right,
        fp: found.len() - right,
        fn_: (positive.len() / 2).saturating_sub(right),
    };
    println!(
        "{:<22} {:>4} pairs {:>3} contradictions | suggest P {:.2} R {:.2} F1 {:.2} \
         ({} found, {} false)",
        "own labelled set",
        pairs.len(),
        positive.len() / 2,
        counts.precision(),
        counts.recall(),
        counts.f1(),
        counts.tp,
        counts.fp,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let only: HashSet<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let dev = read("rte3-RTE3-FR-dev-set-3class.tsv");
    let test = read("rte3-RTE3-FR-test-gold-3class.tsv");
    let gqnli = read("gqnli-gqnli.test.fr.tsv");
    let sets: [(&str, &[Pair], Mode); 5] = [
        ("RTE3-FR dev", &dev, Mode::French),
        ("RTE3-FR test", &test, Mode::French),
        ("GQNLI-FR (fr)", &gqnli, Mode::French),
        ("GQNLI (en)", &gqnli, Mode::English),
        ("GQNLI (fr→en)", &gqnli, Mode::Across),
    ];
    for (name, pairs, mode) in sets {
        if only.is_empty() || only.iter().any(|o| name.contains(o)) {
            evaluate(name, pairs, mode, verbose && name == "RTE3-FR dev");
        }
    }
    if only.is_empty() || only.iter().any(|o| "own labelled set".contains(o)) {
        own_set();
    }
}
