//! The CSV export: one statement a row under a header, RFC 4180 (quoted where needed, CRLF
//! line ends), UTF-8. Every cell, the header too, goes through [`crate::text::csv_cell`], so
//! that no record opens in a spreadsheet as a formula, after [`crate::text::sanitize`], so that
//! a file printed to a terminal cannot act on it (an escape shows as `␛`, a tab as a space;
//! line breaks stay). Tags, and a statement's verdicts, are joined with `;`. `--table verdicts`
//! writes one verdict a row instead. With `excel`, a byte-order mark first tells
//! Excel the file is UTF-8.

use std::io::{self, Write};

use super::{ExportError, ROW_FIELDS, Row, Selection, Summary, VERDICT_FIELDS, VerdictRow};
use crate::query::Filter;
use crate::store::Corpus;
use crate::text::{csv_cell, sanitize};

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
    let mut out = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(w);
    write_row(&mut out, ROW_FIELDS)?;
    for row in selection.rows() {
        let (tags, incident_tags) = (row.tags.join(";"), row.incident_tags.join(";"));
        let verdicts = row.verdicts.join(";");
        write_row(&mut out, cells(&row, &tags, &incident_tags, &verdicts))?;
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
    let mut out = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(w);
    write_row(&mut out, VERDICT_FIELDS)?;
    for row in selection.verdict_rows() {
        write_row(&mut out, verdict_cells(&row))?;
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

fn write_row<W: Write, const N: usize>(
    out: &mut ::csv::Writer<W>,
    cells: [&str; N],
) -> Result<(), ExportError> {
    for c in cells {
        out.write_field(csv_cell(&sanitize(c)).as_bytes())
            .map_err(csv_error)?;
    }
    out.write_record(None::<&[u8]>).map_err(csv_error)
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

fn csv_error(e: ::csv::Error) -> ExportError {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => ExportError::Io(e),
        other => ExportError::Io(io::Error::other(format!("{other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_crate_alone_would_let_formulas_through() {
        // Why every cell goes through csv_cell: the csv crate quotes for CSV's sake only.
        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record(["-2+3", "@SUM(1)"]).unwrap();
        let raw = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(raw, "-2+3,@SUM(1)\n");
    }
}
