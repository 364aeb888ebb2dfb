//! `onrecord completions SHELL`: a completion script for the shell, generated from the same
//! definitions as `--help`, so it never offers a flag that does not exist.

use std::io::Write;

use clap::CommandFactory;

use super::{Cli, Error, Status};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: &Args, w: &mut impl Write) -> Result<Status, Error> {
    // Written whole to memory first: the generator panics on a write error, and a closed
    // pipe (`onrecord completions bash | head`) is not an error.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "onrecord", &mut script);
    w.write_all(&script)?;
    Ok(Status::Ok)
}
