//! `onrecord merge-file BASE OURS THEIRS [--path P]`: git's merge driver for incident files.
//! The result goes to OURS, atomically; exit 0 when the merge is clean, 1 with conflicts (only
//! the conflicting entries between markers), 2 when it could not run (OURS is then untouched).

use std::io::{self, Write};
use std::path::PathBuf;

use super::{Context, Error, Status};
use crate::merge::{self, MergeError, Options};
use crate::text::one_line;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The common ancestor's version (git's %O)
    #[arg(value_name = "BASE")]
    pub base: PathBuf,
    /// Our version (git's %A); the result replaces it
    #[arg(value_name = "OURS")]
    pub ours: PathBuf,
    /// Their version (git's %B)
    #[arg(value_name = "THEIRS")]
    pub theirs: PathBuf,
    /// The file's path in the repository (git's %P): names it in messages, and its name is the
    /// incident id that bare references in `between` belong to
    #[arg(long, value_name = "P")]
    pub path: Option<PathBuf>,
    /// The conflict markers' length (git's %L)
    #[arg(long, value_name = "N", default_value_t = 7)]
    pub marker_size: usize,
}

pub fn run(args: &Args, _cx: &Context, _out: &mut impl Write) -> Result<Status, Error> {
    let shown = args.path.as_ref().unwrap_or(&args.ours);
    let name = one_line(&shown.display().to_string()).into_owned();
    let read = |p: &PathBuf| {
        std::fs::read(p).map_err(|e| {
            Error::Usage(format!(
                "cannot read {}: {e}",
                one_line(&p.display().to_string())
            ))
        })
    };
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let incident = shown
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let opts = Options {
        incident: incident.clone(),
        marker_size: args.marker_size.max(1),
        ..Options::default()
    };
    let texts = (
        std::str::from_utf8(&base),
        std::str::from_utf8(&ours),
        std::str::from_utf8(&theirs),
    );
    let merged = match texts {
        (Ok(b), Ok(o), Ok(t)) => merge::merge(b, o, t, &opts),
        _ => Err(MergeError::NotToml {
            which: "one of the versions",
            message: "not UTF-8".into(),
        }),
    };
    let mut err = io::stderr().lock();
    let merged = match merged {
        Ok(m) => m,
        Err(e) => {
            writeln!(
                err,
                "onrecord: {name}: {}; merging it line by line with `git merge-file` instead",
                one_line(&e.to_string())
            )?;
            let (bytes, conflicts) =
                crate::git::text_merge(&args.base, &args.ours, &args.theirs, opts.marker_size)
                    .map_err(|e| Error::Usage(e.to_string()))?;
            crate::write::replace_file(&args.ours, &bytes)?;
            if conflicts > 0 {
                writeln!(
                    err,
                    "onrecord: {name}: {conflicts} conflicts left to resolve"
                )?;
                return Ok(Status::Findings);
            }
            return Ok(Status::Ok);
        }
    };
    if !merged.conflicts.is_empty() {
        crate::write::replace_file(&args.ours, merged.text.as_bytes())?;
        for c in &merged.conflicts {
            writeln!(err, "onrecord: {name}: conflict: {}", one_line(c))?;
        }
        return Ok(Status::Findings);
    }
    // Clean, but two sides can still disagree in ways only the whole file shows (a verdict
    // about a statement the other side removed): say so, the merge itself stands. Checked while
    // the result is written, which mostly waits for the disk.
    let text = merged.text.trim_start_matches('\u{feff}');
    let (written, diagnostics) = std::thread::scope(|s| {
        let check = s.spawn(|| crate::parse::parse_incident(shown, &incident, text).1);
        let written = crate::write::replace_file(&args.ours, merged.text.as_bytes());
        (written, check.join().unwrap_or_default())
    });
    written?;
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        writeln!(
            err,
            "onrecord: {name}: merged, but the result has {} error(s) `onrecord check` will report:",
            errors.len()
        )?;
        for d in errors.iter().take(5) {
            writeln!(err, "  line {}: {}", d.line, one_line(&d.message))?;
        }
    }
    Ok(Status::Ok)
}
