//! The static site.

use std::path::Path;

use super::{ClaimReviewOptions, ExportError, Summary};
use crate::query::Filter;
use crate::store::Corpus;

pub fn write_site(
    _dir: &Path,
    _corpus: &Corpus,
    _filter: &Filter,
    _options: &ClaimReviewOptions,
) -> Result<Summary, ExportError> {
    Err(ExportError::Io(std::io::Error::other("not written yet")))
}
