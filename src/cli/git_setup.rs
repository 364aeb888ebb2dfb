//! `onrecord git-setup [--yes]`: make git merge incident files with `onrecord merge-file`.

use std::io::{self, BufRead, IsTerminal, Write};

use super::{Context, Error, Status};
use crate::git;
use crate::text::one_line;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write without asking (for scripts)
    #[arg(long)]
    pub yes: bool,
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let setup = git::plan_setup(cx.dir(), &program())?;
    let top = one_line(&setup.top.display().to_string()).into_owned();
    if setup.is_done() {
        writeln!(out, "the merge driver is already set up in {top}")?;
        return Ok(Status::Ok);
    }
    writeln!(out, "In the repository {top}:")?;
    if !setup.attributes_present {
        writeln!(
            out,
            "  append to .gitattributes:  {}",
            one_line(&setup.attributes)
        )?;
    }
    for (key, value, set) in &setup.config {
        if !set {
            writeln!(out, "  git config {key} {}", shell_quote(value))?;
        }
    }
    out.flush()?;
    if !args.yes {
        if !io::stdin().is_terminal() {
            return Err(Error::Usage(
                "not on a terminal, so nothing was written: pass --yes to write the above".into(),
            ));
        }
        eprint!("Write these? [y/N] ");
        let mut answer = String::new();
        io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            writeln!(out, "nothing written")?;
            return Ok(Status::Findings);
        }
    }
    git::apply_setup(&setup)?;
    writeln!(
        out,
        "done: git now merges incident files entry by entry (commit .gitattributes to share it; \
         each clone runs `onrecord git-setup` once for the config)"
    )?;
    Ok(Status::Ok)
}

/// How git should call onrecord: by name when that is this program, else by its full path.
fn program() -> String {
    let me = std::env::current_exe().ok();
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(format!("onrecord{}", std::env::consts::EXE_SUFFIX)))
            .find(|p| p.is_file())
    });
    let same = |a: &std::path::Path, b: &std::path::Path| {
        std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok()
    };
    match (me, on_path) {
        (Some(me), Some(found)) if same(&me, &found) => "onrecord".into(),
        (Some(me), _) => shell_quote(&me.display().to_string()),
        (None, _) => "onrecord".into(),
    }
}

/// A word for a shell command line (git runs the driver through the shell).
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+%:=@,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
