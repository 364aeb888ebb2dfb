//! `onrecord show REF`: an incident, or one statement, in full.

use std::io::{self, Write};

use serde::Serialize;

use super::{Context, Error, Paint, Status, write_json};
use crate::git::history::{self, Change, Target};
use crate::model::{Contradiction, Incident, Source, Statement, StatementRef, is_slug};
use crate::store::Corpus;
use crate::text::{first_line, one_line, sanitize};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// An incident id, or a statement as `incident-id#statement-id`
    #[arg(value_name = "REF")]
    pub reference: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub use super::TextOrJson as Format;

/// A verdict as `show` prints it, with the file it lives in.
#[derive(Debug, Serialize)]
pub struct VerdictView<'a> {
    #[serde(flatten)]
    pub contradiction: &'a Contradiction,
    pub incident: &'a str,
}

/// One statement with its context, as `show incident#statement --format json` prints it.
#[derive(Debug, Serialize)]
pub struct StatementView<'a> {
    #[serde(rename = "ref")]
    pub reference: String,
    pub incident: &'a str,
    pub company: &'a str,
    pub statement: &'a Statement,
    pub source: Option<&'a Source>,
    /// The source that `source` credits for the words, when it reports another's.
    pub via: Option<&'a Source>,
    /// Whom a citation names: "Le Parisien, as reported by AFP (Le Figaro)".
    pub credit: Option<String>,
    pub verdicts: Vec<VerdictView<'a>>,
    /// The last commit that changed the statement, when the corpus is in a git repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_changed: Option<Change>,
}

#[derive(Debug, Serialize)]
struct IncidentView<'a> {
    #[serde(flatten)]
    incident: &'a Incident,
    path: String,
    /// Verdicts kept in other files that name this incident's statements.
    verdicts_elsewhere: Vec<VerdictView<'a>>,
    /// The last commit that changed the file, when the corpus is in a git repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_changed: Option<Change>,
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let corpus = cx.load()?;
    let paint = Paint(cx.color);
    if let Some((incident, statement)) = args.reference.split_once('#') {
        let r =
            StatementRef::parse(&args.reference, None).map_err(|e| Error::Usage(e.to_string()))?;
        let Some((inc, st)) = corpus.statement(&r) else {
            return not_found(corpus, incident, Some(statement));
        };
        let mut view = statement_view(corpus, inc, st);
        view.last_changed = history::last_change(&inc.path, &Target::statement(&st.id));
        match args.format {
            Format::Json => write_json(out, &view)?,
            Format::Text => write_statement(out, corpus, &view, paint)?,
        }
    } else {
        let id = &args.reference;
        if !is_slug(id) {
            return Err(Error::Usage(format!(
                "`{}` is neither an incident id nor a statement reference \
                 (`incident-id#statement-id`)",
                one_line(id)
            )));
        }
        let Some(inc) = corpus.incident(id) else {
            return not_found(corpus, id, None);
        };
        let view = IncidentView {
            incident: inc,
            path: inc.path.display().to_string(),
            verdicts_elsewhere: corpus
                .contradictions()
                .filter(|(i, c)| i.id != inc.id && c.between.iter().any(|r| r.incident == inc.id))
                .map(|(i, c)| VerdictView {
                    contradiction: c,
                    incident: &i.id,
                })
                .collect(),
            last_changed: history::last_change(&inc.path, &Target::File),
        };
        match args.format {
            Format::Json => write_json(out, &view)?,
            Format::Text => write_incident(out, corpus, &view, paint)?,
        }
    }
    Ok(Status::Ok)
}

pub fn statement_view<'a>(
    corpus: &'a Corpus,
    inc: &'a Incident,
    st: &'a Statement,
) -> StatementView<'a> {
    let r = StatementRef::new(&inc.id, &st.id);
    StatementView {
        reference: r.to_string(),
        incident: &inc.id,
        company: &inc.company,
        statement: st,
        source: st.source.as_deref().and_then(|s| inc.source(s)),
        via: st.via.as_deref().and_then(|s| inc.source(s)),
        credit: inc.credit(st),
        verdicts: corpus
            .contradictions()
            .filter(|(_, c)| c.involves(&r))
            .map(|(i, c)| VerdictView {
                contradiction: c,
                incident: &i.id,
            })
            .collect(),
        last_changed: None,
    }
}

fn not_found(corpus: &Corpus, incident: &str, statement: Option<&str>) -> Result<Status, Error> {
    writeln!(
        io::stderr().lock(),
        "onrecord: {}",
        super::missing(corpus, incident, statement)
    )?;
    Ok(Status::Findings)
}

/// `Nov 2024 · quote · Speaker (role) · channel`
pub fn byline(st: &Statement) -> String {
    let mut parts = vec![st.date.human(), st.kind.to_string()];
    let mut who = st.speaker.clone();
    if let Some(role) = &st.role {
        who.push_str(&format!(" ({role})"));
    }
    parts.push(who);
    if let Some(c) = &st.channel {
        parts.push(c.clone());
    }
    one_line(&parts.join(" · ")).into_owned()
}

fn indent(out: &mut impl Write, text: &str, prefix: &str) -> io::Result<()> {
    for line in sanitize(text).lines() {
        writeln!(out, "{prefix}{line}")?;
    }
    Ok(())
}

fn write_verdicts(
    out: &mut impl Write,
    corpus: &Corpus,
    verdicts: &[VerdictView],
    paint: Paint,
) -> io::Result<()> {
    for v in verdicts {
        let c = v.contradiction;
        writeln!(
            out,
            "  {}  {} → {}",
            paint.yellow(c.verdict.as_str()),
            c.between[0],
            c.between[1]
        )?;
        for r in &c.between {
            if let Some((_, st)) = corpus.statement(r) {
                writeln!(
                    out,
                    "      {}: {}",
                    paint.dim(&st.date.human()),
                    first_line(&st.text, 90)
                )?;
            }
        }
        if let Some(claim) = &c.claim {
            writeln!(out, "    claim: {}", one_line(claim))?;
        }
        if let Some(note) = &c.note {
            writeln!(out, "    note: {}", one_line(note))?;
        }
        if let Some(by) = &c.tagged_by {
            let at = c
                .tagged_at
                .map(|t| format!(" on {}", t.format("%Y-%m-%d %H:%M UTC%:z")));
            writeln!(
                out,
                "    {}",
                paint.dim(&format!(
                    "tagged by {}{}",
                    one_line(by),
                    at.unwrap_or_default()
                ))
            )?;
        }
    }
    Ok(())
}

fn write_source(out: &mut impl Write, s: &Source) -> io::Result<()> {
    let mut line = format!("{} [{}]", s.outlet, s.id);
    if let Some(p) = &s.published {
        line.push_str(&format!(", {}", p.human()));
    }
    if let Some(u) = &s.url {
        line.push_str(&format!("  {u}"));
    }
    if let Some(a) = &s.archived {
        line.push_str(&format!("  (archived: {a})"));
    }
    if let Some(copy) = &s.snapshot {
        line.push_str(&format!("  (saved copy: {copy})"));
    }
    writeln!(out, "  {}", one_line(&line))
}

fn write_statement(
    out: &mut impl Write,
    corpus: &Corpus,
    v: &StatementView,
    paint: Paint,
) -> io::Result<()> {
    let st = v.statement;
    writeln!(out, "{}", paint.bold(&v.reference))?;
    writeln!(out, "{}", byline(st))?;
    if st.organization != v.company {
        writeln!(out, "for {}", one_line(&st.organization))?;
    }
    writeln!(out)?;
    indent(out, &st.text, "  ")?;
    if let Some(t) = &st.translation {
        writeln!(out)?;
        writeln!(out, "{}", paint.dim("translation:"))?;
        indent(out, t, "  ")?;
    }
    writeln!(out)?;
    if let Some(lang) = &st.lang {
        writeln!(out, "language: {}", one_line(lang))?;
    }
    if let Some(credit) = &v.credit {
        writeln!(out, "cited as: {}", one_line(credit))?;
    }
    if let Some(s) = v.source {
        writeln!(out, "source:")?;
        write_source(out, s)?;
    }
    if let Some(s) = v.via {
        writeln!(out, "credited by the source to:")?;
        write_source(out, s)?;
    }
    if let Some(u) = &st.url {
        writeln!(out, "url: {}", one_line(u))?;
    }
    if !st.tags.is_empty() {
        writeln!(out, "tags: {}", st.tags.join(", "))?;
    }
    if let Some(n) = &st.note {
        writeln!(out, "note: {}", one_line(n))?;
    }
    if !v.verdicts.is_empty() {
        writeln!(out, "verdicts:")?;
        write_verdicts(out, corpus, &v.verdicts, paint)?;
    }
    if let Some(c) = &v.last_changed {
        writeln!(out, "{}", paint.dim(&history::describe(c)))?;
    }
    Ok(())
}

fn write_incident(
    out: &mut impl Write,
    corpus: &Corpus,
    v: &IncidentView,
    paint: Paint,
) -> io::Result<()> {
    let inc = v.incident;
    writeln!(
        out,
        "{}  {}",
        paint.bold(&inc.id),
        paint.cyan(&one_line(&inc.company))
    )?;
    writeln!(out, "{}", one_line(&inc.title))?;
    if let Some(s) = &inc.summary {
        indent(out, s, "")?;
    }
    if !inc.tags.is_empty() {
        writeln!(out, "tags: {}", inc.tags.join(", "))?;
    }
    if !inc.sources.is_empty() {
        writeln!(out, "\nsources:")?;
        for s in &inc.sources {
            write_source(out, s)?;
        }
    }
    writeln!(out, "\nstatements:")?;
    for i in inc.statements_by_date() {
        let st = &inc.statements[i];
        writeln!(out, "  {}  {}", paint.bold(&st.id), paint.dim(&byline(st)))?;
        indent(out, &st.text, "      ")?;
        if let Some(t) = &st.translation {
            indent(out, t, &format!("      {} ", paint.dim("→")))?;
        }
        if let Some(credit) = inc.credit(st) {
            writeln!(
                out,
                "      {}",
                paint.dim(&format!("— {}", one_line(&credit)))
            )?;
        }
    }
    let own: Vec<VerdictView> = inc
        .contradictions
        .iter()
        .map(|c| VerdictView {
            contradiction: c,
            incident: &inc.id,
        })
        .collect();
    if !own.is_empty() || !v.verdicts_elsewhere.is_empty() {
        writeln!(out, "\nverdicts:")?;
        write_verdicts(out, corpus, &own, paint)?;
        write_verdicts(out, corpus, &v.verdicts_elsewhere, paint)?;
    }
    if let Some(c) = &v.last_changed {
        writeln!(out, "\n{}", paint.dim(&history::describe(c)))?;
    }
    Ok(())
}
