//! `onrecord diff REF REF`: a word diff of two statements, as `git diff --word-diff` shows it,
//! and the changes that matter below it. Exits 0 when the texts compare equal, 1 when they
//! differ, as diff(1) does.

use std::io::{self, Write};

use serde::Serialize;

use super::{Context, Error, Paint, Status, write_json};
use crate::diff::{ClaimChange, Compared, Op, OpKind, diff_statements};
use crate::model::{Contradiction, Incident, Statement, StatementRef};
use crate::store::Corpus;
use crate::text::{one_line, sanitize};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The earlier statement, as `incident-id#statement-id`
    #[arg(value_name = "REF")]
    pub a: String,
    /// The later statement, as `incident-id#statement-id`
    #[arg(value_name = "REF")]
    pub b: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub use super::TextOrJson as Format;

/// `diff --format json`; the field names are stable.
#[derive(Debug, Serialize)]
struct Output<'a> {
    a: &'a StatementRef,
    b: &'a StatementRef,
    compared: Compared,
    ops: &'a [Op],
    changes: &'a [ClaimChange],
    /// The verdict a person recorded about the pair, if any.
    verdict: Option<&'a Contradiction>,
}

/// Finds a statement the command line names, or says why it cannot: a reference that names
/// nothing cannot be diffed (exit 2), which a script must tell apart from texts that differ
/// (exit 1).
pub fn resolve<'c>(
    corpus: &'c Corpus,
    arg: &str,
) -> Result<(StatementRef, &'c Incident, &'c Statement), Error> {
    let r = StatementRef::parse(arg, None).map_err(|e| Error::Usage(e.to_string()))?;
    if let Some((inc, st)) = corpus.statement(&r) {
        return Ok((r, inc, st));
    }
    Err(Error::Usage(super::missing(
        corpus,
        &r.incident,
        Some(&r.statement),
    )))
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let corpus = cx.load()?;
    let (ra, _, a) = resolve(corpus, &args.a)?;
    let (rb, _, b) = resolve(corpus, &args.b)?;
    let d = diff_statements(a, b);
    let verdict = corpus
        .contradictions()
        .find(|(_, c)| c.involves_pair(&ra, &rb))
        .map(|(_, c)| c);
    match args.format {
        Format::Json => write_json(
            out,
            &Output {
                a: &ra,
                b: &rb,
                compared: d.compared,
                ops: &d.ops,
                changes: &d.changes,
                verdict,
            },
        )?,
        Format::Text => {
            let paint = Paint(cx.color);
            writeln!(
                out,
                "{}",
                paint.red(&format!("--- {ra}  {}", super::show::byline(a)))
            )?;
            writeln!(
                out,
                "{}",
                paint.green(&format!("+++ {rb}  {}", super::show::byline(b)))
            )?;
            let compared = match d.compared {
                Compared::Text => "compared: text".to_string(),
                Compared::Translation => format!(
                    "compared: English translations (texts are in {} and {})",
                    one_line(a.lang.as_deref().unwrap_or("?")),
                    one_line(b.lang.as_deref().unwrap_or("?"))
                ),
            };
            writeln!(out, "{}", paint.dim(&compared))?;
            if let Some(c) = verdict {
                let mut line = format!("verdict on record: {}", paint.yellow(c.verdict.as_str()));
                if let Some(claim) = &c.claim {
                    line.push_str(&format!(" (claim: {})", one_line(claim)));
                }
                writeln!(out, "{line}")?;
            }
            writeln!(out)?;
            write_ops(out, &d.ops, paint)?;
            writeln!(out)?;
            if !d.changes.is_empty() {
                writeln!(out, "\n{}", paint.bold("changes that matter:"))?;
                for c in &d.changes {
                    writeln!(out, "  {} {}", paint.yellow("!"), one_line(&c.describe()))?;
                }
            }
        }
    }
    let same = d.ops.iter().all(|o| o.op == OpKind::Equal);
    Ok(if same { Status::Ok } else { Status::Findings })
}

/// The ops inline: red and green with colour, `[-removed-]{+added+}` without.
pub fn write_ops(out: &mut impl Write, ops: &[Op], paint: Paint) -> io::Result<()> {
    for o in ops {
        let text = sanitize(&o.text);
        match (o.op, paint.0) {
            (OpKind::Equal, _) => write!(out, "{text}")?,
            (OpKind::Delete, true) => write!(out, "{}", paint.red(&text))?,
            (OpKind::Insert, true) => write!(out, "{}", paint.green(&text))?,
            (OpKind::Delete, false) => write!(out, "[-{text}-]")?,
            (OpKind::Insert, false) => write!(out, "{{+{text}+}}")?,
        }
    }
    Ok(())
}
