//! The JSON export: `{"format": 1, "incidents": [...]}` with everything the files hold, for
//! `jq` and any program. Every field is always present (`null` when the file leaves it out), so
//! readers need no special cases, and every date comes with its precision.

use std::io::Write;

use serde::Serialize;

use super::{ExportError, FORMAT_VERSION, Selection, Summary, precision_name};
use crate::model::{Contradiction, Source, Statement};
use crate::query::Filter;
use crate::store::Corpus;

#[derive(Serialize)]
struct Document<'a> {
    format: u32,
    incidents: Vec<IncidentView<'a>>,
}

#[derive(Serialize)]
struct IncidentView<'a> {
    id: &'a str,
    /// Relative to the corpus folder.
    path: String,
    title: &'a str,
    company: &'a str,
    summary: Option<&'a str>,
    tags: &'a [String],
    sources: Vec<SourceView<'a>>,
    statements: Vec<StatementView<'a>>,
    contradictions: Vec<ContradictionView<'a>>,
}

#[derive(Serialize)]
struct SourceView<'a> {
    id: &'a str,
    outlet: &'a str,
    url: Option<&'a str>,
    published: Option<String>,
    published_precision: Option<&'static str>,
    archived: Option<&'a str>,
    lang: Option<&'a str>,
}

#[derive(Serialize)]
struct StatementView<'a> {
    #[serde(rename = "ref")]
    reference: String,
    id: &'a str,
    date: String,
    date_precision: &'static str,
    speaker: &'a str,
    organization: &'a str,
    role: Option<&'a str>,
    kind: &'static str,
    channel: Option<&'a str>,
    source: Option<&'a str>,
    url: Option<&'a str>,
    lang: Option<&'a str>,
    text: &'a str,
    translation: Option<&'a str>,
    tags: &'a [String],
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct ContradictionView<'a> {
    between: [String; 2],
    verdict: &'static str,
    claim: Option<&'a str>,
    note: Option<&'a str>,
    tagged_by: Option<&'a str>,
    tagged_at: Option<String>,
}

fn source_view(s: &Source) -> SourceView<'_> {
    SourceView {
        id: &s.id,
        outlet: &s.outlet,
        url: s.url.as_deref(),
        published: s.published.as_ref().map(super::iso),
        published_precision: s.published.as_ref().map(precision_name),
        archived: s.archived.as_deref(),
        lang: s.lang.as_deref(),
    }
}

fn statement_view<'a>(incident: &str, st: &'a Statement) -> StatementView<'a> {
    StatementView {
        reference: format!("{incident}#{}", st.id),
        id: &st.id,
        date: super::iso(&st.date),
        date_precision: precision_name(&st.date),
        speaker: &st.speaker,
        organization: &st.organization,
        role: st.role.as_deref(),
        kind: st.kind.as_str(),
        channel: st.channel.as_deref(),
        source: st.source.as_deref(),
        url: st.url.as_deref(),
        lang: st.lang.as_deref(),
        text: &st.text,
        translation: st.translation.as_deref(),
        tags: &st.tags,
        note: st.note.as_deref(),
    }
}

fn contradiction_view(c: &Contradiction) -> ContradictionView<'_> {
    ContradictionView {
        between: [c.between[0].to_string(), c.between[1].to_string()],
        verdict: c.verdict.as_str(),
        claim: c.claim.as_deref(),
        note: c.note.as_deref(),
        tagged_by: c.tagged_by.as_deref(),
        tagged_at: c
            .tagged_at
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
    }
}

/// Writes the selected incidents as one JSON document, indented, ending with a newline.
pub fn write_json(
    mut w: impl Write,
    corpus: &Corpus,
    filter: &Filter,
) -> Result<Summary, ExportError> {
    let selection = Selection::new(corpus, filter);
    let doc = Document {
        format: FORMAT_VERSION,
        incidents: selection
            .incidents
            .iter()
            .map(|s| IncidentView {
                id: &s.incident.id,
                path: super::relative_path(corpus, s.incident),
                title: &s.incident.title,
                company: &s.incident.company,
                summary: s.incident.summary.as_deref(),
                tags: &s.incident.tags,
                sources: s.incident.sources.iter().map(source_view).collect(),
                statements: s
                    .statements
                    .iter()
                    .map(|st| statement_view(&s.incident.id, st))
                    .collect(),
                contradictions: s
                    .contradictions
                    .iter()
                    .map(|c| contradiction_view(c))
                    .collect(),
            })
            .collect(),
    };
    crate::output::write_json_value(&mut w, &doc, true)?;
    writeln!(w)?;
    w.flush()?;
    Ok(selection.summary())
}
