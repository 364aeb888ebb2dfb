//! `onrecord timeline COMPANY|REF`: what a company said by date, or one claim against every
//! statement its organization made then or later.

use std::io::Write;

use super::{Context, Error, Paint, Status, write_json};
use crate::text::{one_line, sanitize};
use crate::timeline::{TimelineEntry, claim_timeline, company_timeline};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A company or organization ("Temu"), or a claim as `incident-id#statement-id`
    #[arg(value_name = "COMPANY|REF")]
    pub target: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub use super::TextOrJson as Format;

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let corpus = cx.load()?;
    let entries = if args.target.contains('#') {
        // A well-formed reference that names nothing is "nothing found" (1), as for `show`.
        crate::model::StatementRef::parse(&args.target, None)
            .map_err(|e| Error::Usage(e.to_string()))?;
        let (r, _, _) = match super::diff::resolve(corpus, &args.target) {
            Ok(found) => found,
            Err(e) => {
                eprintln!("onrecord: {}", crate::text::sanitize(&e.to_string()));
                return Ok(Status::Findings);
            }
        };
        claim_timeline(corpus, &r).unwrap_or_default()
    } else {
        let entries = company_timeline(corpus, &args.target);
        if entries.is_empty() {
            eprintln!(
                "onrecord: no statement of an organization named `{}` (`onrecord list` shows the \
                 companies)",
                one_line(&args.target)
            );
        }
        entries
    };
    match args.format {
        Format::Json => write_json(out, &entries)?,
        Format::Text => write_text(out, &entries, Paint(cx.color))?,
    }
    Ok(if entries.is_empty() {
        Status::Findings
    } else {
        Status::Ok
    })
}

fn write_text(
    out: &mut impl Write,
    entries: &[TimelineEntry],
    paint: Paint,
) -> std::io::Result<()> {
    for e in entries {
        let mut head = format!(
            "{:<10} {}  {}",
            e.date.human(),
            paint.bold(&e.reference.to_string()),
            paint.dim(&one_line(&format!("{} · {}", e.kind, e.speaker)))
        );
        if e.claim {
            head = format!("{} {head}", paint.cyan("claim"));
        }
        if let Some(s) = e.similarity {
            head.push_str(&format!("  similarity {:.2}", s));
        }
        if e.flips == Some(true) {
            head.push_str(&format!("  {}", paint.red("polarity flips")));
        }
        if let Some(v) = e.verdict {
            head.push_str(&format!("  verdict: {}", paint.yellow(v.as_str())));
        }
        writeln!(out, "{head}")?;
        for line in sanitize(&e.text).lines() {
            writeln!(out, "    {line}")?;
        }
        if let Some(t) = &e.translation {
            for line in sanitize(t).lines() {
                writeln!(out, "    {} {line}", paint.dim("→"))?;
            }
        }
        for c in &e.changes {
            writeln!(out, "    {} {}", paint.yellow("!"), one_line(c))?;
        }
        if e.claim && entries.len() > 1 {
            writeln!(out, "\n{}", paint.dim("then, from the same organization:"))?;
        }
    }
    Ok(())
}
