//! `onrecord add INCIDENT --speaker S --date D --text T`: append a statement to an incident.

use std::io::{self, Read, Write};

use super::{Context, Error, Status};
use crate::check::suggestion;
use crate::model::Kind;
use crate::text::one_line;
use crate::write::{self, NewStatement, WriteError};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The incident id
    #[arg(value_name = "INCIDENT")]
    pub incident: String,
    /// Who spoke: a person, or a role when unnamed
    #[arg(long)]
    pub speaker: String,
    /// 2024-11-09, 2024-11-09T14:05:00+01:00, or 2024-11 or 2024 when that is all that is known
    #[arg(long)]
    pub date: String,
    /// The words, verbatim; `-` reads them from standard input
    #[arg(long)]
    pub text: String,
    /// The language of the text, like fr or en-GB
    #[arg(long)]
    pub lang: Option<String>,
    /// A translation of the text
    #[arg(long)]
    pub translation: Option<String>,
    /// quote (verbatim, the default), paraphrase (reported speech) or document
    #[arg(long)]
    pub kind: Option<String>,
    /// Where it was said: press release, interview, terms, post...
    #[arg(long)]
    pub channel: Option<String>,
    /// The id of one of the incident's [[sources]]
    #[arg(long)]
    pub source: Option<String>,
    /// The id of the source the one given by --source credits, when it reports another
    /// outlet's words ("a indiqué le quotidien Le Parisien")
    #[arg(long)]
    pub via: Option<String>,
    /// Where the statement itself appeared
    #[arg(long)]
    pub url: Option<String>,
    /// The speaker's role
    #[arg(long)]
    pub role: Option<String>,
    /// Whose words these are, when not the incident's company
    #[arg(long)]
    pub organization: Option<String>,
    /// A tag (a slug); repeat for several
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// The reporter's own remark
    #[arg(long)]
    pub note: Option<String>,
    /// The statement id [default: derived from the speaker and the date]
    #[arg(long)]
    pub id: Option<String>,
}

/// Field problems named as the options that carry them.
pub fn usage(e: WriteError) -> Error {
    match e {
        WriteError::Invalid(problems) => Error::Usage(
            problems
                .iter()
                .map(|(field, message)| {
                    let field = if field == "incident" {
                        "INCIDENT".to_string()
                    } else {
                        format!("--{field}")
                    };
                    format!("{field}: {}", one_line(message))
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        e => Error::Write(e),
    }
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let kind = match &args.kind {
        None => None,
        Some(k) => Some(Kind::parse(k).ok_or_else(|| {
            Error::Usage(format!(
                "--kind: `{}` is not one of quote, paraphrase, document{}",
                one_line(k),
                suggestion(k, Kind::ALL.iter().map(|k| k.as_str()))
            ))
        })?),
    };
    let text = if args.text == "-" {
        let mut text = String::new();
        io::stdin().read_to_string(&mut text)?;
        // The newline that ends what was piped in is not part of the quote.
        let end = text
            .strip_suffix("\r\n")
            .or_else(|| text.strip_suffix('\n'))
            .map(str::len);
        text.truncate(end.unwrap_or(text.len()));
        text
    } else {
        args.text.clone()
    };
    let st = NewStatement {
        id: args.id.clone(),
        date: args.date.clone(),
        speaker: args.speaker.clone(),
        text,
        kind,
        lang: args.lang.clone(),
        translation: args.translation.clone(),
        channel: args.channel.clone(),
        source: args.source.clone(),
        via: args.via.clone(),
        url: args.url.clone(),
        role: args.role.clone(),
        organization: args.organization.clone(),
        tags: args.tags.clone(),
        note: args.note.clone(),
    };
    let corpus = write::load_for(cx.dir(), &[&args.incident], &[]).map_err(usage)?;
    super::report_failures(&corpus, &mut io::stderr().lock());
    let outcome = write::add_statement(&corpus, &args.incident, &st, None).map_err(usage)?;
    let id = outcome.id.unwrap_or_default();
    writeln!(out, "{}#{id}", args.incident)?;
    if st.source.is_none() && st.url.is_none() {
        eprintln!(
            "onrecord: warning: {}#{id} has neither --source nor --url: say where it was published",
            args.incident
        );
    }
    Ok(Status::Ok)
}
