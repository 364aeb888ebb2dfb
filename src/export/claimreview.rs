//! The ClaimReview export: a JSON array of schema.org `ClaimReview` objects, the exchange
//! format of fact-checks, one per verdict that finds a claim wanting (`contradicts`,
//! `partly-contradicts`, `walks-back`), each with its own address: the review base, the
//! incident id and the verdict id ([`review_url`]), which is where the HTML export puts the
//! verdict's page. The claim reviewed is the statement the verdict's `reviewed` names (the
//! later one by default); the other statement is the evidence, in `isBasedOn`.
//!
//! `ratingValue` is on a 1–5 scale of how well the claim stands against the evidence
//! (`bestRating` 5, `worstRating` 1): 1 contradicted, 2 partly contradicted, 3 walked back by
//! the company itself, 5 consistent. A `consistent` verdict reviews nothing wanting and is not
//! exported, and 4 is not used; the scale leaves room for finer verdicts without renumbering.

use std::io::Write;

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::{ExportError, Selection, Summary};
use crate::model::{Contradiction, Incident, Statement, Verdict};
use crate::query::Filter;
use crate::store::Corpus;

/// Who publishes the reviews, and where. Filled from the command line or the configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimReviewOptions {
    /// The publishing organization's name: the review's `author`.
    pub publisher: String,
    /// Its home page.
    pub publisher_url: Option<String>,
    /// Where reviews are published; a review's `url` is this, the incident id and the verdict
    /// id ([`review_url`]). The command line refuses to export without one, unless told to
    /// write [`PLACEHOLDER_BASE`].
    pub review_url_base: String,
    /// The language the reviews are written in (`inLanguage`, a BCP 47 tag), when given.
    pub review_lang: Option<String>,
}

/// The base written with `--placeholder-urls`: a reserved domain that can never resolve
/// (RFC 2606), so that a draft export cannot be published by mistake with working links.
pub const PLACEHOLDER_BASE: &str = "https://review-url-base.invalid";

/// A verdict's review address: `BASE/INCIDENT/VERDICT-ID/`, the folder the HTML export writes
/// the verdict's page into. Stable as long as the verdict's id is.
pub fn review_url(base: &str, incident: &str, verdict_id: &str) -> String {
    format!("{}/{incident}/{verdict_id}/", base.trim_end_matches('/'))
}

/// The best rating, and the scale's size.
pub const BEST_RATING: u8 = 5;
pub const WORST_RATING: u8 = 1;

/// A verdict's place on the 1–5 scale and its name in words, or `None` when the verdict
/// finds nothing wanting in the claim and makes no review.
pub fn rating(v: Verdict) -> Option<(u8, &'static str)> {
    match v {
        Verdict::Contradicts => Some((1, "Contradicted")),
        Verdict::PartlyContradicts => Some((2, "Partly contradicted")),
        Verdict::WalksBack => Some((3, "Walked back")),
        Verdict::Consistent | Verdict::Unrelated => None,
    }
}

/// How many characters (grapheme clusters) `claimReviewed` keeps when it is cut from a
/// statement: Google asks for a claim summary under 75 characters, so that it fits a phone's
/// screen without wrapping. A verdict's own `claim` is written whole.
pub const CLAIM_CHARS: usize = 75;

#[derive(Serialize)]
pub(crate) struct ClaimReview<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
    #[serde(rename = "claimReviewed")]
    claim_reviewed: String,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(rename = "inLanguage", skip_serializing_if = "Option::is_none")]
    in_language: Option<&'a str>,
    author: Organization<'a>,
    #[serde(rename = "reviewRating")]
    review_rating: Rating,
    #[serde(rename = "reviewBody", skip_serializing_if = "Option::is_none")]
    review_body: Option<&'a str>,
    #[serde(rename = "itemReviewed")]
    item_reviewed: Claim<'a>,
    #[serde(rename = "isBasedOn", skip_serializing_if = "Option::is_none")]
    is_based_on: Option<Claim<'a>>,
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Rating {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "ratingValue")]
    rating_value: u8,
    #[serde(rename = "bestRating")]
    best_rating: u8,
    #[serde(rename = "worstRating")]
    worst_rating: u8,
    name: &'static str,
    #[serde(rename = "alternateName")]
    alternate_name: &'static str,
}

/// A statement as schema.org sees it: the claim under review, or the evidence.
#[derive(Serialize)]
struct Claim<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    author: Organization<'a>,
    /// ISO 8601 at the file's precision: `2024`, `2024-11`, `2024-11-09` or a date-time.
    #[serde(rename = "datePublished")]
    date_published: String,
    #[serde(rename = "inLanguage", skip_serializing_if = "Option::is_none")]
    in_language: Option<&'a str>,
    text: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    appearance: Vec<CreativeWork>,
    #[serde(rename = "firstAppearance", skip_serializing_if = "Option::is_none")]
    first_appearance: Option<CreativeWork>,
}

#[derive(Serialize, Clone)]
struct CreativeWork {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    /// Whom the citation names, on the first appearance: "Le Parisien, as reported by AFP
    /// (Le Figaro)".
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

/// Writes every review of the selection as one indented JSON array (`[]` when there is none).
pub fn write_claimreview(
    mut w: impl Write,
    corpus: &Corpus,
    filter: &Filter,
    options: &ClaimReviewOptions,
) -> Result<Summary, ExportError> {
    let selection = Selection::new(corpus, filter);
    let reviews: Vec<ClaimReview> = selection
        .contradictions()
        .filter_map(|(inc, c, id)| review(corpus, inc, c, id, options))
        .collect();
    crate::output::write_json_value(&mut w, &reviews, true)?;
    writeln!(w)?;
    w.flush()?;
    Ok(Summary {
        verdicts: reviews.len(),
        ..selection.summary()
    })
}

/// The review of one verdict, or `None` when the verdict makes none (see [`rating`]).
pub(crate) fn review<'a>(
    corpus: &'a Corpus,
    holder: &'a Incident,
    c: &'a Contradiction,
    verdict_id: &str,
    options: &'a ClaimReviewOptions,
) -> Option<ClaimReview<'a>> {
    let (value, words) = rating(c.verdict)?;
    let (reviewed, evidence) = c.reviewed();
    let (claim_inc, claim) = corpus.statement(reviewed)?;
    let evidence = corpus.statement(evidence);
    Some(ClaimReview {
        context: "https://schema.org",
        kind: "ClaimReview",
        url: review_url(&options.review_url_base, &holder.id, verdict_id),
        claim_reviewed: match &c.claim {
            Some(text) => text.split_whitespace().collect::<Vec<_>>().join(" "),
            None => shorten(&claim.text, CLAIM_CHARS),
        },
        date_published: c.tagged_at.map(|t| super::iso_day(t.date_naive())),
        in_language: options.review_lang.as_deref(),
        author: Organization {
            kind: "Organization",
            name: &options.publisher,
            url: options.publisher_url.as_deref(),
        },
        review_rating: Rating {
            kind: "Rating",
            rating_value: value,
            best_rating: BEST_RATING,
            worst_rating: WORST_RATING,
            name: words,
            alternate_name: words,
        },
        review_body: c.note.as_deref().map(str::trim),
        item_reviewed: claim_of(claim_inc, claim),
        is_based_on: evidence.map(|(inc, st)| claim_of(inc, st)),
    })
}

fn claim_of<'a>(inc: &'a Incident, st: &'a Statement) -> Claim<'a> {
    let appearances = appearances(inc, st);
    Claim {
        kind: "Claim",
        author: Organization {
            kind: "Organization",
            name: &st.organization,
            url: None,
        },
        date_published: super::iso(&st.date),
        in_language: st.lang.as_deref(),
        text: &st.text,
        first_appearance: appearances.first().cloned(),
        appearance: appearances,
    }
}

/// Where the statement appeared: its own address first, then its source's, then the archive.
fn appearances<'a>(inc: &'a Incident, st: &'a Statement) -> Vec<CreativeWork> {
    let source = st.source.as_deref().and_then(|s| inc.source(s));
    let mut urls: Vec<String> = Vec::new();
    let candidates = [
        st.url.as_deref(),
        source.and_then(|s| s.url.as_deref()),
        source.and_then(|s| s.archived.as_deref()),
    ];
    for u in candidates.into_iter().flatten().filter_map(super::web_url) {
        if !urls.contains(&u) {
            urls.push(u);
        }
    }
    let mut works: Vec<CreativeWork> = urls
        .into_iter()
        .map(|url| CreativeWork {
            kind: "CreativeWork",
            url: Some(url),
            name: None,
        })
        .collect();
    // A statement read in one outlet that credits another is cited as such.
    if st.via.is_some()
        && let Some(credit) = inc.credit(st)
    {
        match works.first_mut() {
            Some(first) => first.name = Some(credit),
            None => works.push(CreativeWork {
                kind: "CreativeWork",
                url: None,
                name: Some(credit),
            }),
        }
    }
    works
}

/// Whitespace runs as one space, cut to at most `max` user-perceived characters (grapheme
/// clusters: an emoji, a flag or a letter with its combining accent is never split), at a
/// word boundary when one is near, with an ellipsis counted in the `max`.
pub fn shorten(s: &str, max: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let graphemes: Vec<&str> = flat.graphemes(true).collect();
    if graphemes.len() <= max {
        return flat;
    }
    let mut keep = max.saturating_sub(1);
    if let Some(space) = graphemes[..keep].iter().rposition(|g| *g == " ")
        && space > max / 2
    {
        keep = space;
    }
    let mut out: String = graphemes[..keep].concat();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_runs_from_worst_to_best() {
        for v in Verdict::ALL {
            if let Some((value, _)) = rating(v) {
                assert!((WORST_RATING..=BEST_RATING).contains(&value), "{v}");
            }
        }
        assert!(rating(Verdict::Consistent).is_none());
        assert!(rating(Verdict::Unrelated).is_none());
        assert!(rating(Verdict::Contradicts).unwrap().0 < rating(Verdict::WalksBack).unwrap().0);
    }

    #[test]
    fn long_claims_are_cut_at_a_word() {
        assert_eq!(shorten("a  b\nc", 10), "a b c");
        let long = "word ".repeat(100);
        let short = shorten(&long, 50);
        assert!(short.chars().count() <= 50, "{short}");
        assert!(short.ends_with("word…"), "{short}");
    }

    #[test]
    fn claims_are_cut_between_graphemes() {
        // A family emoji (seven code points), a flag (two) and an e with a combining acute
        // accent: none may be split, whatever the length.
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}";
        let flag = "\u{1F1EB}\u{1F1F7}";
        let accent = "e\u{301}";
        for unit in [family, flag, accent] {
            let text = unit.repeat(100);
            for max in 2..20 {
                let short = shorten(&text, max);
                let body = short.strip_suffix('…').unwrap();
                assert_eq!(body.graphemes(true).count(), max - 1, "{max}");
                assert!(body.graphemes(true).all(|g| g == unit), "{short:?}");
            }
        }
        assert_eq!(shorten(&"é".repeat(75), CLAIM_CHARS), "é".repeat(75));
    }
}
