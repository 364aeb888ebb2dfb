//! Changing and removing what is already recorded: a statement's fields edited in place, a
//! statement removed, an incident file removed. Each refuses to leave a verdict naming a
//! statement that is no longer there.

use std::fs;

use toml_edit::{Item, Value};

use super::statement::statement_problems;
use super::{
    NewStatement, NewText, WriteError, WriteOutcome, edit, edit_file, files, find_incident,
    invalid, non_blank, unwritable,
};
use crate::model::{Date, StatementRef, fingerprint};
use crate::store::Corpus;

/// The verdicts elsewhere in the corpus that name `r`, as the files that hold them.
fn named_by(corpus: &Corpus, r: &StatementRef) -> Vec<String> {
    let mut out: Vec<String> = corpus
        .contradictions()
        .filter(|(_, c)| c.involves(r))
        .map(|(inc, _)| inc.path.display().to_string())
        .collect();
    out.dedup();
    out
}

fn statements_table<'d>(
    doc: &'d mut toml_edit::DocumentMut,
    id: &str,
) -> Option<(&'d mut toml_edit::ArrayOfTables, usize)> {
    let tables = doc.get_mut("statements")?.as_array_of_tables_mut()?;
    let at = tables
        .iter()
        .position(|t| t.get("id").and_then(Item::as_str) == Some(id))?;
    Some((tables, at))
}

/// Replaces the fields of the statement `r` with `st`'s, keeping its id, its place in the
/// file, any key the form does not know and the comments around it. Validated as `add` is.
pub fn edit_statement(
    corpus: &Corpus,
    r: &StatementRef,
    st: &NewStatement,
    expected: Option<u64>,
) -> Result<WriteOutcome, WriteError> {
    let inc = find_incident(corpus, &r.incident)?;
    if inc.statement(&r.statement).is_none() {
        return Err(WriteError::NoSuchStatement(r.clone(), String::new()));
    }
    let problems = statement_problems(Some(inc), st);
    if !problems.is_empty() {
        return Err(WriteError::Invalid(problems));
    }
    let date = Date::parse(&st.date).ok_or_else(|| invalid("date", "not a date"))?;
    let path = edit_file(
        &corpus.root,
        inc,
        expected,
        |text, fresh, style| {
            let mut editable = edit::Editable::parse(text).map_err(|e| unwritable(fresh, e))?;
            let Some((tables, at)) = statements_table(&mut editable.doc, &r.statement) else {
                return Err(unwritable(
                    fresh,
                    format!(
                        "statement `{}` is not a [[statements]] table: edit it in the file",
                        r.statement
                    ),
                ));
            };
            let t = tables.get_mut(at).expect("index in bounds");
            let ml = style.multiline();
            let bad = |e: String| unwritable(fresh, e);
            edit::set_value(t, "date", edit::date_value(&date).map_err(bad)?);
            edit::set_value(
                t,
                "speaker",
                edit::string_value(&st.speaker, false).map_err(bad)?,
            );
            if let Some(kind) = st.kind {
                edit::set_value(t, "kind", kind.as_str().into());
            }
            edit::set_value(t, "text", edit::string_value(&st.text, ml).map_err(bad)?);
            let optional = [
                ("organization", &st.organization, false),
                ("role", &st.role, false),
                ("channel", &st.channel, false),
                ("source", &st.source, false),
                ("via", &st.via, false),
                ("url", &st.url, false),
                ("lang", &st.lang, false),
                ("translation", &st.translation, ml),
                ("note", &st.note, ml),
            ];
            for (key, v, multiline) in optional {
                match non_blank(v) {
                    Some(v) => {
                        edit::set_value(t, key, edit::string_value(v, multiline).map_err(bad)?)
                    }
                    None => {
                        t.remove(key);
                    }
                }
            }
            if st.tags.is_empty() {
                t.remove("tags");
            } else {
                edit::set_value(
                    t,
                    "tags",
                    Value::Array(st.tags.iter().map(String::as_str).collect()),
                );
            }
            Ok(NewText::Whole(editable.render()))
        },
        |written| {
            written.statement(&r.statement).is_some_and(|s| {
                s.text == st.text && s.speaker == st.speaker && s.date.iso() == date.iso()
            })
        },
    )?;
    Ok(WriteOutcome {
        path,
        id: Some(r.statement.clone()),
    })
}

/// Removes the statement `r` from its file, refusing while a verdict names it.
pub fn remove_statement(
    corpus: &Corpus,
    r: &StatementRef,
    expected: Option<u64>,
) -> Result<WriteOutcome, WriteError> {
    let inc = find_incident(corpus, &r.incident)?;
    if inc.statement(&r.statement).is_none() {
        return Err(WriteError::NoSuchStatement(r.clone(), String::new()));
    }
    let holders = named_by(corpus, r);
    if !holders.is_empty() {
        return Err(invalid(
            "statement",
            format!(
                "`{r}` is named by a verdict in {}: remove the verdict first",
                holders.join(", ")
            ),
        ));
    }
    let path = edit_file(
        &corpus.root,
        inc,
        expected,
        |text, fresh, _| {
            let mut editable = edit::Editable::parse(text).map_err(|e| unwritable(fresh, e))?;
            let Some((tables, at)) = statements_table(&mut editable.doc, &r.statement) else {
                return Err(unwritable(
                    fresh,
                    format!(
                        "statement `{}` is not a [[statements]] table: remove it in the file",
                        r.statement
                    ),
                ));
            };
            tables.remove(at);
            Ok(NewText::Whole(editable.render()))
        },
        |written| written.statement(&r.statement).is_none(),
    )?;
    Ok(WriteOutcome { path, id: None })
}

/// Removes an incident's file, refusing while a verdict in another file names one of its
/// statements, or when the file changed since `expected`.
pub fn remove_incident(
    corpus: &Corpus,
    id: &str,
    expected: Option<u64>,
) -> Result<WriteOutcome, WriteError> {
    let inc = find_incident(corpus, id)?;
    let mut holders: Vec<String> = corpus
        .contradictions()
        .filter(|(holder, c)| holder.id != id && c.between.iter().any(|r| r.incident == id))
        .map(|(holder, _)| holder.path.display().to_string())
        .collect();
    holders.dedup();
    if !holders.is_empty() {
        return Err(invalid(
            "incident",
            format!(
                "statements of `{id}` are named by verdicts in {}: remove those first",
                holders.join(", ")
            ),
        ));
    }
    let path = &inc.path;
    let io_err = |what| move |e| WriteError::Io(path.clone(), what, e);
    let mut locked = files::Locked::acquire(path).map_err(io_err("lock the file"))?;
    let bytes = locked.read().map_err(io_err("read the file"))?;
    if expected.is_some_and(|e| e != fingerprint(&bytes)) {
        return Err(WriteError::ChangedOnDisk(path.clone()));
    }
    fs::remove_file(path).map_err(io_err("remove the file"))?;
    Ok(WriteOutcome {
        path: path.clone(),
        id: None,
    })
}
