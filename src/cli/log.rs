//! `onrecord log REF [REF]`: who changed an incident, a statement or a verdict, and when, from
//! the history of the git repository that holds the corpus.

use std::io::{self, Write};

use serde::Serialize;

use super::{Context, Error, Paint, Status, write_json};
use crate::git::history::{self, History, Target};
use crate::model::{StatementRef, is_slug};
use crate::text::one_line;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// An incident id, a statement as `incident-id#statement-id`, or with a second statement,
    /// the verdict about the two
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The other statement of a verdict
    #[arg(value_name = "REF")]
    pub other: Option<String>,
    /// At most this many changes, newest first
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub use super::TextOrJson as Format;

#[derive(Serialize)]
struct LogView<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    #[serde(flatten)]
    history: &'a History,
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    // Outside a repository there is no history to read: say so before loading anything.
    crate::git::toplevel(cx.dir())?;
    let corpus = cx.load()?;
    let not_found = |incident: &str, statement: Option<&str>| -> Result<Status, Error> {
        writeln!(
            io::stderr().lock(),
            "onrecord: {}",
            super::missing(corpus, incident, statement)
        )?;
        Ok(Status::Findings)
    };
    let (shown, path, target) = match &args.other {
        Some(other) => {
            let a = super::tag::parse_ref(&args.reference)?;
            let b = super::tag::parse_ref(other)?;
            for r in [&a, &b] {
                if corpus.statement(r).is_none() {
                    return not_found(&r.incident, Some(&r.statement));
                }
            }
            let Some((inc, c)) = corpus
                .contradictions()
                .find(|(_, c)| c.involves_pair(&a, &b))
            else {
                writeln!(
                    io::stderr().lock(),
                    "onrecord: `{a}` and `{b}` have no verdict on record (`onrecord tag` records one)"
                )?;
                return Ok(Status::Findings);
            };
            (
                format!("{a} {b}"),
                inc.path.clone(),
                Target::verdict(&a.to_string(), &b.to_string(), c.id.as_deref()),
            )
        }
        None => match args.reference.split_once('#') {
            Some((incident, statement)) => {
                let r = StatementRef::parse(&args.reference, None)
                    .map_err(|e| Error::Usage(one_line(&e.to_string()).into_owned()))?;
                match (corpus.statement(&r), corpus.incident(incident)) {
                    (Some((inc, st)), _) => {
                        (r.to_string(), inc.path.clone(), Target::statement(&st.id))
                    }
                    // A verdict by its id.
                    (None, Some(inc))
                        if inc
                            .contradictions
                            .iter()
                            .any(|c| c.id.as_deref() == Some(statement)) =>
                    {
                        let c = inc
                            .contradictions
                            .iter()
                            .find(|c| c.id.as_deref() == Some(statement))
                            .expect("found above");
                        let target = Target::verdict(
                            &c.between[0].to_string(),
                            &c.between[1].to_string(),
                            Some(statement),
                        );
                        (r.to_string(), inc.path.clone(), target)
                    }
                    _ => return not_found(incident, Some(statement)),
                }
            }
            None => {
                let id = &args.reference;
                if !is_slug(id) {
                    return Err(Error::Usage(format!(
                        "`{}` is neither an incident id nor a statement reference \
                         (`incident-id#statement-id`)",
                        one_line(id)
                    )));
                }
                let Some(inc) = corpus.incident(id) else {
                    return not_found(id, None);
                };
                (id.clone(), inc.path.clone(), Target::File)
            }
        },
    };
    let h = history::history(&path, &target, args.limit)?;
    match args.format {
        Format::Json => write_json(
            out,
            &LogView {
                reference: &shown,
                history: &h,
            },
        )?,
        Format::Text => {
            let paint = Paint(cx.color);
            writeln!(out, "{} in {}", paint.bold(&shown), one_line(&h.path))?;
            if h.uncommitted {
                writeln!(
                    out,
                    "{}",
                    paint.yellow("  changed in the work tree, not committed")
                )?;
            }
            for c in &h.changes {
                let renamed = c
                    .renamed_from
                    .as_ref()
                    .map(|f| format!(" (from {})", one_line(f)))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{}  {}  {:<8} {} <{}>  {}{renamed}",
                    paint.dim(c.commit.get(..10).unwrap_or(&c.commit)),
                    c.day(),
                    c.change.as_str(),
                    one_line(&c.author),
                    one_line(&c.email),
                    one_line(&c.subject),
                )?;
            }
            if h.changes.is_empty() {
                writeln!(out, "  no commit has it yet")?;
            }
        }
    }
    Ok(if h.changes.is_empty() {
        Status::Findings
    } else {
        Status::Ok
    })
}
