//! Writes a deterministic made-up corpus for benchmarks:
//! `cargo run --release --example gen_corpus -- --statements 100000 --out /tmp/corpus`
//! `--organizations 20` gives 20 organizations an equal share each, with long-tailed prose
//! (the shape of an archive where big companies say a lot).

use std::path::PathBuf;
use std::process::ExitCode;

use onrecord::generate::{Options, generate_with};

const USAGE: &str = "usage: gen_corpus --statements N --out DIR [--organizations N] [--seed S]";

fn main() -> ExitCode {
    let mut options = Options {
        statements: 1000,
        seed: 1,
        organizations: None,
    };
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        match (arg.as_str(), value) {
            ("--statements", Some(v)) if v.parse::<usize>().is_ok() => {
                options.statements = v.parse().unwrap_or(options.statements)
            }
            ("--organizations", Some(v)) if v.parse::<usize>().is_ok_and(|n| n > 0) => {
                options.organizations = v.parse().ok()
            }
            ("--seed", Some(v)) if v.parse::<u64>().is_ok() => {
                options.seed = v.parse().unwrap_or(options.seed)
            }
            ("--out", Some(v)) => out = Some(PathBuf::from(v)),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match generate_with(&out, &options) {
        Ok(g) => {
            println!(
                "{}: {} files, {} statements, {} verdicts, {} bytes",
                out.display(),
                g.files,
                g.statements,
                g.verdicts,
                g.bytes
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: {}: {e}", out.display());
            ExitCode::from(2)
        }
    }
}
