//! The ClaimReview export: a JSON array of schema.org `ClaimReview` objects, the exchange
//! format of fact-checks, one per verdict that finds a claim wanting (`contradicts`,
//! `partly-contradicts`, `walks-back`). The claim reviewed is the verdict's `claim`, else the
//! earlier statement, shortened; its author is the organization that made that statement.
//!
//! `ratingValue` is on a 1–5 scale of how well the claim stands against what came later
//! (`bestRating` 5, `worstRating` 1): 1 contradicted, 2 partly contradicted, 3 walked back by
//! the company itself, 5 consistent. A `consistent` verdict reviews nothing wanting and is not
//! exported, and 4 is not used; the scale leaves room for finer verdicts without renumbering.

use std::io::Write;

use serde::Serialize;

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
    /// Where reviews are published; a review's `url` is this followed by `/` and the id of
    /// the incident that holds the verdict.
    pub review_url_base: Option<String>,
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

/// How long `claimReviewed` may be when it is cut from a statement.
const CLAIM_CHARS: usize = 200;

#[derive(Serialize)]
struct ClaimReview<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(rename = "claimReviewed")]
    claim_reviewed: String,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    author: Organization<'a>,
    #[serde(rename = "reviewRating")]
    review_rating: Rating,
    #[serde(rename = "reviewBody", skip_serializing_if = "Option::is_none")]
    review_body: Option<&'a str>,
    #[serde(rename = "itemReviewed")]
    item_reviewed: Claim<'a>,
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
    #[serde(rename = "alternateName")]
    alternate_name: &'static str,
}

#[derive(Serialize)]
struct Claim<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    author: Organization<'a>,
    #[serde(rename = "datePublished")]
    date_published: String,
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
        .filter_map(|(inc, c)| review(corpus, inc, c, options))
        .collect();
    crate::output::write_json_value(&mut w, &reviews, true)?;
    writeln!(w)?;
    w.flush()?;
    Ok(Summary {
        verdicts: reviews.len(),
        ..selection.summary()
    })
}

fn review<'a>(
    corpus: &'a Corpus,
    holder: &'a Incident,
    c: &'a Contradiction,
    options: &'a ClaimReviewOptions,
) -> Option<ClaimReview<'a>> {
    let (value, words) = rating(c.verdict)?;
    let (a_inc, a) = corpus.statement(&c.between[0])?;
    let (b_inc, b) = corpus.statement(&c.between[1])?;
    // The claim is the earlier statement; `between` puts it first by convention only.
    let (claim_inc, claim) = if b.date < a.date {
        (b_inc, b)
    } else {
        (a_inc, a)
    };
    let appearances = appearances(claim_inc, claim);
    Some(ClaimReview {
        context: "https://schema.org",
        kind: "ClaimReview",
        url: options
            .review_url_base
            .as_deref()
            .map(|base| format!("{}/{}", base.trim_end_matches('/'), holder.id)),
        claim_reviewed: match &c.claim {
            Some(text) => text.trim().to_string(),
            None => shorten(&claim.text, CLAIM_CHARS),
        },
        date_published: c.tagged_at.map(|t| t.date_naive().to_string()),
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
            alternate_name: words,
        },
        review_body: c.note.as_deref().map(str::trim),
        item_reviewed: Claim {
            kind: "Claim",
            author: Organization {
                kind: "Organization",
                name: &claim.organization,
                url: None,
            },
            date_published: claim.date.iso(),
            first_appearance: appearances.first().cloned(),
            appearance: appearances,
        },
    })
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

/// Whitespace runs as one space, cut to at most `max` characters with an ellipsis.
fn shorten(s: &str, max: usize) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let flat = words.join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max - 1).collect();
    // Cut at a word boundary when one is near, rather than mid-word.
    if let Some(space) = out.rfind(' ').filter(|&i| i > max / 2) {
        out.truncate(space);
    }
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
}
