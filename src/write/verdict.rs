//! Verdicts: recording what a person decided about two statements, and removing it.

use toml_edit::{Array, Item, Table, Value};

use super::{
    Change, TagRequest, Tagged, WriteError, WriteOutcome, check_ref, edit, edit_file,
    find_incident, find_statement, given, invalid, now_utc, unwritable,
};
use crate::model::{Incident, StatementRef, verdict_id};
use crate::store::Corpus;

/// The two statements in the order `between` stores them: earlier, then later (for equal
/// dates, the second given is the later).
pub fn ordered_pair(
    corpus: &Corpus,
    a: &StatementRef,
    b: &StatementRef,
) -> Result<(StatementRef, StatementRef), WriteError> {
    let (_, sa) = find_statement(corpus, a)?;
    let (_, sb) = find_statement(corpus, b)?;
    Ok(if sa.date <= sb.date {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    })
}

/// The incident whose file a verdict on the pair is written to: the one that already holds
/// one, else the later statement's.
pub fn tag_target<'c>(
    corpus: &'c Corpus,
    a: &StatementRef,
    b: &StatementRef,
) -> Result<&'c Incident, WriteError> {
    if let Some((inc, _)) = corpus.contradictions().find(|(_, c)| c.involves_pair(a, b)) {
        return Ok(inc);
    }
    let (_, later) = ordered_pair(corpus, a, b)?;
    find_incident(corpus, &later.incident)
}

/// A reference as written inside `incident`'s file: bare for its own statements.
fn written_ref(r: &StatementRef, incident: &str) -> String {
    if r.incident == incident {
        r.statement.clone()
    } else {
        r.to_string()
    }
}

/// Records a verdict about two statements, in the file of the later one (or where the pair
/// already has one, with `replace`). `expected` is the fingerprint of that file as the caller
/// read it (see [`tag_target`]); when it no longer matches, nothing is written.
pub fn tag(
    corpus: &Corpus,
    req: &TagRequest,
    expected: Option<u64>,
) -> Result<WriteOutcome, WriteError> {
    check_ref(&req.a)?;
    check_ref(&req.b)?;
    if req.a == req.b {
        return Err(WriteError::SameStatement(req.a.clone()));
    }
    let (earlier, later) = ordered_pair(corpus, &req.a, &req.b)?;
    if let Some(r) = &req.reviewed {
        check_ref(r)?;
        if r != &req.a && r != &req.b {
            return Err(invalid(
                "reviewed",
                format!(
                    "`{r}` is neither of the two statements: name `{}` or `{}`, the claim under \
                     review",
                    req.a, req.b
                ),
            ));
        }
    }
    let by = req.by.trim();
    if by.is_empty() {
        return Err(invalid(
            "by",
            "say who decides this verdict (--by, ONRECORD_USER or git's user.name)",
        ));
    }
    if let Some((inc, c)) = corpus
        .contradictions()
        .find(|(_, c)| c.involves_pair(&req.a, &req.b))
        && !req.replace
    {
        return Err(WriteError::AlreadyTagged(Box::new(Tagged {
            a: earlier,
            b: later,
            verdict: c.verdict,
            path: inc.path.clone(),
        })));
    }
    let target = tag_target(corpus, &req.a, &req.b)?;
    let claim = given(&req.claim);
    let note = given(&req.note);
    let tagged_at = now_utc();

    let path = edit_file(
        &corpus.root,
        target,
        expected,
        |text, fresh, style| {
            for r in [&earlier, &later] {
                if r.incident == fresh.id && fresh.statement(&r.statement).is_none() {
                    return Err(WriteError::NoSuchStatement(r.clone(), String::new()));
                }
            }
            let existing = fresh
                .contradictions
                .iter()
                .find(|c| c.involves_pair(&earlier, &later));
            match existing {
                Some(c) if !req.replace => Err(WriteError::AlreadyTagged(Box::new(Tagged {
                    a: earlier.clone(),
                    b: later.clone(),
                    verdict: c.verdict,
                    path: fresh.path.clone(),
                }))),
                Some(_) => {
                    let mut editable =
                        edit::Editable::parse(text).map_err(|e| unwritable(fresh, e))?;
                    let entry = find_entry(&mut editable.doc, &fresh.id, &earlier, &later)
                        .ok_or_else(|| unwritable(fresh, "the verdict to replace is inline"))?;
                    // A claim or note left out is kept as it is, with the comments above it:
                    // replacing a verdict never silently drops a colleague's words.
                    let set = |t: &mut Table, key: &str, v: Option<&str>| -> Result<(), String> {
                        if let Some(v) = v {
                            edit::set_value(t, key, edit::string_value(v, style.multiline())?)
                        }
                        Ok(())
                    };
                    let id = (!entry.contains_key("id")).then(|| new_id(fresh, &earlier, &later));
                    let mut apply = || -> Result<(), String> {
                        if let Some(id) = &id {
                            edit::put_key(entry, "id", id.as_str().into(), None);
                        }
                        if let Some(r) = &req.reviewed {
                            let value = written_ref(r, &fresh.id);
                            edit::put_key(entry, "reviewed", value.into(), Some("between"));
                        }
                        set(entry, "verdict", Some(req.verdict.as_str()))?;
                        set(entry, "claim", claim)?;
                        set(entry, "note", note)?;
                        set(entry, "tagged_by", Some(by))?;
                        edit::set_value(entry, "tagged_at", edit::datetime_value(&tagged_at)?);
                        Ok(())
                    };
                    apply().map_err(|e| unwritable(fresh, e))?;
                    Ok(Change::Text(editable.render()))
                }
                None => {
                    let between = [
                        written_ref(&earlier, &fresh.id),
                        written_ref(&later, &fresh.id),
                    ];
                    let entry = Entry {
                        id: new_id(fresh, &earlier, &later),
                        reviewed: req.reviewed.as_ref().map(|r| written_ref(r, &fresh.id)),
                        verdict: req.verdict.as_str(),
                        claim,
                        note,
                        by,
                        at: &tagged_at,
                    };
                    let table = entry
                        .table(between, style.multiline())
                        .map_err(|e| unwritable(fresh, e))?;
                    Ok(Change::Append("contradictions", table))
                }
            }
        },
        |inc| {
            inc.contradictions.iter().any(|c| {
                c.involves_pair(&earlier, &later)
                    && c.verdict == req.verdict
                    // A replaced verdict keeps the claim and note that were not given.
                    && (claim.is_none() || c.claim.as_deref() == claim)
                    && (note.is_none() || c.note.as_deref() == note)
                    && c.tagged_by.as_deref() == Some(by)
                    && c.id.is_some()
                    && (req.reviewed.is_none() || c.reviewed == req.reviewed)
            })
        },
    )?;
    Ok(WriteOutcome { path, id: None })
}

/// The id a new verdict about the pair gets in `inc`'s file.
fn new_id(inc: &Incident, earlier: &StatementRef, later: &StatementRef) -> String {
    verdict_id(&[earlier.clone(), later.clone()], &inc.id, |id| {
        inc.contradictions
            .iter()
            .any(|c| c.id.as_deref() == Some(id))
    })
}

/// The values of a new `[[contradictions]]` entry.
struct Entry<'a> {
    id: String,
    reviewed: Option<String>,
    verdict: &'a str,
    claim: Option<&'a str>,
    note: Option<&'a str>,
    by: &'a str,
    at: &'a str,
}

impl Entry<'_> {
    /// Keys in docs/format.md's order.
    fn table(&self, between: [String; 2], multiline: bool) -> Result<Table, String> {
        let mut t = Table::new();
        let mut put = |key: &str, v: Value| {
            t.insert(key, Item::Value(v));
        };
        put("id", self.id.as_str().into());
        put("between", Value::Array(Array::from_iter(between)));
        if let Some(r) = &self.reviewed {
            put("reviewed", r.as_str().into());
        }
        put("verdict", self.verdict.into());
        if let Some(claim) = self.claim {
            put("claim", edit::string_value(claim, multiline)?);
        }
        if let Some(note) = self.note {
            put("note", edit::string_value(note, multiline)?);
        }
        put("tagged_by", edit::string_value(self.by, false)?);
        put("tagged_at", edit::datetime_value(self.at)?);
        Ok(t)
    }
}

fn find_entry<'d>(
    doc: &'d mut toml_edit::DocumentMut,
    incident: &str,
    a: &StatementRef,
    b: &StatementRef,
) -> Option<&'d mut Table> {
    doc.get_mut("contradictions")?
        .as_array_of_tables_mut()?
        .iter_mut()
        .find(|t| edit::names_pair(t.get("between").and_then(Item::as_value), incident, a, b))
}

/// Removes the verdict about two statements, from every file that holds one. `expected` is
/// the fingerprint of the first such file (see [`tag_target`]); any other file is compared
/// with the corpus's own reading of it.
pub fn untag(
    corpus: &Corpus,
    a: &StatementRef,
    b: &StatementRef,
    expected: Option<u64>,
) -> Result<WriteOutcome, WriteError> {
    check_ref(a)?;
    check_ref(b)?;
    if a == b {
        return Err(WriteError::SameStatement(a.clone()));
    }
    let mut holders: Vec<&Incident> = Vec::new();
    for (inc, _) in corpus
        .contradictions()
        .filter(|(_, c)| c.involves_pair(a, b))
    {
        if !holders.iter().any(|h| h.id == inc.id) {
            holders.push(inc);
        }
    }
    if holders.is_empty() {
        // A file with errors is not read, so a verdict in it is not seen: say so rather than
        // that there is none.
        for r in [a, b] {
            find_incident(corpus, &r.incident)?;
        }
        if let Some(path) = corpus.failed.first() {
            let id = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            return Err(WriteError::IncidentHasErrors(id.to_string(), path.clone()));
        }
        return Err(WriteError::NotTagged(a.clone(), b.clone()));
    }
    let mut first = None;
    for (i, inc) in holders.iter().enumerate() {
        let expected = match (i, expected) {
            (0, e) => e,
            (_, Some(_)) => Some(inc.fingerprint),
            (_, None) => None,
        };
        let result = edit_file(
            &corpus.root,
            inc,
            expected,
            |text, fresh, _| {
                if !fresh.contradictions.iter().any(|c| c.involves_pair(a, b)) {
                    return Err(WriteError::NotTagged(a.clone(), b.clone()));
                }
                let mut editable = edit::Editable::parse(text).map_err(|e| unwritable(fresh, e))?;
                edit::remove_pair(&mut editable.doc, &fresh.id, a, b);
                Ok(Change::Text(editable.render()))
            },
            |inc| !inc.contradictions.iter().any(|c| c.involves_pair(a, b)),
        );
        // The pair judged in two files is a merge leftover; if the second file cannot be
        // written, the first one already was, and the error must not say otherwise.
        let path = match (result, &first) {
            (Ok(path), _) => path,
            (Err(e), Some(written)) => {
                return Err(WriteError::Partly {
                    written: std::path::PathBuf::clone(written),
                    rest: Box::new(e),
                });
            }
            (Err(e), None) => return Err(e),
        };
        first.get_or_insert(path);
    }
    Ok(WriteOutcome {
        path: first.unwrap_or_default(),
        id: None,
    })
}

/// What `fix_ids` did to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdsAdded {
    pub path: std::path::PathBuf,
    /// The ids given, in file order.
    pub ids: Vec<String>,
}

/// Gives every verdict without an `id` the one [`verdict_id`] derives, file by file through
/// the write path: only the new `id` lines are added, each first in its entry. Files with
/// errors are not touched (they are in `corpus.failed`). When a file cannot be written, the
/// error says which files already were.
pub fn fix_ids(corpus: &Corpus) -> Result<Vec<IdsAdded>, WriteError> {
    let mut done: Vec<IdsAdded> = Vec::new();
    for inc in &corpus.incidents {
        if inc.contradictions.iter().all(|c| c.id.is_some()) {
            continue;
        }
        let mut ids = Vec::new();
        let result = edit_file(
            &corpus.root,
            inc,
            Some(inc.fingerprint),
            |text, fresh, _| {
                // Run again from scratch when the file changed under us.
                ids.clear();
                let mut editable = edit::Editable::parse(text).map_err(|e| unwritable(fresh, e))?;
                let mut taken: Vec<String> = fresh
                    .contradictions
                    .iter()
                    .filter_map(|c| c.id.clone())
                    .collect();
                // The entries in file order are the parsed verdicts in the same order.
                let mut give = |between: &[StatementRef; 2]| {
                    let id = verdict_id(between, &fresh.id, |s| taken.iter().any(|t| t == s));
                    taken.push(id.clone());
                    ids.push(id.clone());
                    id
                };
                match editable.doc.get_mut("contradictions") {
                    Some(Item::ArrayOfTables(tables)) => {
                        for (t, c) in tables.iter_mut().zip(&fresh.contradictions) {
                            if !t.contains_key("id") {
                                let id = give(&c.between);
                                edit::put_key(t, "id", id.as_str().into(), None);
                            }
                        }
                    }
                    Some(Item::Value(Value::Array(array))) => {
                        for (v, c) in array.iter_mut().zip(&fresh.contradictions) {
                            if let Some(t) = v.as_inline_table_mut()
                                && !t.contains_key("id")
                            {
                                let id = give(&c.between);
                                edit::put_inline_key(t, "id", id.as_str().into(), None);
                            }
                        }
                    }
                    _ => return Err(unwritable(fresh, "its verdicts are not a list of tables")),
                }
                Ok(Change::Text(editable.render()))
            },
            |written| {
                written.contradictions.len() == inc.contradictions.len()
                    && written.contradictions.iter().all(|c| c.id.is_some())
            },
        );
        match result {
            Ok(path) => done.push(IdsAdded { path, ids }),
            Err(e) if done.is_empty() => return Err(e),
            Err(e) => {
                return Err(WriteError::IdsPartly(
                    done.iter().map(|d| d.path.clone()).collect(),
                    Box::new(e),
                ));
            }
        }
    }
    Ok(done)
}
