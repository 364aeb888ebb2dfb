//! `onrecord verify [REF...]`: every quote against its source's saved copy, misquotes as
//! `path:line:col: error: ...` with the closest passage and a word diff.

use std::collections::HashSet;
use std::io::Write;

use serde::Serialize;

use super::{Context, Error, Paint, Status, write_json};
use crate::diff::OpKind;
use crate::model::{StatementRef, is_slug};
use crate::text::{one_line, sanitize};
use crate::verify::{Checked, Counts, Outcome, text_position, verify};

#[derive(Debug, Default, clap::Args)]
pub struct Args {
    /// Incident ids or `incident-id#statement-id` references [default: every statement]
    #[arg(value_name = "REF")]
    pub refs: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub use super::TextOrJson as Format;

#[derive(Serialize)]
struct Row<'a> {
    #[serde(rename = "ref")]
    reference: String,
    path: String,
    line: u32,
    column: u32,
    kind: &'a str,
    source: Option<&'a str>,
    snapshot: Option<String>,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

#[derive(Serialize)]
struct Report<'a> {
    #[serde(flatten)]
    counts: Counts,
    statements: Vec<Row<'a>>,
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let corpus = cx.load()?;
    let mut incidents = HashSet::new();
    let mut statements = HashSet::new();
    for r in &args.refs {
        if r.contains('#') {
            let sr = StatementRef::parse(r, None).map_err(|e| Error::Usage(e.to_string()))?;
            if corpus.statement(&sr).is_none() {
                return Err(Error::Usage(super::missing(
                    corpus,
                    &sr.incident,
                    Some(&sr.statement),
                )));
            }
            statements.insert(sr);
        } else {
            if !is_slug(r) || corpus.incident(r).is_none() {
                return Err(Error::Usage(super::missing(corpus, r, None)));
            }
            incidents.insert(r.as_str());
        }
    }
    let all = args.refs.is_empty();
    let results = verify(corpus, |inc, st| {
        all || incidents.contains(inc.id.as_str())
            || statements.contains(&StatementRef::new(&inc.id, &st.id))
    });
    let counts = Counts::of(&results);
    match args.format {
        Format::Json => {
            let rows = results
                .iter()
                .map(|c| {
                    let (line, column) = match c.outcome {
                        Outcome::NotFound { .. } | Outcome::Weak { .. } => {
                            text_position(c.incident, c.statement)
                        }
                        _ => (c.statement.line, 1),
                    };
                    Row {
                        reference: format!("{}#{}", c.incident.id, c.statement.id),
                        path: c.incident.path.display().to_string(),
                        line,
                        column,
                        kind: c.statement.kind.as_str(),
                        source: c.statement.source.as_deref(),
                        snapshot: c.snapshot.as_ref().map(|p| p.display().to_string()),
                        outcome: &c.outcome,
                    }
                })
                .collect();
            write_json(
                out,
                &Report {
                    counts,
                    statements: rows,
                },
            )?;
        }
        Format::Text => write_text(out, &results, counts, Paint(cx.color))?,
    }
    Ok(if counts.not_found + counts.unusable > 0 {
        Status::Findings
    } else {
        Status::Ok
    })
}

fn write_text(
    out: &mut impl Write,
    results: &[Checked],
    counts: Counts,
    paint: Paint,
) -> std::io::Result<()> {
    let mut unusable_shown = HashSet::new();
    for c in results {
        let snapshot = c
            .snapshot
            .as_ref()
            .map(|p| one_line(&p.display().to_string()).into_owned())
            .unwrap_or_default();
        let path = one_line(&c.incident.path.display().to_string()).into_owned();
        match &c.outcome {
            Outcome::NotFound { closest, ops } => {
                let (line, column) = text_position(c.incident, c.statement);
                writeln!(
                    out,
                    "{path}:{line}:{column}: {}: {} not found in {snapshot}",
                    paint.red("error"),
                    c.statement.kind
                )?;
                writeln!(
                    out,
                    "  {}#{}: {}",
                    one_line(&c.incident.id),
                    one_line(&c.statement.id),
                    one_line(&c.statement.text)
                )?;
                if closest.is_empty() {
                    writeln!(out, "  closest passage: none, the saved copy has no words")?;
                    continue;
                }
                writeln!(out, "  closest passage: {}", one_line(closest))?;
                write!(out, "  diff: ")?;
                for o in ops {
                    let text = one_line(&sanitize(&o.text)).into_owned();
                    match (o.op, paint.0) {
                        (OpKind::Equal, _) => write!(out, "{text}")?,
                        (OpKind::Delete, true) => write!(out, "{}", paint.red(&text))?,
                        (OpKind::Insert, true) => write!(out, "{}", paint.green(&text))?,
                        (OpKind::Delete, false) => write!(out, "[-{text}-]")?,
                        (OpKind::Insert, false) => write!(out, "{{+{text}+}}")?,
                    }
                }
                writeln!(out)?;
                if ops.iter().all(|o| o.op == OpKind::Equal) {
                    writeln!(
                        out,
                        "  (the words are the same: case, accents or punctuation differ)"
                    )?;
                }
            }
            Outcome::Weak { share } => {
                let (line, column) = text_position(c.incident, c.statement);
                writeln!(
                    out,
                    "{path}:{line}:{column}: {}: paraphrase: only {:.0}% of its words are in \
                     {snapshot}; check it says what the source says",
                    paint.yellow("warning"),
                    share * 100.0
                )?;
            }
            Outcome::Unusable { problem } => {
                let source = c.statement.source.as_deref().unwrap_or_default();
                if !unusable_shown.insert((c.incident.id.as_str(), source)) {
                    continue;
                }
                let line = c
                    .incident
                    .source(source)
                    .map_or(c.statement.line, |s| s.snapshot_line.max(s.line));
                writeln!(
                    out,
                    "{path}:{line}:1: {}: source `{}`: {}",
                    paint.red("error"),
                    one_line(source),
                    one_line(problem)
                )?;
            }
            Outcome::Verified | Outcome::Loose { .. } | Outcome::Unverified { .. } => {}
        }
    }
    if counts.unusable > 0 {
        writeln!(
            out,
            "{} statements could not be checked: their source's saved copy is unusable",
            counts.unusable
        )?;
    }
    if counts.unverified > 0 {
        writeln!(out, "unverified (no saved copy to check against):")?;
        for c in results {
            if let Outcome::Unverified { reason } = &c.outcome {
                writeln!(
                    out,
                    "  {}#{}  {}",
                    one_line(&c.incident.id),
                    one_line(&c.statement.id),
                    paint.dim(&one_line(reason))
                )?;
            }
        }
    }
    let mut line = format!(
        "{} verified, {} unverified",
        counts.verified, counts.unverified
    );
    if counts.loose > 0 {
        line.push_str(&format!(", {} paraphrases close enough", counts.loose));
    }
    if counts.weak > 0 {
        line.push_str(&format!(
            ", {} paraphrases far from their source",
            counts.weak
        ));
    }
    if counts.not_found > 0 {
        line.push_str(&format!(", {} not found", counts.not_found));
    }
    if counts.unusable > 0 {
        line.push_str(&format!(
            ", {} with an unusable saved copy",
            counts.unusable
        ));
    }
    writeln!(out, "{line}")
}
