//! `onrecord export --format F [--out PATH] [filters]`: the corpus, or what the filters
//! select, in a format for other tools (see `crate::export`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::filter::FilterArgs;
use super::{Context, Error, Status};
use crate::export::{self, ClaimReviewOptions, ExportError, Summary};
use crate::query::Filter;
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
    /// ClaimReview, HTML: where reviews are published; a review's url is URL/INCIDENT/VERDICT-ID/
    #[arg(long, value_name = "URL")]
    pub review_url_base: Option<String>,
    /// ClaimReview, HTML: without --review-url-base, write urls under the reserved
    /// https://review-url-base.invalid instead of refusing (for drafts and tests)
    #[arg(long)]
    pub placeholder_urls: bool,
    /// ClaimReview, HTML: the language the reviews are written in (inLanguage), like `en`
    #[arg(long, value_name = "TAG")]
    pub review_lang: Option<String>,
    /// CSV, JSON Lines: one row per statement (with its verdicts), or one per verdict
    #[arg(long, value_enum, default_value_t = Table::Statements)]
    pub table: Table,
    /// SQLite: also write a Datasette metadata file (titles, facets, canned queries) here
    #[arg(long, value_name = "PATH")]
    pub datasette_metadata: Option<PathBuf>,
    /// SQLite: the licence the Datasette metadata names for the data
    #[arg(long, value_name = "NAME")]
    pub license: Option<String>,
    /// SQLite: the address of that licence
    #[arg(long, value_name = "URL")]
    pub license_url: Option<String>,
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
    /// A static site: a page per incident and per verdict, with an index (needs --out DIR)
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Table {
    /// One row per statement, with a `verdicts` column
    Statements,
    /// One row per verdict, with both statements
    Verdicts,
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
            Format::Html => "html",
        }
    }

    /// Whether the format writes ClaimReview and needs its options.
    fn reviews(self) -> bool {
        matches!(self, Format::Claimreview | Format::Html)
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
    if !args.format.reviews() {
        for (flag, given) in [
            ("--publisher", args.publisher.is_some()),
            ("--publisher-url", args.publisher_url.is_some()),
            ("--review-url-base", args.review_url_base.is_some()),
            ("--placeholder-urls", args.placeholder_urls),
            ("--review-lang", args.review_lang.is_some()),
        ] {
            if given {
                return only(flag, "claimreview or html");
            }
        }
    }
    if args.table != Table::Statements && !matches!(args.format, Format::Csv | Format::Jsonl) {
        return only("--table", "csv or jsonl");
    }
    if args.format != Format::Sqlite {
        for (flag, given) in [
            ("--datasette-metadata", args.datasette_metadata.is_some()),
            ("--license", args.license.is_some()),
            ("--license-url", args.license_url.is_some()),
        ] {
            if given {
                return only(flag, "sqlite");
            }
        }
    }
    if args.format == Format::Sqlite && out_file(args).is_none() {
        return Err(Error::Usage(
            "--format sqlite writes a database file: add --out PATH (like --out corpus.db)".into(),
        ));
    }
    if args.format == Format::Html && args.out.is_none() {
        return Err(Error::Usage(
            "--format html writes a folder of pages: add --out DIR (like --out site)".into(),
        ));
    }
    if let Some(lang) = &args.review_lang
        && !crate::model::is_language_tag(lang)
    {
        return Err(Error::Usage(format!(
            "--review-lang: `{}` is not a language tag such as `en` or `fr-CA`",
            one_line(lang)
        )));
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
    let base = args
        .review_url_base
        .clone()
        .or(settings.review_url_base)
        .filter(|b| !b.trim().is_empty());
    let review_url_base = match base {
        Some(base) => {
            let lower = base.trim().to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://"))
                || crate::export::web_url(&base).as_deref() != Some(base.trim())
            {
                return Err(Error::Usage(format!(
                    "--review-url-base: `{}` is not a web address: give where the reviews are \
                     published, like https://factdesk.example.org/reviews",
                    one_line(&base)
                )));
            }
            base.trim().to_string()
        }
        None if args.placeholder_urls => export::claimreview::PLACEHOLDER_BASE.to_string(),
        None => {
            return Err(Error::Usage(format!(
                "--format {} needs the address where the reviews are published, so that each \
                 review has its own url: add --review-url-base URL (or set `review_url_base` \
                 under [export] in the config file), or --placeholder-urls for a draft whose \
                 urls point nowhere",
                args.format.name()
            )));
        }
    };
    Ok(ClaimReviewOptions {
        publisher,
        publisher_url: args.publisher_url.clone().or(settings.publisher_url),
        review_url_base,
        review_lang: args.review_lang.clone(),
    })
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    usage(args)?;
    let filter = args
        .filter
        .to_filter()
        .map_err(|e| Error::Usage(e.to_string()))?;
    let review = match args.format.reviews() {
        true => Some(review_options(args)?),
        false => None,
    };
    let out_path = out_file(args);
    if let Some(path) = out_path {
        check_out(path, cx.dir(), args.format == Format::Html)?;
    }
    let corpus = cx.load()?;
    let summary = match out_path {
        None => write(args, review.as_ref(), corpus, &filter, out),
        Some(path) if args.format == Format::Sqlite => {
            let summary = export::write_sqlite(path, corpus, &filter).map_err(export_error)?;
            if let Some(meta) = &args.datasette_metadata {
                let options = export::sqlite::MetadataOptions {
                    database: path,
                    license: args.license.as_deref(),
                    license_url: args.license_url.as_deref(),
                };
                export::write_atomically(meta, |w| {
                    export::sqlite::write_datasette_metadata(w, &options)
                })
                .map_err(export_error)?;
            }
            Ok(summary)
        }
        Some(path) if args.format == Format::Html => {
            let options = review
                .as_ref()
                .expect("run() reads the review options for html");
            export::html::write_site(path, corpus, &filter, options)
        }
        Some(path) => {
            export::write_atomically(path, |w| write(args, review.as_ref(), corpus, &filter, w))
        }
    }
    .map_err(export_error)?;
    if let Some(path) = out_path {
        report(&mut io::stderr().lock(), path, &summary)?;
    }
    let found = match (args.format, args.table) {
        (Format::Claimreview, _) | (_, Table::Verdicts) => summary.verdicts,
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
        Format::Jsonl if args.table == Table::Verdicts => {
            export::jsonl::write_verdicts_jsonl(w, corpus, filter)
        }
        Format::Jsonl => export::write_jsonl(w, corpus, filter),
        Format::Csv if args.table == Table::Verdicts => {
            export::csv::write_verdicts_csv(w, corpus, filter, args.excel)
        }
        Format::Csv => export::write_csv(w, corpus, filter, args.excel),
        Format::Markdown => export::write_markdown(w, corpus, filter),
        Format::Claimreview => {
            let options = review.expect("run() reads the review options for claimreview");
            export::write_claimreview(w, corpus, filter, options)
        }
        Format::Sqlite | Format::Html => unreachable!("usage() requires --out for these"),
    }
}

/// The file `--out` names; `None` for standard output (no `--out`, or `--out -`).
fn out_file(args: &Args) -> Option<&Path> {
    args.out.as_deref().filter(|p| p.as_os_str() != "-")
}

/// Refuses, before any work, an `--out` that is not a regular writable file or a new path
/// ([`crate::atomic::replaceable`]), or that lies inside the corpus folder, where it could
/// replace an incident file or be read as one. A site's folder (`folder`) is checked by the
/// HTML export itself, which replaces only a folder it wrote.
fn check_out(path: &Path, corpus: &Path, folder: bool) -> Result<(), Error> {
    let shown = || one_line(&path.display().to_string()).into_owned();
    let target = if folder {
        path.to_path_buf()
    } else {
        crate::atomic::replaceable(path)
            .map_err(|e| Error::Export(ExportError::Refused(path.to_path_buf(), e)))?
    };
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
