//! The JSON Lines export: one statement a line, flattened with its incident's fields and its
//! `ref`, for `jq` and `pandas.read_json(lines=True)`. The fields are [`super::Row`]'s.

use std::io::Write;

use super::{ExportError, Selection, Summary};
use crate::query::Filter;
use crate::store::Corpus;

pub fn write_jsonl(
    mut w: impl Write,
    corpus: &Corpus,
    filter: &Filter,
) -> Result<Summary, ExportError> {
    let selection = Selection::new(corpus, filter);
    for row in selection.rows() {
        crate::output::write_json_value(&mut w, &row, false)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    Ok(selection.summary())
}
