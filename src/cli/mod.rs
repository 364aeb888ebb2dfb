//! The command line: argument definitions and one module per command. Each command writes to
//! any `io::Write` and returns an exit status; `main` only parses and dispatches.

pub mod add;
pub mod check;
pub mod completions;
pub mod diff;
pub mod export;
pub mod filter;
pub mod fix_ids;
pub mod git_setup;
pub mod list;
pub mod log;
pub mod man;
pub mod matching;
pub mod merge_file;
pub mod new;
pub mod search;
pub mod show;
pub mod source;
pub mod suggest;
pub mod tag;
pub mod timeline;
pub mod untag;
pub mod verify;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::store::{self, Corpus, StoreError};

/// Keep what companies said on the record, and set a claim beside what they said later.
#[derive(Debug, Parser)]
#[command(
    name = "onrecord",
    version,
    about,
    after_help = "With no command, onrecord opens its interface on the corpus (on a terminal; \
                  elsewhere it lists the incidents, as `onrecord list` does).",
    max_term_width = 100
)]
pub struct Cli {
    /// The corpus folder [default: $ONRECORD_DIR, else ./statements]
    #[arg(long, global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Follow links to folders inside the corpus (links to files are always followed)
    #[arg(long, global = true)]
    pub follow: bool,

    /// The largest incident file read, in MB; a larger file is reported and left out
    #[arg(long, global = true, value_name = "MB", default_value_t = store::DEFAULT_MAX_FILE_SIZE >> 20,
          value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_file_size: u64,

    /// When to colour the output; NO_COLOR in the environment means never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Parse every file instead of taking unchanged ones from the cache (as ONRECORD_NO_CACHE=1)
    #[arg(long, global = true)]
    pub no_cache: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate every incident file: `file:line:col: error: ...`
    Check(check::Args),
    /// List incidents: id, company, title, dates, counts
    List(list::Args),
    /// Show an incident or one statement, with sources and verdicts
    Show(show::Args),
    /// Search statements as you would type: accent- and typo-tolerant, with filters
    Search(search::Args),
    /// What a company said by date, or a claim against what it said later
    Timeline(timeline::Args),
    /// Word diff of two statements, with negations and other changes called out
    Diff(diff::Args),
    /// Candidate contradictions, ranked, each with its reasons
    Suggest(suggest::Args),
    /// Check every quote against its source's saved copy
    Verify(verify::Args),
    /// Has this been said, or denied, before? Statements that say the same as a new quote or
    /// the opposite
    #[command(name = "match")]
    Match(matching::Args),
    /// Record a verdict about two statements (`--verdict contradicts`)
    Tag(tag::Args),
    /// Remove the verdict about two statements
    Untag(untag::Args),
    /// Give every verdict without an `id` one, derived from its two statements
    FixIds(fix_ids::Args),
    /// Create a new incident file
    New(new::Args),
    /// Append a statement to an incident
    Add(Box<add::Args>),
    /// Record where statements were read: `source add INCIDENT --outlet O`
    Source(source::Args),
    /// Export to json, jsonl, csv, markdown, claimreview or sqlite
    Export(Box<export::Args>),
    /// Who changed a statement or a verdict, and when, from git's history
    Log(log::Args),
    /// Merge three versions of an incident file entry by entry (git's merge driver)
    MergeFile(merge_file::Args),
    /// Make git merge incident files with `onrecord merge-file`
    GitSetup(git_setup::Args),
    /// Print a completion script for bash, zsh, fish, powershell or elvish
    Completions(completions::Args),
    /// Print the manual page, in roff (`onrecord man | man -l -`)
    Man(man::Args),
}

/// `--format` for a command that prints text for people or JSON for programs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Exit statuses, as grep's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Found, or all is well.
    Ok,
    /// Nothing found, or problems found.
    Findings,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        match s {
            Status::Ok => ExitCode::SUCCESS,
            Status::Findings => ExitCode::from(1),
        }
    }
}

/// What stops a command from running at all (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Tui(#[from] crate::tui::TuiError),
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    #[error(transparent)]
    Write(#[from] crate::write::WriteError),
    #[error(transparent)]
    Git(#[from] crate::git::GitError),
}

/// What every command gets: where the corpus is, and how to print.
pub struct Context {
    pub dir: PathBuf,
    pub color: bool,
}

impl Context {
    pub fn new(cli: &Cli) -> Context {
        Context {
            dir: store::corpus_dir(cli.dir.as_deref()),
            color: use_color(cli.color),
        }
    }

    /// Loads the corpus and tells stderr how many files did not load. A command reads the
    /// corpus once and the process ends soon after, so the corpus is kept until then rather
    /// than freed one string at a time (a tenth of a second for 100k statements).
    pub fn load(&self) -> Result<&'static Corpus, Error> {
        let corpus = store::load(&self.dir)?;
        report_failures(&corpus, &mut io::stderr().lock());
        Ok(Box::leak(Box::new(corpus)))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// One stderr line when files did not load, so that no command hides them.
pub fn report_failures(corpus: &Corpus, w: &mut impl Write) {
    let n = corpus.failed.len();
    if n > 0 {
        let files = if n == 1 { "file" } else { "files" };
        let _ = writeln!(
            w,
            "onrecord: {n} {files} did not load and {} left out (run `onrecord check` for why)",
            if n == 1 { "is" } else { "are" }
        );
    }
}

/// Why an incident, or one of its statements, is not in the corpus, with a suggestion when a
/// name is close: for `show`, `diff` and `timeline` alike.
pub(crate) fn missing(corpus: &Corpus, incident: &str, statement: Option<&str>) -> String {
    use crate::check::suggestion;
    use crate::text::one_line;
    let failed = corpus
        .failed
        .iter()
        .any(|p| p.file_stem().and_then(|s| s.to_str()) == Some(incident));
    match (corpus.incident(incident), statement) {
        (Some(inc), Some(st)) => format!(
            "incident `{incident}` has no statement `{}`{}",
            one_line(st),
            suggestion(st, inc.statements.iter().map(|s| s.id.as_str()))
        ),
        _ if failed => {
            format!("incident `{incident}` did not load: run `onrecord check` to see why")
        }
        _ => format!(
            "no incident `{}` in {}{}",
            one_line(incident),
            corpus.root.display(),
            suggestion(incident, corpus.incidents.iter().map(|i| i.id.as_str()))
        ),
    }
}

/// Colour on a terminal unless NO_COLOR or `--color never`; always with `--color always`.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

/// ANSI styles for text output, or nothing when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Paint(pub bool);

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
    pub fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }
    pub fn red(self, s: &str) -> String {
        self.wrap("31", s)
    }
    pub fn green(self, s: &str) -> String {
        self.wrap("32", s)
    }
    pub fn yellow(self, s: &str) -> String {
        self.wrap("33", s)
    }
    pub fn cyan(self, s: &str) -> String {
        self.wrap("36", s)
    }
}

pub use crate::output::{write_json, write_jsonl};

/// Runs a parsed command line. `None` opens the interface (where there is one).
pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    crate::cache::enable(!cli.no_cache && !crate::cache::disabled_by_env());
    store::set_options(store::LoadOptions {
        follow: cli.follow,
        max_file_size: cli.max_file_size * 1024 * 1024,
    });
    let cx = Context::new(&cli);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let status = match &cli.command {
        Some(Command::Check(args)) => check::run(args, &cx, &mut out)?,
        Some(Command::List(args)) => list::run(args, &cx, &mut out)?,
        Some(Command::Show(args)) => show::run(args, &cx, &mut out)?,
        Some(Command::Export(args)) => export::run(args, &cx, &mut out)?,
        None if io::stdout().is_terminal() && io::stdin().is_terminal() => {
            crate::tui::run(&cx.dir)?;
            Status::Ok
        }
        Some(Command::Search(args)) => search::run(args, &cx, &mut out)?,
        Some(Command::Tag(args)) => tag::run(args, &cx, &mut out)?,
        Some(Command::Untag(args)) => untag::run(args, &cx, &mut out)?,
        Some(Command::FixIds(args)) => fix_ids::run(args, &cx, &mut out)?,
        Some(Command::New(args)) => new::run(args, &cx, &mut out)?,
        Some(Command::Add(args)) => add::run(args, &cx, &mut out)?,
        Some(Command::Source(args)) => source::run(args, &cx, &mut out)?,
        Some(Command::Verify(args)) => verify::run(args, &cx, &mut out)?,
        Some(Command::Diff(args)) => diff::run(args, &cx, &mut out)?,
        Some(Command::Timeline(args)) => timeline::run(args, &cx, &mut out)?,
        Some(Command::Suggest(args)) => suggest::run(args, &cx, &mut out)?,
        Some(Command::Log(args)) => log::run(args, &cx, &mut out)?,
        Some(Command::MergeFile(args)) => merge_file::run(args, &cx, &mut out)?,
        Some(Command::GitSetup(args)) => git_setup::run(args, &cx, &mut out)?,
        Some(Command::Completions(args)) => completions::run(args, &mut out)?,
        Some(Command::Man(args)) => man::run(args, &mut out)?,
        Some(Command::Match(args)) => matching::run(args, &cx, &mut out)?,
        None => list::run(&list::Args::default(), &cx, &mut out)?,
    };
    out.flush()?;
    Ok(status.into())
}
