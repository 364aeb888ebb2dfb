//! `onrecord untag REF REF`: remove the verdict about two statements.

use std::io::Write;

use super::tag::parse_ref;
use super::{Context, Error, Status};
use crate::text::one_line;
use crate::write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One statement, as `incident-id#statement-id`
    #[arg(value_name = "REF")]
    pub a: String,
    /// The other statement
    #[arg(value_name = "REF")]
    pub b: String,
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let a = parse_ref(&args.a)?;
    let b = parse_ref(&args.b)?;
    let corpus = cx.load()?;
    let outcome = write::untag(&corpus, &a, &b, None)?;
    writeln!(
        out,
        "removed the verdict on {a} and {b} from {}",
        one_line(&outcome.path.display().to_string())
    )?;
    Ok(Status::Ok)
}
