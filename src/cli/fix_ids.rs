//! `onrecord fix-ids`: give every verdict without an `id` the one its pair derives.

use std::io::Write;

use super::{Context, Error, Status};
use crate::text::one_line;
use crate::write;

#[derive(Debug, Default, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let corpus = cx.load()?;
    let done = write::fix_ids(corpus)?;
    for file in &done {
        writeln!(
            out,
            "{}: {} ({})",
            one_line(&file.path.display().to_string()),
            if file.ids.len() == 1 {
                "1 id added".to_string()
            } else {
                format!("{} ids added", file.ids.len())
            },
            file.ids.join(", ")
        )?;
    }
    if done.is_empty() {
        writeln!(out, "every verdict already has an id")?;
    }
    // Files that did not load were left as they are, and said so on stderr by `load`.
    Ok(if corpus.failed.is_empty() {
        Status::Ok
    } else {
        Status::Findings
    })
}
