//! `onrecord search` and the search library over tests/fixtures/search: made-up companies,
//! French and English statements.

mod common;

use std::path::Path;

use assert_cmd::Command;
use onrecord::query::{Filter, parse_query};
use onrecord::search::{Field, MatchRank, SearchIndex, Searcher, search_once};
use onrecord::store;
use serde_json::Value;

const DIR: &str = "tests/fixtures/search";

fn onrecord() -> Command {
    let mut cmd = common::onrecord();
    cmd.env_remove("NO_COLOR");
    cmd.args(["--dir", DIR]);
    cmd
}

/// Runs `search` with JSON output and returns the hits.
fn search(args: &[&str]) -> Vec<Value> {
    let out = onrecord()
        .arg("search")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array().unwrap().clone()
}

fn refs(hits: &[Value]) -> Vec<&str> {
    hits.iter().map(|h| h["ref"].as_str().unwrap()).collect()
}

/// What each range of `field` covers in the hit's own text.
fn lit<'a>(hit: &'a Value, field: &str) -> Vec<&'a str> {
    let text = hit[field].as_str().unwrap();
    hit["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["field"] == field)
        .flat_map(|m| m["ranges"].as_array().unwrap())
        .map(|r| {
            let (a, b) = (r[0].as_u64().unwrap(), r[1].as_u64().unwrap());
            &text[a as usize..b as usize]
        })
        .collect()
}

#[test]
fn the_fixture_corpus_checks_clean() {
    onrecord().arg("check").assert().success();
}

#[test]
fn accents_and_case_fold_both_ways() {
    // A plain query finds accented text, newest first among equals.
    let hits = search(&["donnees"]);
    assert_eq!(
        refs(&hits),
        [
            "acme-data-sale#afp-denial",
            "acme-data-sale#campaign-terms",
            "initech-privacy#old-transcript"
        ]
    );
    assert_eq!(lit(&hits[0], "text"), ["données"]);
    assert_eq!(lit(&hits[2], "text"), ["donnees"]);
    // An accented, capitalised query finds plain text too.
    assert!(refs(&search(&["DONNÉES"])).contains(&"initech-privacy#old-transcript"));
    let hits = search(&["ECHEC"]);
    assert_eq!(
        refs(&hits),
        ["acme-data-sale#press-release", "globex-outage#status-post"]
    );
    assert_eq!(lit(&hits[1], "text"), ["Échec"]);
}

#[test]
fn ligatures_and_typographic_quotes_fold() {
    let hits = search(&["coeur"]);
    assert_eq!(refs(&hits), ["globex-outage#status-post"]);
    assert_eq!(lit(&hits[0], "text"), ["cœur"]);
    assert_eq!(refs(&search(&["cœur"])), ["globex-outage#status-post"]);
    let hits = search(&["didn't"]);
    assert_eq!(refs(&hits), ["globex-outage#apology"]);
    assert_eq!(lit(&hits[0], "text"), ["didn’t"]);
    assert_eq!(
        refs(&search(&["l’entreprise"])),
        ["acme-data-sale#press-release"]
    );
    // French guillemets quote a phrase like straight quotes do.
    assert_eq!(
        refs(&search(&["« ne vendons pas »"])),
        ["acme-data-sale#afp-denial"]
    );
}

#[test]
fn every_word_must_match() {
    assert_eq!(
        refs(&search(&["vendons question"])),
        ["acme-data-sale#widgets-only"]
    );
    // In different fields: a word of the company and one of the text.
    assert_eq!(
        refs(&search(&["globex cœur"])),
        ["globex-outage#status-post"]
    );
    onrecord()
        .args(["search", "vendons globex", "--format", "json"])
        .assert()
        .code(1)
        .stdout("[]\n");
}

#[test]
fn the_exact_phrase_ranks_first_and_a_quoted_phrase_is_required() {
    // The looser statement is newer, so only phrase ranking puts the denial first.
    let hits = search(&["ne vendons pas"]);
    assert_eq!(
        refs(&hits),
        ["acme-data-sale#afp-denial", "acme-data-sale#widgets-only"]
    );
    assert_eq!(hits[0]["rank"], "phrase");
    assert_eq!(hits[1]["rank"], "words");
    assert!(lit(&hits[0], "text").contains(&"ne vendons pas"));
    let hits = search(&["\"ne vendons pas\""]);
    assert_eq!(refs(&hits), ["acme-data-sale#afp-denial"]);
    // English works the same way.
    assert_eq!(
        refs(&search(&["\"sell customer data\""])),
        ["acme-data-sale#afp-denial"]
    );
}

#[test]
fn whole_words_rank_before_prefixes() {
    // "vend" is a whole word only in the oldest statement.
    let hits = search(&["vend"]);
    assert_eq!(
        refs(&hits),
        [
            "initech-privacy#old-transcript",
            "acme-data-sale#widgets-only",
            "acme-data-sale#afp-denial"
        ]
    );
    assert_eq!(hits[0]["rank"], "words");
    assert_eq!(hits[1]["rank"], "prefix");
    assert_eq!(lit(&hits[2], "text"), ["vend", "vend"]);
}

#[test]
fn typos_are_tolerated_and_rank_last() {
    let hits = search(&["locaton"]);
    assert_eq!(refs(&hits), ["acme-data-sale#location-data"]);
    assert_eq!(hits[0]["rank"], "fuzzy");
    assert_eq!(lit(&hits[0], "text"), ["location"]);
    // Swapped letters, and a French typo beside an exact word.
    assert_eq!(
        refs(&search(&["netwrok never"])),
        ["globex-outage#ceo-interview"]
    );
    assert_eq!(
        refs(&search(&["vendosn clients"])),
        ["acme-data-sale#afp-denial"]
    );
    // A typo hit ("record" for "records") comes after the exact one, though it is older.
    let hits = search(&["records"]);
    assert_eq!(
        refs(&hits),
        ["globex-outage#apology", "globex-outage#ceo-interview"]
    );
    assert_eq!(hits[0]["rank"], "words");
    assert_eq!(hits[1]["rank"], "fuzzy");
    // Words of three letters must be typed right.
    assert!(search(&["vnd"]).is_empty());
}

#[test]
fn filters_as_flags_and_as_tokens() {
    assert!(search(&["donnees", "--company", "globex"]).is_empty());
    assert_eq!(
        refs(&search(&["company:acme since:2024-11-05 donnees"])),
        ["acme-data-sale#afp-denial"]
    );
    assert_eq!(
        refs(&search(&["donnees", "--until", "2024-11-05"])),
        [
            "acme-data-sale#campaign-terms",
            "initech-privacy#old-transcript"
        ]
    );
    assert_eq!(
        refs(&search(&["data", "--kind", "document"])),
        [
            "acme-data-sale#location-data",
            "acme-data-sale#campaign-terms",
            "initech-privacy#policy"
        ]
    );
    assert_eq!(
        refs(&search(&["tag:denial", "sell"])),
        ["initech-privacy#tweet", "acme-data-sale#afp-denial"]
    );
    assert_eq!(
        refs(&search(&["speaker:roe", "network"])),
        ["globex-outage#ceo-interview"]
    );
    onrecord()
        .args(["search", "since:last-week", "vendons"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("2024-11"));
    onrecord()
        .args(["search", "x", "--kind", "rumour"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("quote, paraphrase or document"));
}

#[test]
fn filters_alone_list_statements_newest_first() {
    let hits = search(&["company:globex"]);
    assert_eq!(
        refs(&hits),
        [
            "globex-outage#hostile",
            "globex-outage#apology",
            "globex-outage#ceo-interview",
            "globex-outage#status-post"
        ]
    );
    assert!(hits.iter().all(|h| h["matches"] == Value::Array(vec![])));
}

#[test]
fn json_hits_carry_the_documented_fields() {
    let hits = search(&["temporairement", "--limit", "5"]);
    let h = &hits[0];
    for key in [
        "ref",
        "incident",
        "statement",
        "company",
        "organization",
        "date",
        "speaker",
        "kind",
        "lang",
        "text",
        "translation",
        "score",
        "matches",
    ] {
        assert!(h.get(key).is_some(), "missing {key}");
    }
    assert_eq!(h["incident"], "acme-data-sale");
    assert_eq!(h["statement"], "press-release");
    assert_eq!(h["kind"], "paraphrase");
    assert_eq!(h["date"], "2024-11-12");
    assert_eq!(lit(h, "text"), ["temporairement"]);
}

#[test]
fn limit_jsonl_and_csv() {
    assert_eq!(search(&["acme", "--limit", "2"]).len(), 2);
    let out = onrecord()
        .args(["search", "donnees", "--format", "jsonl"])
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let out = onrecord()
        .args(["search", "donnees", "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(&r.headers().unwrap()[0], "ref");
    assert_eq!(r.records().count(), 3);
}

#[test]
fn text_output_lights_matches_only_with_colour_and_stays_safe() {
    let out = onrecord()
        .args(["search", "cœur", "--color", "always"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\x1b[33mcœur\x1b[0m"), "{text}");
    assert!(text.contains("globex-outage#status-post"));
    let out = onrecord()
        .env("NO_COLOR", "1")
        .args(["search", "cœur"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b'), "{text}");
    // A record's escape sequence is shown, never sent, with colour on or off.
    for color in ["always", "never"] {
        let out = onrecord()
            .args(["search", "owns", "--color", color])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("␛[2J"), "{text}");
        assert!(!text.contains("\x1b[2J"), "{text}");
    }
    onrecord()
        .args(["search", "zzzz"])
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn list_takes_the_shared_filters() {
    let ids = |args: &[&str]| -> Vec<String> {
        let out = onrecord()
            .arg("list")
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&[]).len(), 3);
    assert_eq!(ids(&["--company", "acme"]), ["acme-data-sale"]);
    assert_eq!(
        ids(&["--tag", "denial"]),
        ["acme-data-sale", "initech-privacy"]
    );
    assert_eq!(
        ids(&["--since", "2025"]),
        ["acme-data-sale", "initech-privacy"]
    );
    assert_eq!(
        ids(&["--speaker", "jane", "--kind", "quote"]),
        ["globex-outage"]
    );
    onrecord()
        .args(["list", "--company", "nobody", "--format", "json"])
        .assert()
        .code(1)
        .stdout("[]\n");
    onrecord()
        .args(["list", "--until", "soon"])
        .assert()
        .code(2);
}

/// Typing a query one key at a time through a [`Searcher`] gives what a fresh search gives.
#[test]
fn narrowing_as_you_type_matches_a_fresh_search() {
    let corpus = store::load(Path::new(DIR)).unwrap();
    let index = SearchIndex::new(&corpus);
    for typed in [
        "ne vendons pas",
        "donnees clients",
        "\"ne vendons\" pas",
        "locaton device",
        "company:acme vend",
        "network globex",
    ] {
        let mut searcher = Searcher::new(&index);
        for end in typed.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let Ok((filter, words)) = parse_query(&typed[..end]) else {
                continue;
            };
            let fresh = index.search(&corpus, &words, &filter, 50);
            let narrowed = searcher.search(&corpus, &words, &filter, 50);
            assert_eq!(narrowed, fresh, "after typing {:?}", &typed[..end]);
        }
        // Deleting back to a shorter query must widen again.
        let (filter, words) = parse_query(&typed[..1]).unwrap();
        assert_eq!(
            searcher.search(&corpus, &words, &filter, 50),
            index.search(&corpus, &words, &filter, 50)
        );
    }
}

#[test]
fn ranges_fall_on_character_boundaries_of_the_original() {
    let corpus = store::load(Path::new(DIR)).unwrap();
    let index = SearchIndex::new(&corpus);
    for q in [
        "donnees",
        "echec",
        "coeur",
        "reseau",
        "l'entreprise",
        "deploiement",
        "a",
    ] {
        let hits = index.search(&corpus, q, &Filter::default(), 50);
        assert!(!hits.is_empty(), "{q}");
        for hit in &hits {
            let (inc, st) = hit.get(&corpus);
            for m in &hit.matches {
                let text = m.field.text(inc, st);
                for r in &m.ranges {
                    assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                    assert!(r.start < r.end);
                }
            }
        }
    }
    let hit = &index.search(&corpus, "reseau", &Filter::default(), 1)[0];
    let (inc, st) = hit.get(&corpus);
    let r = hit.ranges(Field::Text)[0].clone();
    assert_eq!(&Field::Text.text(inc, st)[r], "réseau");
    assert_eq!(hit.rank, MatchRank::Words);
}

/// Searches stop scanning once nothing left can rank higher, a prepared index reads
/// byte-pair sets, and a one-off search folds as it goes: none may change the ranking a full
/// scan gives, whatever the limit.
#[test]
fn preparing_the_index_never_changes_the_results() {
    let corpus = store::load(Path::new(DIR)).unwrap();
    let plain = SearchIndex::new(&corpus);
    let prepared = SearchIndex::new(&corpus);
    prepared.prepare();
    for q in [
        "d",
        "vend",
        "ne vendons pas",
        "ne vendons p",
        "donnees clients",
        "clients",
        "acme",
        "widgets",
        "network",
        "n",
        "locaton",
        "\"sell customer\" data",
        "globex network",
    ] {
        let filter = Filter::default();
        // With a limit above the corpus size no search can stop early: the full ranking.
        let all = plain.search(&corpus, q, &filter, 1000);
        for limit in [1, 2, 3, 50] {
            let want = &all[..limit.min(all.len())];
            assert_eq!(
                prepared.search(&corpus, q, &filter, limit),
                want,
                "{q:?} {limit}"
            );
            assert_eq!(
                plain.search(&corpus, q, &filter, limit),
                want,
                "{q:?} {limit}"
            );
            assert_eq!(
                search_once(&corpus, q, &filter, limit),
                want,
                "{q:?} {limit}"
            );
        }
        let (acme, _) = parse_query("company:acme").unwrap();
        assert_eq!(
            search_once(&corpus, q, &acme, 2),
            prepared.search(&corpus, q, &acme, 2),
            "{q:?} company:acme"
        );
    }
}

/// Over generated corpora: every prefix of queries made of the corpus's own words, typed one
/// key at a time through a [`Searcher`] on a prepared index (narrowing, stopping early,
/// one-letter terms placed from the letters table), gives exactly what a fresh search on an
/// unprepared index gives, at the interface's limit and at a short one.
#[test]
fn narrowed_searches_equal_fresh_ones_over_generated_corpora() {
    for seed in [1, 7] {
        let tmp = tempfile::tempdir().unwrap();
        onrecord::generate::generate(tmp.path(), 500, seed).unwrap();
        let corpus = store::load(tmp.path()).unwrap();
        let prepared = SearchIndex::new(&corpus);
        prepared.prepare();
        let plain = SearchIndex::new(&corpus);
        // Queries from the corpus's own statements: runs of words, single letters, a quoted
        // phrase, a company filter, and a typo.
        let mut state = seed;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n.max(1)
        };
        let all: Vec<_> = corpus
            .incidents
            .iter()
            .flat_map(|i| i.statements.iter().map(move |s| (i, s)))
            .collect();
        let mut queries = vec!["d x".to_string(), "a b c".to_string()];
        for _ in 0..5 {
            let (inc, st) = all[next(all.len())];
            let words: Vec<&str> = st.text.split_whitespace().collect();
            let from = next(words.len());
            let run = words[from..(from + 1 + next(3)).min(words.len())].join(" ");
            queries.push(run.clone());
            queries.push(format!("{} {run}", run.chars().next().unwrap_or('x')));
            queries.push(format!("\"{run}\""));
            queries.push(format!(
                "company:{} {run}",
                inc.company.split(' ').next().unwrap()
            ));
            let mut typo: Vec<char> = run.chars().collect();
            if typo.len() > 5 {
                typo.swap(2, 3);
            }
            queries.push(typo.into_iter().collect());
        }
        for typed in &queries {
            for limit in [1000, 20] {
                let mut searcher = Searcher::new(&prepared);
                for end in typed.char_indices().map(|(i, c)| i + c.len_utf8()) {
                    let Ok((filter, words)) = parse_query(&typed[..end]) else {
                        continue;
                    };
                    let fresh = plain.search(&corpus, &words, &filter, limit);
                    let narrowed = searcher.search(&corpus, &words, &filter, limit);
                    assert_eq!(narrowed, fresh, "seed {seed}, {:?}, {limit}", &typed[..end]);
                    if filter.is_empty() {
                        assert_eq!(
                            search_once(&corpus, &words, &filter, limit),
                            fresh,
                            "seed {seed}, {:?}, {limit}",
                            &typed[..end]
                        );
                    }
                }
            }
        }
    }
}
