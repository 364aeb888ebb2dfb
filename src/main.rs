//! The `onrecord` binary: parse the command line, dispatch to `onrecord::cli`, and turn
//! errors into exit status 2 (a closed pipe is not an error).

use std::io;
use std::process::ExitCode;

use clap::Parser;
use onrecord::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        Err(cli::Error::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("onrecord: error: {e}");
            ExitCode::from(2)
        }
    }
}
