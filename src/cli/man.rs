//! `onrecord man [COMMAND]`: the manual page, in roff, generated from the same definitions as
//! `--help`: onrecord(1), or onrecord-COMMAND(1) for one command with all its flags.

use std::io::Write;

use clap::CommandFactory;

use super::{Cli, Error, Status};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A command's own page instead of onrecord(1)
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

pub fn run(args: &Args, w: &mut impl Write) -> Result<Status, Error> {
    let mut cli = Cli::command();
    // Gives each command the global flags (`--dir`, `--color`) it takes.
    cli.build();
    let page = match &args.command {
        None => cli,
        Some(name) => {
            let Some(command) = cli.find_subcommand(name) else {
                let names = cli.get_subcommands().map(|c| c.get_name());
                return Err(Error::Usage(format!(
                    "no command `{}`{}",
                    crate::text::one_line(name),
                    crate::check::suggestion(name, names)
                )));
            };
            // Built, a command is titled `onrecord-NAME` and its synopsis reads `onrecord NAME`.
            command.clone()
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    w.write_all(&roff)?;
    Ok(Status::Ok)
}
