//! The CSV export: one statement a row under a header, RFC 4180 (quoted where needed, CRLF
//! line ends), UTF-8, through the row writer every command's CSV shares
//! ([`crate::output::CsvRows`]): no record opens in a spreadsheet as a formula, and a file
//! printed to a terminal cannot act on it. Tags, and a statement's verdicts, are joined with `;`;
//! `--table verdicts` writes one verdict a row instead. With `excel`, a
//! byte-order mark first tells Excel the file is UTF-8.

use std::io::Write;

use super::{ExportError, ROW_FIELDS, Row, Selection, Summary, VERDICT_FIELDS, VerdictRow};
use crate::output::CsvRows;
use crate::query::Filter;
use crate::store::Corpus;

/// The byte-order mark Excel needs to read a CSV file as UTF-8.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

pub fn write_csv(
    mut w: impl Write,
    corpus: &Corpus,
    filter: &Filter,
    excel: bool,
) -> Result<Summary, ExportError> {
    let selection = Selection::new(corpus, filter);
    if excel {
        w.write_all(BOM)?;
    }
    let mut out = CsvRows::new(w);
    out.row(ROW_FIELDS)?;
    for row in selection.rows() {
        let (tags, incident_tags) = (row.tags.join(";"), row.incident_tags.join(";"));
        let verdicts = row.verdicts.join(";");
        out.row(cells(&row, &tags, &incident_tags, &verdicts))?;
    }
    out.flush()?;
    Ok(selection.summary())
}

/// `--table verdicts`: one verdict a row, with both statements ([`VerdictRow`]), under the
/// same rules as the statements' CSV.
pub fn write_verdicts_csv(
    mut w: impl Write,
    corpus: &Corpus,
    filter: &Filter,
    excel: bool,
) -> Result<Summary, ExportError> {
    let selection = Selection::new(corpus, filter);
    if excel {
        w.write_all(BOM)?;
    }
    let mut out = CsvRows::new(w);
    out.row(VERDICT_FIELDS)?;
    for row in selection.verdict_rows() {
        out.row(verdict_cells(&row))?;
    }
    out.flush()?;
    Ok(selection.summary())
}

fn verdict_cells<'r>(r: &'r VerdictRow) -> [&'r str; VERDICT_FIELDS.len()] {
    let opt = |v: Option<&'r str>| v.unwrap_or_default();
    [
        &r.reference,
        &r.id,
        r.incident,
        r.company,
        r.verdict,
        &r.reviewed,
        &r.statement_1,
        &r.date_1,
        r.speaker_1,
        r.organization_1,
        r.kind_1,
        r.text_1,
        opt(r.translation_1),
        &r.statement_2,
        &r.date_2,
        r.speaker_2,
        r.organization_2,
        r.kind_2,
        r.text_2,
        opt(r.translation_2),
        opt(r.claim),
        opt(r.note),
        opt(r.tagged_by),
        r.tagged_at.as_deref().unwrap_or_default(),
    ]
}

fn cells<'r>(
    r: &'r Row,
    tags: &'r str,
    incident_tags: &'r str,
    verdicts: &'r str,
) -> [&'r str; ROW_FIELDS.len()] {
    let opt = |v: Option<&'r str>| v.unwrap_or_default();
    [
        &r.reference,
        r.incident,
        r.company,
        r.title,
        r.statement,
        &r.date,
        r.date_precision,
        r.speaker,
        r.organization,
        opt(r.role),
        r.kind,
        opt(r.channel),
        opt(r.source),
        opt(r.source_outlet),
        opt(r.source_url),
        opt(r.url),
        opt(r.lang),
        r.text,
        opt(r.translation),
        tags,
        incident_tags,
        opt(r.note),
        verdicts,
    ]
}
