//! Timelines: everything an organization said, across incidents, by date; or one claim
//! followed by every statement of the same organization made then or later, each with how
//! alike it is to the claim and whether its polarity flipped.

use serde::Serialize;

use crate::claims::{Compared, flips, similarity};
use crate::diff::diff_statements;
use crate::fold::fold;
use crate::model::{Date, Kind, Statement, StatementRef, Verdict};
use crate::store::Corpus;

/// One statement on a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    #[serde(rename = "ref")]
    pub reference: StatementRef,
    pub date: Date,
    pub speaker: String,
    pub organization: String,
    pub kind: Kind,
    pub text: String,
    pub translation: Option<String>,
    /// How alike it is to the claim, 0 to 1; `None` on a company timeline and for the claim.
    pub similarity: Option<f64>,
    /// Whether one denies what the other does not; `None` as for `similarity`.
    pub flips: Option<bool>,
    /// What changed from the claim, in plain words (empty on a company timeline).
    pub changes: Vec<String>,
    /// Which texts were compared with the claim.
    pub compared: Option<Compared>,
    /// Whether this entry is the claim itself.
    pub claim: bool,
    /// The verdict a person recorded between the claim and this statement, if any.
    pub verdict: Option<Verdict>,
}

fn entry(incident: &str, st: &Statement) -> TimelineEntry {
    TimelineEntry {
        reference: StatementRef::new(incident, &st.id),
        date: st.date,
        speaker: st.speaker.clone(),
        organization: st.organization.clone(),
        kind: st.kind,
        text: st.text.clone(),
        translation: st.translation.clone(),
        similarity: None,
        flips: None,
        changes: Vec::new(),
        compared: None,
        claim: false,
        verdict: None,
    }
}

/// Statements in date order; file order, then incident id, breaks ties.
fn by_date(corpus: &Corpus, keep: impl Fn(&Statement) -> bool) -> Vec<(&str, usize, &Statement)> {
    let mut v: Vec<(&str, usize, &Statement)> = corpus
        .incidents
        .iter()
        .flat_map(|inc| {
            inc.statements
                .iter()
                .enumerate()
                .map(move |(i, st)| (inc.id.as_str(), i, st))
        })
        .filter(|(_, _, st)| keep(st))
        .collect();
    v.sort_by(|a, b| (a.2.date, a.0, a.1).cmp(&(b.2.date, b.0, b.1)));
    v
}

/// Everything a company said, by date: the statements whose organization is `company`
/// (folded, so "temu" finds "Temu"), or, when none is, those whose organization contains it.
pub fn company_timeline(corpus: &Corpus, company: &str) -> Vec<TimelineEntry> {
    let wanted = fold(company.trim());
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut found = by_date(corpus, |st| fold(&st.organization) == wanted);
    if found.is_empty() {
        found = by_date(corpus, |st| fold(&st.organization).contains(&wanted));
    }
    found
        .into_iter()
        .map(|(inc, _, st)| entry(inc, st))
        .collect()
}

/// The claim, then every statement of its organization dated on or after it (a statement
/// known only to the month may be later than one dated in that month), each compared with
/// the claim. `None` when the claim is not in the corpus.
pub fn claim_timeline(corpus: &Corpus, claim: &StatementRef) -> Option<Vec<TimelineEntry>> {
    let (_, first) = corpus.statement(claim)?;
    let org = fold(&first.organization);
    let later = by_date(corpus, |st| {
        fold(&st.organization) == org && st.date.end() >= first.date.start()
    });
    let mut out = Vec::with_capacity(later.len());
    let mut head = entry(&claim.incident, first);
    head.claim = true;
    out.push(head);
    for (inc, _, st) in later {
        if inc == claim.incident && st.id == claim.statement {
            continue;
        }
        let mut e = entry(inc, st);
        let d = diff_statements(first, st);
        e.similarity = Some((similarity(first, st) * 1000.0).round() / 1000.0);
        e.flips = Some(flips(first, st));
        e.changes = d.changes.iter().map(|c| c.describe()).collect();
        e.compared = Some(d.compared);
        e.verdict = corpus
            .contradictions()
            .find(|(_, c)| c.involves_pair(claim, &e.reference))
            .map(|(_, c)| c.verdict);
        out.push(e);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Incident;

    fn st(id: &str, date: &str, org: &str, text: &str) -> Statement {
        Statement {
            id: id.into(),
            date: Date::parse(date).unwrap(),
            speaker: "Spokesperson".into(),
            organization: org.into(),
            role: None,
            kind: Kind::Quote,
            channel: None,
            source: None,
            via: None,
            url: None,
            lang: None,
            text: text.into(),
            translation: None,
            tags: vec![],
            note: None,
            line: 1,
        }
    }

    fn incident(id: &str, statements: Vec<Statement>) -> Incident {
        Incident {
            id: id.into(),
            path: format!("{id}.toml").into(),
            fingerprint: 0,
            title: "t".into(),
            company: "Acme".into(),
            summary: None,
            tags: vec![],
            sources: vec![],
            statements,
            contradictions: vec![],
        }
    }

    fn corpus() -> Corpus {
        Corpus {
            incidents: vec![
                incident(
                    "a-2019",
                    vec![
                        st(
                            "promise",
                            "2019-03-01",
                            "Acme",
                            "We will never close the plant.",
                        ),
                        st("other", "2019-01-01", "Globex Corp", "We sell widgets."),
                    ],
                ),
                incident(
                    "b-2021",
                    vec![
                        st("closing", "2021-06-01", "ACME", "We will close the plant."),
                        st("before", "2018-06-01", "Acme", "The plant is open."),
                    ],
                ),
            ],
            ..Corpus::default()
        }
    }

    #[test]
    fn company_timeline_is_by_date_across_incidents() {
        let c = corpus();
        let refs: Vec<String> = company_timeline(&c, "acme")
            .iter()
            .map(|e| e.reference.to_string())
            .collect();
        assert_eq!(refs, ["b-2021#before", "a-2019#promise", "b-2021#closing"]);
        assert_eq!(company_timeline(&c, "glob").len(), 1);
        assert!(company_timeline(&c, "initech").is_empty());
    }

    #[test]
    fn claim_timeline_compares_later_statements() {
        let c = corpus();
        let t = claim_timeline(&c, &StatementRef::new("a-2019", "promise")).unwrap();
        assert_eq!(t.len(), 2);
        assert!(t[0].claim && t[0].similarity.is_none());
        assert_eq!(t[1].reference.to_string(), "b-2021#closing");
        assert_eq!(t[1].flips, Some(true));
        assert!(t[1].similarity.unwrap() > 0.5);
        assert!(
            t[1].changes[0].starts_with("negation lost"),
            "{:?}",
            t[1].changes
        );
        assert!(claim_timeline(&c, &StatementRef::new("a-2019", "nope")).is_none());
    }
}
