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
    let mut corpus = crate::store::load(cx.dir())?;
    // The saved copies are read here rather than on every load: hashing them all costs time
    // no other command needs to spend.
    let snapshots = crate::snapshot::diagnostics(&corpus);
    if !snapshots.is_empty() {
        corpus.diagnostics.extend(snapshots);
        corpus.diagnostics.sort_by(|a, b| {
            (&a.path, a.line, a.column, b.severity).cmp(&(&b.path, b.line, b.column, a.severity))
        });
    }
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
