//! `onrecord new INCIDENT --company C --title T`: create an incident file.

use std::io::Write;

use super::{Context, Error, Status};
use crate::text::one_line;
use crate::write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The incident id, a slug like `acme-recall`; the file is `<DIR>/<INCIDENT>.toml`
    #[arg(value_name = "INCIDENT")]
    pub incident: String,
    /// The organization whose words the incident tracks
    #[arg(long)]
    pub company: String,
    /// What happened, in one line
    #[arg(long)]
    pub title: String,
    /// A tag (a slug); repeat for several
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    // A first incident starts the corpus folder.
    if !cx.dir().exists() {
        std::fs::create_dir_all(cx.dir())?;
    }
    let outcome = write::new_incident(
        cx.dir(),
        &args.incident,
        &args.company,
        &args.title,
        &args.tags,
    )
    .map_err(super::add::usage)?;
    writeln!(
        out,
        "created {} (add statements with `onrecord add {}`)",
        one_line(&outcome.path.display().to_string()),
        args.incident
    )?;
    Ok(Status::Ok)
}
