//! The CSV export: one statement a row under a header, RFC 4180 (quoted where needed, CRLF
//! line ends), UTF-8. Every cell, the header too, goes through [`crate::text::csv_cell`], so
//! that no record opens in a spreadsheet as a formula, after [`crate::text::sanitize`], so that
//! a file printed to a terminal cannot act on it (an escape shows as `␛`, a tab as a space;
//! line breaks stay). Tags are joined with `;`. With `excel`, a byte-order mark first tells
//! Excel the file is UTF-8.

use std::io::{self, Write};

use super::{ExportError, ROW_FIELDS, Row, Selection, Summary};
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
        write_row(&mut out, cells(&row, &tags, &incident_tags))?;
    }
    out.flush()?;
    Ok(selection.summary())
}

fn write_row<W: Write>(
    out: &mut ::csv::Writer<W>,
    cells: [&str; ROW_FIELDS.len()],
) -> Result<(), ExportError> {
    for c in cells {
        out.write_field(csv_cell(&sanitize(c)).as_bytes())
            .map_err(csv_error)?;
    }
    out.write_record(None::<&[u8]>).map_err(csv_error)
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
