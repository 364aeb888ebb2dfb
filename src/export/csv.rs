//! The CSV export: one statement a row under a header, RFC 4180 (quoted where needed, CRLF
//! line ends), UTF-8, through the row writer every command's CSV shares
//! ([`crate::output::CsvRows`]): no record opens in a spreadsheet as a formula, and a file
//! printed to a terminal cannot act on it. Tags are joined with `;`. With `excel`, a
//! byte-order mark first tells Excel the file is UTF-8.

use std::io::Write;

use super::{ExportError, ROW_FIELDS, Row, Selection, Summary};
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
        out.row(cells(&row, &tags, &incident_tags))?;
    }
    out.flush()?;
    Ok(selection.summary())
}

fn cells<'r>(r: &'r Row, tags: &'r str, incident_tags: &'r str) -> [&'r str; ROW_FIELDS.len()] {
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
    ]
}
