//! `onrecord list`: one line per incident.

use std::io::Write;

use clap::ValueEnum;
use serde::Serialize;

use super::{Context, Error, Paint, Status, write_json, write_jsonl};
use crate::model::Incident;
use crate::output::CsvRows;
use crate::query::FilterArgs;
use crate::text::one_line;

#[derive(Debug, Default, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    // An incident is listed when any of its statements passes the filters.
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

/// One incident in `list`'s machine-readable output; the field names are stable.
#[derive(Debug, Serialize)]
pub struct Row<'a> {
    pub id: &'a str,
    pub company: &'a str,
    pub title: &'a str,
    pub first: Option<String>,
    pub last: Option<String>,
    pub statements: usize,
    pub verdicts: usize,
    pub path: String,
}

impl<'a> Row<'a> {
    pub fn new(i: &'a Incident) -> Row<'a> {
        let range = i.date_range();
        Row {
            id: &i.id,
            company: &i.company,
            title: &i.title,
            first: range.map(|(a, _)| a.iso()),
            last: range.map(|(_, b)| b.iso()),
            statements: i.statements.len(),
            verdicts: i.contradictions.len(),
            path: i.path.display().to_string(),
        }
    }
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let filter = args
        .filter
        .to_filter()
        .map_err(|e| Error::Usage(e.to_string()))?;
    let corpus = cx.load()?;
    let incidents: Vec<&Incident> = corpus
        .incidents
        .iter()
        .filter(|i| {
            filter.is_empty()
                || filter.matches_incident(i) && i.statements.iter().any(|s| filter.matches(i, s))
        })
        .collect();
    let rows: Vec<Row> = incidents.iter().map(|i| Row::new(i)).collect();
    match args.format {
        Format::Json => write_json(out, &rows)?,
        Format::Jsonl => write_jsonl(out, &rows)?,
        Format::Csv => write_csv(out, &rows)?,
        Format::Text => write_text(out, &incidents, Paint(cx.color))?,
    }
    Ok(if rows.is_empty() {
        Status::Findings
    } else {
        Status::Ok
    })
}

fn write_csv(out: &mut impl Write, rows: &[Row]) -> Result<(), Error> {
    let mut w = CsvRows::new(out);
    w.row([
        "id",
        "company",
        "title",
        "first",
        "last",
        "statements",
        "verdicts",
        "path",
    ])?;
    for r in rows {
        let (statements, verdicts) = (r.statements.to_string(), r.verdicts.to_string());
        let record = [
            r.id,
            r.company,
            r.title,
            r.first.as_deref().unwrap_or(""),
            r.last.as_deref().unwrap_or(""),
            &statements,
            &verdicts,
            &r.path,
        ];
        w.row(record)?;
    }
    w.flush()?;
    Ok(())
}

fn write_text(out: &mut impl Write, incidents: &[&Incident], paint: Paint) -> Result<(), Error> {
    let width = incidents.iter().map(|i| i.id.len()).max().unwrap_or(0);
    for i in incidents {
        let dates = match i.date_range() {
            Some((a, b)) if a == b => a.human(),
            Some((a, b)) => format!("{} – {}", a.human(), b.human()),
            None => String::new(),
        };
        let counts = format!(
            "{} statement{}, {} verdict{}",
            i.statements.len(),
            if i.statements.len() == 1 { "" } else { "s" },
            i.contradictions.len(),
            if i.contradictions.len() == 1 { "" } else { "s" },
        );
        writeln!(
            out,
            "{}  {}: {}  {}  {}",
            paint.bold(&format!("{:width$}", i.id)),
            paint.cyan(&one_line(&i.company)),
            one_line(&i.title),
            paint.dim(&dates),
            paint.dim(&counts),
        )?;
    }
    Ok(())
}
