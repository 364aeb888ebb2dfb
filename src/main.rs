//! The `onrecord` binary: parse the command line, dispatch to `onrecord::cli`, and turn
//! errors into exit status 2 (a closed pipe is not an error). Everything printed to stderr
//! here goes through the same sanitizer as record text: an error can quote a path, a config
//! value or an argument, and none of them may act on the terminal.

use std::io;
use std::process::ExitCode;

use clap::Parser;
use onrecord::cli::{self, Cli};
use onrecord::text::{one_line, sanitize};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            // Clap quotes the argument it refuses; without its styles, made safe.
            eprint!("{}", sanitize(&e.render().to_string()));
            return ExitCode::from(2);
        }
    };
    match cli::run(cli) {
        Ok(code) => code,
        Err(cli::Error::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("onrecord: error: {}", one_line(&e.to_string()));
            ExitCode::from(2)
        }
    }
}
