//! `onrecord match "TEXT"`: has this been said, or denied, before? Statements on record that
//! say the same as a new quote or the opposite, most alike first, each with its reasons.

use std::io::{Read, Write};

use super::filter::FilterArgs;
use super::{Context, Error, Paint, Status, write_json};
use crate::matching::{Relation, match_quote};
use crate::text::{first_line, one_line};

/// A quote read from standard input is read up to this many bytes.
const MAX_STDIN: u64 = 16 * 1024 * 1024;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new quote; `-` reads it from standard input
    #[arg(value_name = "TEXT", conflicts_with = "text")]
    pub quote: Option<String>,
    /// The new quote, as an option; `-` reads it from standard input
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// At most this many statements
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub use super::TextOrJson as Format;

fn quote(args: &Args) -> Result<String, Error> {
    let given = args.quote.as_ref().or(args.text.as_ref()).ok_or_else(|| {
        Error::Usage("give the quote to match: onrecord match \"TEXT\", or --text - to read it from standard input".into())
    })?;
    if given != "-" {
        return Ok(given.clone());
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_STDIN)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Usage(format!("could not read the quote from standard input: {e}")))?;
    String::from_utf8(bytes)
        .map_err(|_| Error::Usage("the quote on standard input is not UTF-8 text".into()))
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let filter = args
        .filter
        .to_filter()
        .map_err(|e| Error::Usage(e.to_string()))?;
    let text = quote(args)?;
    if text.trim().is_empty() {
        return Err(Error::Usage("the quote to match is empty".into()));
    }
    let corpus = cx.load()?;
    let found = match_quote(corpus, &text, &filter, args.limit);
    match args.format {
        Format::Json => write_json(out, &found)?,
        Format::Text => {
            let paint = Paint(cx.color);
            for (n, m) in found.iter().enumerate() {
                if n > 0 {
                    writeln!(out)?;
                }
                let relation = match m.relation {
                    Relation::Same => paint.cyan("says the same"),
                    Relation::Opposite => paint.red("says the opposite"),
                    Relation::Related => paint.dim("related"),
                };
                writeln!(
                    out,
                    "{}. {}  {}  similarity {:.2}  {relation}",
                    n + 1,
                    paint.bold(&m.reference.to_string()),
                    paint.dim(&m.date.human()),
                    m.similarity,
                )?;
                writeln!(
                    out,
                    "   {}",
                    paint.dim(&one_line(&format!("{} · {}", m.organization, m.speaker)))
                )?;
                writeln!(out, "   {}", first_line(&m.text, 100))?;
                for reason in &m.reasons {
                    writeln!(out, "   {} {}", paint.yellow("!"), one_line(reason))?;
                }
                writeln!(
                    out,
                    "   {}",
                    paint.dim(&one_line(&format!("shared: {}", m.shared_terms.join(", "))))
                )?;
            }
            if found.is_empty() {
                eprintln!("onrecord: nothing on record matches this quote");
            }
        }
    }
    Ok(if found.is_empty() {
        Status::Findings
    } else {
        Status::Ok
    })
}
