//! `onrecord check`: every diagnostic of the corpus, one a line.

use std::io::{self, Write};

use clap::ValueEnum;

use super::{Context, Error, Paint, Status, write_json};
use crate::check::Severity;
use crate::text::one_line;

#[derive(Debug, Default, clap::Args)]
pub struct Args {
    /// Fail on warnings too
    #[arg(long)]
    pub strict: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let corpus = crate::store::load(cx.dir())?;
    let errors = corpus.errors().count();
    let warnings = corpus.warnings().count();
    match args.format {
        Format::Json => write_json(out, &corpus.diagnostics)?,
        Format::Text => {
            let paint = Paint(cx.color);
            for d in &corpus.diagnostics {
                let severity = match d.severity {
                    Severity::Error => paint.red("error"),
                    Severity::Warning => paint.yellow("warning"),
                };
                writeln!(
                    out,
                    "{}:{}:{}: {severity}: {}",
                    one_line(&d.path.display().to_string()),
                    d.line,
                    d.column,
                    one_line(&d.message)
                )?;
            }
        }
    }
    summary(&corpus, errors, warnings, &mut io::stderr().lock())?;
    let failing = errors > 0 || (args.strict && warnings > 0);
    Ok(if failing {
        Status::Findings
    } else {
        Status::Ok
    })
}

fn summary(
    corpus: &crate::Corpus,
    errors: usize,
    warnings: usize,
    w: &mut impl Write,
) -> io::Result<()> {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    writeln!(
        w,
        "checked {}: {} loaded, {}, {}, {}",
        plural(corpus.files, "file", "files"),
        corpus.incidents.len(),
        plural(corpus.failed.len(), "failed", "failed"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    )
}
