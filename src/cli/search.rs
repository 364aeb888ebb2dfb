//! `onrecord search QUERY`: the statements that match, best first, with what matched lit.

use std::io::Write;
use std::ops::Range;

use clap::ValueEnum;
use serde::Serialize;

use super::filter::FilterArgs;
use super::{Context, Error, Paint, Status, write_json, write_jsonl};
use crate::model::{Date, Kind};
use crate::output::CsvRows;
use crate::query::parse_query;
use crate::search::{Field, Hit, MatchRank, search_once};
use crate::store::Corpus;
use crate::text::one_line;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words, "quoted phrases" and filter tokens such as company:acme or since:2024-06
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// At most this many hits
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub filter: FilterArgs,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
    Jsonl,
    Csv,
}

/// Where a hit matched, as `search --format json` prints it.
#[derive(Debug, Serialize)]
pub struct MatchView {
    pub field: Field,
    /// `[start, end]` pairs: byte offsets, end excluded, into that field's text in the file
    /// (UTF-8, as this hit's `text`, `translation`, `speaker` and `organization` show it; for
    /// `title` and `company` the incident's; for `tags`, the statement's tags then its
    /// incident's, joined by single spaces).
    pub ranges: Vec<[usize; 2]>,
}

/// One hit in `search`'s machine-readable output; the field names are stable.
#[derive(Debug, Serialize)]
pub struct HitView<'a> {
    #[serde(rename = "ref")]
    pub reference: String,
    pub incident: &'a str,
    pub statement: &'a str,
    pub company: &'a str,
    pub organization: &'a str,
    pub date: Date,
    pub speaker: &'a str,
    pub kind: Kind,
    pub lang: Option<&'a str>,
    pub text: &'a str,
    pub translation: Option<&'a str>,
    pub score: i64,
    pub rank: MatchRank,
    pub matches: Vec<MatchView>,
}

impl<'a> HitView<'a> {
    pub fn new(corpus: &'a Corpus, hit: &Hit) -> HitView<'a> {
        let (inc, st) = hit.get(corpus);
        HitView {
            reference: format!("{}#{}", inc.id, st.id),
            incident: &inc.id,
            statement: &st.id,
            company: &inc.company,
            organization: &st.organization,
            date: st.date,
            speaker: &st.speaker,
            kind: st.kind,
            lang: st.lang.as_deref(),
            text: &st.text,
            translation: st.translation.as_deref(),
            score: hit.score,
            rank: hit.rank,
            matches: hit
                .matches
                .iter()
                .map(|m| MatchView {
                    field: m.field,
                    ranges: m.ranges.iter().map(|r| [r.start, r.end]).collect(),
                })
                .collect(),
        }
    }
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let usage = |e: crate::query::FilterError| Error::Usage(e.to_string());
    let mut filter = args.filter.to_filter().map_err(usage)?;
    let (tokens, words) = parse_query(&args.query.join(" ")).map_err(usage)?;
    filter.extend(tokens);
    // With no filter, a warm cache ranks from the folded text the snapshot keeps and reads
    // only the hits' files; a filter needs every record, so it loads the corpus.
    let warm = match filter.is_empty() {
        true => crate::cache::search(cx.dir(), &words, args.limit),
        false => None,
    };
    let (corpus, hits) = match warm {
        Some((corpus, hits)) => {
            super::report_failures(&corpus, &mut std::io::stderr().lock());
            (&*Box::leak(Box::new(corpus)), hits)
        }
        None => {
            let corpus = cx.load()?;
            (corpus, search_once(corpus, &words, &filter, args.limit))
        }
    };
    let views: Vec<HitView> = hits.iter().map(|h| HitView::new(corpus, h)).collect();
    match args.format {
        Format::Json => write_json(out, &views)?,
        Format::Jsonl => write_jsonl(out, &views)?,
        Format::Csv => write_csv(out, &views)?,
        Format::Text => write_text(out, corpus, &hits, Paint(cx.color))?,
    }
    Ok(if hits.is_empty() {
        Status::Findings
    } else {
        Status::Ok
    })
}

fn write_csv(out: &mut impl Write, views: &[HitView]) -> Result<(), Error> {
    let mut w = CsvRows::new(out);
    w.row([
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
        "rank",
    ])?;
    for v in views {
        let (date, score) = (v.date.iso(), v.score.to_string());
        let record = [
            v.reference.as_str(),
            v.incident,
            v.statement,
            v.company,
            v.organization,
            &date,
            v.speaker,
            v.kind.as_str(),
            v.lang.unwrap_or(""),
            v.text,
            v.translation.unwrap_or(""),
            &score,
            v.rank.as_str(),
        ];
        w.row(record)?;
    }
    w.flush()?;
    Ok(())
}

/// `s` on one line, safe to print, with `ranges` (byte offsets into `s`) lit. Each piece is
/// made safe on its own, so a lit range can never carry an escape sequence either.
pub fn lit(s: &str, ranges: &[Range<usize>], paint: Paint) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > s.len() || !s.is_char_boundary(r.start) {
            continue;
        }
        out.push_str(&one_line(&s[at..r.start]));
        out.push_str(&paint.yellow(&one_line(&s[r.start..r.end])));
        at = r.end;
    }
    out.push_str(&one_line(&s[at..]));
    out
}

fn write_text(
    out: &mut impl Write,
    corpus: &Corpus,
    hits: &[Hit],
    paint: Paint,
) -> Result<(), Error> {
    for hit in hits {
        let (inc, st) = hit.get(corpus);
        writeln!(
            out,
            "{}  {}  {}  {}",
            paint.bold(&format!("{}#{}", inc.id, st.id)),
            paint.dim(&st.date.human()),
            lit(&st.speaker, hit.ranges(Field::Speaker), paint),
            paint.dim(st.kind.as_str()),
        )?;
        writeln!(out, "    {}", lit(&st.text, hit.ranges(Field::Text), paint))?;
        if let Some(t) = &st.translation
            && !hit.ranges(Field::Translation).is_empty()
        {
            writeln!(
                out,
                "    {} {}",
                paint.dim("→"),
                lit(t, hit.ranges(Field::Translation), paint)
            )?;
        }
        for field in [
            Field::Organization,
            Field::Title,
            Field::Company,
            Field::Tags,
        ] {
            let ranges = hit.ranges(field);
            if !ranges.is_empty() {
                let text = field.text(inc, st);
                writeln!(
                    out,
                    "    {} {}",
                    paint.dim(&format!("{}:", field.as_str())),
                    lit(&text, ranges, paint)
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lit_text_stays_safe() {
        let s = "a\x1b[2Jé b";
        assert_eq!(lit(s, &[0..2, 5..7], Paint(false)), "a␛[2Jé b");
        assert_eq!(
            lit(s, &[0..2, 5..7], Paint(true)),
            "\x1b[33ma␛\x1b[0m[2J\x1b[33mé\x1b[0m b"
        );
    }
}
