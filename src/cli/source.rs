//! `onrecord source add INCIDENT --outlet O`: record where an incident's statements were
//! read, with a saved copy of what the outlet published.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Subcommand;

use super::{Context, Error, Status};
use crate::text::one_line;
use crate::write::{self, NewSource};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: SourceCommand,
}

#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Append a [[sources]] entry; with --snapshot, keep a copy of the page and its SHA-256
    Add(AddArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The incident id
    #[arg(value_name = "INCIDENT")]
    pub incident: String,
    /// The outlet, as a citation names it: "AFP (Le Figaro)"
    #[arg(long)]
    pub outlet: String,
    /// The address of the item itself, not of the outlet's home page
    #[arg(long)]
    pub url: Option<String>,
    /// When it was published: 2024-11-09, or 2024-11 or 2024
    #[arg(long)]
    pub published: Option<String>,
    /// Its language, like fr or en-GB
    #[arg(long)]
    pub lang: Option<String>,
    /// A saved copy of what was published (text, HTML, or text extracted from a PDF; at most
    /// 20 MB), copied into sources/INCIDENT/ in the corpus folder; never replaces a file
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// The source id [default: derived from the outlet]
    #[arg(long)]
    pub id: Option<String>,
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    match &args.command {
        SourceCommand::Add(a) => add(a, cx, out),
    }
}

fn add(args: &AddArgs, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let src = NewSource {
        id: args.id.clone(),
        outlet: args.outlet.clone(),
        url: args.url.clone(),
        published: args.published.clone(),
        lang: args.lang.clone(),
        snapshot: args.snapshot.clone(),
    };
    let corpus = write::load_for(cx.dir(), &[&args.incident], &[]).map_err(super::add::usage)?;
    super::report_failures(&corpus, &mut io::stderr().lock());
    let added =
        write::add_source(&corpus, &args.incident, &src, None).map_err(super::add::usage)?;
    writeln!(out, "{} source {}", args.incident, added.id)?;
    if let Some((rel, hash)) = &added.snapshot {
        let how = if added.reused {
            "already there, identical"
        } else {
            "copied"
        };
        writeln!(out, "snapshot {} ({how}), sha256 {hash}", one_line(rel))?;
    }
    Ok(Status::Ok)
}
