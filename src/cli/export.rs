//! `onrecord export --format F [--out PATH] [filters]`: the corpus, or what the filters
//! select, in a format for other tools (see `crate::export`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{Context, Error, Status};
use crate::export::{self, ClaimReviewOptions, ExportError, Summary};
use crate::query::{Filter, FilterArgs};
use crate::store::Corpus;
use crate::text::one_line;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The output format
    #[arg(long, value_enum)]
    pub format: Format,
    /// Write to this file instead of standard output, replacing it all at once (`-`: standard
    /// output). Only a regular writable file or a new path outside the corpus folder
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// CSV: begin with a byte-order mark, so that Excel reads the file as UTF-8
    #[arg(long)]
    pub excel: bool,
    /// ClaimReview: the organization that publishes the reviews
    #[arg(long, value_name = "NAME")]
    pub publisher: Option<String>,
    /// ClaimReview: the publishing organization's web address
    #[arg(long, value_name = "URL")]
    pub publisher_url: Option<String>,
    /// ClaimReview: where reviews are published; each review's url is this, `/`, incident id
    #[arg(long, value_name = "URL")]
    pub review_url_base: Option<String>,
    #[command(flatten)]
    pub filter: FilterArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Every incident in full: `{"format": 1, "incidents": [...]}`
    Json,
    /// One statement a line, with its incident's fields
    Jsonl,
    /// One statement a row, formulas neutralised
    Csv,
    /// Timelines and verdicts, ready to paste into a draft
    Markdown,
    /// schema.org ClaimReview JSON-LD, one per contradiction found
    Claimreview,
    /// A database for sqlite3 and Datasette, with full-text search (needs --out)
    Sqlite,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Claimreview => "claimreview",
            Format::Sqlite => "sqlite",
        }
    }
}

fn usage(args: &Args) -> Result<(), Error> {
    let only = |flag: &str, format: &str| {
        Err(Error::Usage(format!(
            "{flag} applies to --format {format} only, not --format {}",
            args.format.name()
        )))
    };
    if args.excel && args.format != Format::Csv {
        return only("--excel", "csv");
    }
    if args.format != Format::Claimreview {
        for (flag, given) in [
            ("--publisher", args.publisher.is_some()),
            ("--publisher-url", args.publisher_url.is_some()),
            ("--review-url-base", args.review_url_base.is_some()),
        ] {
            if given {
                return only(flag, "claimreview");
            }
        }
    }
    if args.format == Format::Sqlite && out_file(args).is_none() {
        return Err(Error::Usage(
            "--format sqlite writes a database file: add --out PATH (like --out corpus.db)".into(),
        ));
    }
    Ok(())
}

/// Who publishes the reviews: the flags, else the config file's `[export]` settings.
fn review_options(args: &Args) -> Result<ClaimReviewOptions, Error> {
    let settings = match crate::config::path() {
        Some(path)
            if args.publisher.is_none()
                || args.publisher_url.is_none()
                || args.review_url_base.is_none() =>
        {
            crate::config::export_settings(&path).map_err(|e| Error::Usage(e.to_string()))?
        }
        _ => crate::config::ExportSettings::default(),
    };
    let publisher = args.publisher.clone().or(settings.publisher);
    let Some(publisher) = publisher.filter(|p| !p.trim().is_empty()) else {
        return Err(Error::Usage(
            "--format claimreview needs the organization that publishes the reviews: add \
             --publisher NAME (and --publisher-url URL, --review-url-base URL), or set \
             `publisher` under [export] in the config file"
                .into(),
        ));
    };
    Ok(ClaimReviewOptions {
        publisher,
        publisher_url: args.publisher_url.clone().or(settings.publisher_url),
        review_url_base: args.review_url_base.clone().or(settings.review_url_base),
    })
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    usage(args)?;
    let filter = args
        .filter
        .to_filter()
        .map_err(|e| Error::Usage(e.to_string()))?;
    let review = match args.format {
        Format::Claimreview => Some(review_options(args)?),
        _ => None,
    };
    let out_path = out_file(args);
    if let Some(path) = out_path {
        check_out(path, cx.dir())?;
    }
    let corpus = cx.load()?;
    let summary = match out_path {
        None => write(args, review.as_ref(), corpus, &filter, out),
        Some(path) if args.format == Format::Sqlite => export::write_sqlite(path, corpus, &filter),
        Some(path) => {
            export::write_atomically(path, |w| write(args, review.as_ref(), corpus, &filter, w))
        }
    }
    .map_err(export_error)?;
    if let Some(path) = out_path {
        report(&mut io::stderr().lock(), path, &summary)?;
    }
    let found = match args.format {
        Format::Claimreview => summary.verdicts,
        _ => summary.statements,
    };
    Ok(if found == 0 {
        Status::Findings
    } else {
        Status::Ok
    })
}

fn write(
    args: &Args,
    review: Option<&ClaimReviewOptions>,
    corpus: &Corpus,
    filter: &Filter,
    w: &mut impl Write,
) -> Result<Summary, ExportError> {
    match args.format {
        Format::Json => export::write_json(w, corpus, filter),
        Format::Jsonl => export::write_jsonl(w, corpus, filter),
        Format::Csv => export::write_csv(w, corpus, filter, args.excel),
        Format::Markdown => export::write_markdown(w, corpus, filter),
        Format::Claimreview => {
            let options = review.expect("run() reads the review options for claimreview");
            export::write_claimreview(w, corpus, filter, options)
        }
        Format::Sqlite => unreachable!("usage() requires --out for sqlite"),
    }
}

/// The file `--out` names; `None` for standard output (no `--out`, or `--out -`).
fn out_file(args: &Args) -> Option<&Path> {
    args.out.as_deref().filter(|p| p.as_os_str() != "-")
}

/// Refuses, before any work, an `--out` that is not a regular writable file or a new path
/// ([`crate::atomic::replaceable`]), or that lies inside the corpus folder, where it could
/// replace an incident file or be read as one.
fn check_out(path: &Path, corpus: &Path) -> Result<(), Error> {
    let shown = || one_line(&path.display().to_string()).into_owned();
    let target = crate::atomic::replaceable(path)
        .map_err(|e| Error::Export(ExportError::Refused(path.to_path_buf(), e)))?;
    // A new file's folder, resolved, tells where it would land.
    let resolved = match std::fs::canonicalize(&target) {
        Ok(p) => Some(p),
        Err(_) => {
            let folder = match target.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            std::fs::canonicalize(folder)
                .ok()
                .map(|f| f.join(target.file_name().unwrap_or_default()))
        }
    };
    let root = std::fs::canonicalize(corpus).ok();
    if let (Some(out), Some(root)) = (resolved, root)
        && out.starts_with(&root)
    {
        return Err(Error::Usage(format!(
            "{}: is inside the corpus folder {}: write exports outside it",
            shown(),
            one_line(&corpus.display().to_string())
        )));
    }
    Ok(())
}

fn export_error(e: ExportError) -> Error {
    match e {
        // Kept as I/O so that a closed pipe still ends the program quietly.
        ExportError::Io(e) => Error::Io(e),
        other => Error::Export(other),
    }
}

fn report(w: &mut impl Write, path: &Path, s: &Summary) -> io::Result<()> {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    writeln!(
        w,
        "onrecord: wrote {}: {} from {}, {}",
        one_line(&path.display().to_string()),
        plural(s.statements, "statement", "statements"),
        plural(s.incidents, "incident", "incidents"),
        plural(s.verdicts, "verdict", "verdicts"),
    )
}
