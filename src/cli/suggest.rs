//! `onrecord suggest`: candidate contradictions, ranked, each with its reasons.

use std::io::Write;

use clap::ValueEnum;

use super::{Context, Error, Paint, Status, write_json, write_jsonl};
use crate::query::FilterArgs;
use crate::suggest::suggest;
use crate::text::{first_line, one_line};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// At most this many suggestions
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
    Jsonl,
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let filter = args
        .filter
        .to_filter()
        .map_err(|e| Error::Usage(e.to_string()))?;
    let corpus = cx.load()?;
    let found = suggest(corpus, &filter, args.limit);
    match args.format {
        Format::Json => write_json(out, &found)?,
        Format::Jsonl => write_jsonl(out, &found)?,
        Format::Text => {
            let paint = Paint(cx.color);
            for (n, s) in found.iter().enumerate() {
                if n > 0 {
                    writeln!(out)?;
                }
                writeln!(
                    out,
                    "{}. {}  {} → {}",
                    n + 1,
                    paint.yellow(&format!("{:.2}", s.score)),
                    paint.bold(&s.between[0].to_string()),
                    paint.bold(&s.between[1].to_string())
                )?;
                for r in &s.between {
                    if let Some((_, st)) = corpus.statement(r) {
                        writeln!(
                            out,
                            "   {:<10} {}",
                            paint.dim(&st.date.human()),
                            first_line(&st.text, 100)
                        )?;
                    }
                }
                for reason in &s.reasons {
                    writeln!(out, "   {} {}", paint.yellow("!"), one_line(reason))?;
                }
                writeln!(
                    out,
                    "   {}",
                    paint.dim(&one_line(&format!("shared: {}", s.shared_terms.join(", "))))
                )?;
            }
            if found.is_empty() {
                eprintln!("onrecord: no candidate contradictions");
            }
        }
    }
    Ok(if found.is_empty() {
        Status::Findings
    } else {
        Status::Ok
    })
}
