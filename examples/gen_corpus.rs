//! Writes a deterministic made-up corpus for benchmarks:
//! `cargo run --release --example gen_corpus -- --statements 100000 --out /tmp/corpus`

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut statements = 1000;
    let mut out: Option<PathBuf> = None;
    let mut seed = 1;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        match (arg.as_str(), value) {
            ("--statements", Some(v)) if v.parse::<usize>().is_ok() => {
                statements = v.parse().unwrap_or(statements)
            }
            ("--seed", Some(v)) if v.parse::<u64>().is_ok() => seed = v.parse().unwrap_or(seed),
            ("--out", Some(v)) => out = Some(PathBuf::from(v)),
            _ => {
                eprintln!("usage: gen_corpus --statements N --out DIR [--seed S]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("usage: gen_corpus --statements N --out DIR [--seed S]");
        return ExitCode::from(2);
    };
    match onrecord::generate::generate(&out, statements, seed) {
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
