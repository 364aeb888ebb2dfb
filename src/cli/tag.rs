//! `onrecord tag REF REF --verdict V`: record what a person decided about two statements.

use std::io::Write;

use super::{Context, Error, Status};
use crate::check::suggestion;
use crate::model::{StatementRef, Verdict};
use crate::text::one_line;
use crate::write::{self, TagRequest};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One statement, as `incident-id#statement-id`
    #[arg(value_name = "REF")]
    pub a: String,
    /// The other statement; the verdict goes in the file of the later of the two
    #[arg(value_name = "REF")]
    pub b: String,
    /// contradicts, partly-contradicts, walks-back, consistent or unrelated
    #[arg(long, value_name = "VERDICT")]
    pub verdict: String,
    /// The claim at issue
    #[arg(long)]
    pub claim: Option<String>,
    /// Why: the fact-checker's own remark
    #[arg(long)]
    pub note: Option<String>,
    /// Who decides [default: $ONRECORD_USER, else git's user.name, else $USER]
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Replace the verdict the pair already has (with this claim and note) instead of refusing
    #[arg(long)]
    pub replace: bool,
    /// Which of the two is the claim under review (one of the two REFs) [default: the later]
    #[arg(long, value_name = "REF")]
    pub reviewed: Option<String>,
}

/// A statement reference from the command line, in full form.
pub fn parse_ref(s: &str) -> Result<StatementRef, Error> {
    StatementRef::parse(s, None).map_err(|e| Error::Usage(one_line(&e.to_string()).into_owned()))
}

pub fn parse_verdict(s: &str) -> Result<Verdict, Error> {
    Verdict::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
        Error::Usage(format!(
            "--verdict: `{}` is not one of {}{}",
            one_line(s),
            all.join(", "),
            suggestion(s, all.iter().copied())
        ))
    })
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let a = parse_ref(&args.a)?;
    let b = parse_ref(&args.b)?;
    let verdict = parse_verdict(&args.verdict)?;
    let reviewed = args.reviewed.as_deref().map(parse_ref).transpose()?;
    let by = args
        .by
        .clone()
        .unwrap_or_else(|| write::default_tagger(cx.dir()));
    let corpus = write::load_for(cx.dir(), &[&a.incident, &b.incident], &[&a, &b])?;
    super::report_failures(&corpus, &mut std::io::stderr().lock());
    let req = TagRequest {
        a,
        b,
        verdict,
        claim: args.claim.clone(),
        note: args.note.clone(),
        by,
        replace: args.replace,
        reviewed,
    };
    let outcome = write::tag(&corpus, &req, None)?;
    let (earlier, later) = write::ordered_pair(&corpus, &req.a, &req.b)?;
    writeln!(
        out,
        "{earlier} → {later}: {verdict}, in {}",
        one_line(&outcome.path.display().to_string())
    )?;
    Ok(Status::Ok)
}
