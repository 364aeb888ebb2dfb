//! One incident file's text into an `Incident`, enforcing every rule of docs/format.md that needs
//! only that file, each problem a `Diagnostic` at the line of the offending key (or at its
//! table's header when a key is missing). No I/O.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use chrono::{DateTime, NaiveDate};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::check::{Diagnostic, LineIndex, Parsed, Severity, suggestion};
use crate::model::{
    Contradiction, Date, Incident, Kind, Source, Statement, StatementRef, Verdict, is_slug,
};

const INCIDENT_KEYS: &[&str] = &[
    "title",
    "company",
    "summary",
    "tags",
    "sources",
    "statements",
    "contradictions",
];
const SOURCE_KEYS: &[&str] = &[
    "id",
    "outlet",
    "url",
    "published",
    "archived",
    "lang",
    "snapshot",
    "sha256",
];
const STATEMENT_KEYS: &[&str] = &[
    "id",
    "date",
    "speaker",
    "organization",
    "role",
    "kind",
    "channel",
    "source",
    "via",
    "url",
    "lang",
    "text",
    "translation",
    "tags",
    "note",
];
const CONTRADICTION_KEYS: &[&str] = &[
    "id",
    "between",
    "reviewed",
    "verdict",
    "claim",
    "note",
    "tagged_by",
    "tagged_at",
];

const SLUG_HINT: &str = "lowercase letters, digits and single dashes, like `afp-denial`";
const DATE_HINT: &str = "a date like 2024-11-09, a date-time like 2024-11-09T14:05:00+01:00, or \"2024-11\" or \"2024\" when only the month or year is known";

/// Parses one file. `id` is the file stem. Returns the incident when the file has no errors,
/// and every diagnostic either way.
pub fn parse_incident(path: &Path, id: &str, text: &str) -> (Option<Parsed>, Vec<Diagnostic>) {
    // A file saved with CRLF line ends (a Windows checkout) reads as the same file saved with
    // LF: outside multi-line strings a CRLF is only a line end, and inside one it becomes
    // `\n`, so a text never depends on the platform it was checked out on. An escaped `\r`
    // is not a line end and stays. Lines and columns are unchanged.
    let normalized;
    let text = if memchr::memmem::find(text.as_bytes(), b"\r\n").is_some() {
        normalized = text.replace("\r\n", "\n");
        normalized.as_str()
    } else {
        text
    };
    let mut cx = Cx {
        path,
        lines: LineIndex::new(text),
        diagnostics: Vec::new(),
    };
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let at = e.span().map(|s| s.start).unwrap_or_else(|| deep_key(text));
            let mut message = e.message().trim().replace('\n', " ");
            if message == "recursion limit" {
                message = "a key of 80 or more dotted parts: shorten it".into();
            }
            cx.error(at, format!("not valid TOML: {message}"));
            return (None, cx.diagnostics);
        }
    };
    if let Some((span, what)) = bad_number(doc.get_ref()) {
        let shown = text.get(span.clone()).unwrap_or_default();
        cx.error(
            span.start,
            format!("not valid TOML: `{shown}` is not a valid {what}"),
        );
        return (None, cx.diagnostics);
    }
    let parsed = cx.incident(id, doc.get_ref());
    let failed = cx.diagnostics.iter().any(Diagnostic::is_error);
    (parsed.filter(|_| !failed), cx.diagnostics)
}

/// Where a key of too many dotted parts starts (the parser's error for it has no position):
/// the first line whose key, before `=` or inside a table header, has 80 parts or more (the
/// parser's limit); else the start of the file.
fn deep_key(text: &str) -> usize {
    const PARTS: usize = 80;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let key = if trimmed.starts_with('[') {
            trimmed.split(']').next().unwrap_or_default()
        } else {
            trimmed.split('=').next().unwrap_or_default()
        };
        if key.matches('.').count() + 1 >= PARTS {
            return at + (line.len() - trimmed.len());
        }
        at += line.len();
    }
    0
}

/// The parser keeps numbers as text and checks them only when they are read; no key of the
/// format is a number, so check every one here, or an invalid document such as `x = 0b` would
/// pass as TOML.
fn bad_number(table: &Table<'_>) -> Option<(Range<usize>, &'static str)> {
    table.iter().find_map(|(_, v)| bad_number_in(v))
}

fn bad_number_in(v: &Value<'_>) -> Option<(Range<usize>, &'static str)> {
    match v.get_ref() {
        DeValue::Integer(i) if i64::from_str_radix(i.as_str(), i.radix()).is_err() => {
            Some((v.span(), "integer"))
        }
        DeValue::Float(f) => {
            let s = f.as_str();
            let ok = s.parse::<f64>().is_ok_and(f64::is_finite)
                || matches!(s.trim_start_matches(['+', '-']), "inf" | "nan");
            (!ok).then(|| (v.span(), "float"))
        }
        DeValue::Array(items) => items.iter().find_map(bad_number_in),
        DeValue::Table(t) => bad_number(t),
        _ => None,
    }
}

struct Cx<'a> {
    path: &'a Path,
    lines: LineIndex<'a>,
    diagnostics: Vec<Diagnostic>,
}

type Table<'i> = DeTable<'i>;
type Value<'i> = Spanned<DeValue<'i>>;

type Entry<'t, 'i> = (&'t Spanned<std::borrow::Cow<'i, str>>, &'t Value<'i>);

/// The most keys a table of the format has (a statement's).
const MAX_KEYS: usize = 16;

/// A table's known keys, read in one pass, with the byte offset to blame when one of them is
/// missing.
struct At<'t, 'i> {
    header: usize,
    what: &'static str,
    keys: &'static [&'static str],
    /// The entry for each of `keys`, by position.
    slots: [Option<Entry<'t, 'i>>; MAX_KEYS],
}

impl<'t, 'i> At<'t, 'i> {
    fn get(&self, key: &str) -> Option<Entry<'t, 'i>> {
        let i = self
            .keys
            .iter()
            .position(|k| k.len() == key.len() && *k == key)?;
        self.slots[i]
    }
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl Cx<'_> {
    fn push(&mut self, at: usize, severity: Severity, message: String) {
        let (line, column) = self.lines.position(at);
        self.diagnostics.push(Diagnostic {
            path: self.path.to_path_buf(),
            line,
            column,
            severity,
            message,
        });
    }

    fn error(&mut self, at: usize, message: String) {
        self.push(at, Severity::Error, message);
    }

    fn warning(&mut self, at: usize, message: String) {
        self.push(at, Severity::Warning, message);
    }

    /// Reads a table's entries once: each known key into its slot, each unknown one a warning.
    fn at<'t, 'i>(
        &mut self,
        table: &'t Table<'i>,
        header: usize,
        what: &'static str,
        keys: &'static [&'static str],
    ) -> At<'t, 'i> {
        debug_assert!(keys.len() <= MAX_KEYS);
        let mut slots = [None; MAX_KEYS];
        for (k, v) in table.iter() {
            let name: &str = k.get_ref();
            match keys
                .iter()
                .position(|known| known.len() == name.len() && *known == name)
            {
                Some(i) => slots[i] = Some((k, v)),
                None => {
                    let hint = suggestion(name, keys.iter().copied());
                    self.warning(
                        k.span().start,
                        format!("unknown key `{name}` in {what}{hint}"),
                    );
                }
            }
        }
        At {
            header,
            what,
            keys,
            slots,
        }
    }

    /// A string value; `None` (with an error when `required`) if missing or not a string.
    fn string(&mut self, t: &At<'_, '_>, key: &str, required: bool) -> Option<String> {
        match t.get(key) {
            None => {
                if required {
                    self.error(
                        t.header,
                        format!("{} is missing required key `{key}`", t.what),
                    );
                }
                None
            }
            Some((k, v)) => match v.get_ref() {
                DeValue::String(s) => {
                    if required && s.trim().is_empty() {
                        self.error(k.span().start, format!("`{key}` must not be empty"));
                        return None;
                    }
                    Some(s.to_string())
                }
                other => {
                    self.error(
                        k.span().start,
                        format!("`{key}` must be a string, not {}", type_name(other)),
                    );
                    None
                }
            },
        }
    }

    fn slug(&mut self, t: &At<'_, '_>, key: &str, required: bool) -> Option<String> {
        let s = self.string(t, key, required)?;
        if is_slug(&s) {
            Some(s)
        } else {
            let at = t.get(key).map_or(t.header, |(k, _)| k.span().start);
            self.error(
                at,
                format!(
                    "`{key}` = \"{}\" is not a slug ({SLUG_HINT})",
                    s.escape_debug()
                ),
            );
            None
        }
    }

    fn tags(&mut self, t: &At<'_, '_>) -> Vec<String> {
        let Some((k, v)) = t.get("tags") else {
            return Vec::new();
        };
        let Some(items) = v.get_ref().as_array() else {
            self.error(
                k.span().start,
                format!(
                    "`tags` must be an array of slugs, not {}",
                    type_name(v.get_ref())
                ),
            );
            return Vec::new();
        };
        let mut tags = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref().as_str() {
                Some(s) if is_slug(s) => tags.push(s.to_string()),
                Some(s) => self.error(
                    item.span().start,
                    format!("tag \"{}\" is not a slug ({SLUG_HINT})", s.escape_debug()),
                ),
                None => self.error(
                    item.span().start,
                    format!("a tag must be a string, not {}", type_name(item.get_ref())),
                ),
            }
        }
        tags
    }

    fn date(&mut self, t: &At<'_, '_>, key: &str, required: bool) -> Option<Date> {
        let Some((k, v)) = t.get(key) else {
            if required {
                self.error(
                    t.header,
                    format!("{} is missing required key `{key}`", t.what),
                );
            }
            return None;
        };
        let at = k.span().start;
        let parsed = match v.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                        .map(Date::Day)
                }
                (Some(_), Some(_), Some(_)) => DateTime::parse_from_rfc3339(&dt.to_string())
                    .ok()
                    .map(Date::DateTime),
                (Some(_), Some(_), None) => {
                    self.error(
                        at,
                        format!(
                            "`{key}` = {dt} has a time but no offset: add one, like {dt}Z or \
                             {dt}+01:00, or keep only the date"
                        ),
                    );
                    return None;
                }
                _ => None,
            },
            DeValue::String(s) => match Date::parse(s) {
                Some(d @ (Date::Year(_) | Date::Month(..))) => Some(d),
                Some(_) => {
                    self.error(
                        at,
                        format!(
                            "`{key}` = \"{s}\": a full date is written without quotes, like \
                             {key} = {}",
                            s.trim()
                        ),
                    );
                    return None;
                }
                None => None,
            },
            _ => None,
        };
        if parsed.is_none() {
            let shown = match v.get_ref() {
                DeValue::String(s) => format!("\"{}\"", s.escape_debug()),
                DeValue::Datetime(dt) => dt.to_string(),
                other => type_name(other).to_string(),
            };
            self.error(
                at,
                format!("`{key}` = {shown} is not a date: write {DATE_HINT}"),
            );
        }
        parsed
    }

    fn lang(&mut self, t: &At<'_, '_>) -> Option<String> {
        let lang = self.string(t, "lang", false)?;
        let ok = {
            let mut parts = lang.split('-');
            let first = parts.next().unwrap_or("");
            (2..=3).contains(&first.len())
                && first.bytes().all(|b| b.is_ascii_alphabetic())
                && parts.all(|p| {
                    (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
                })
        };
        if !ok {
            let at = t.get("lang").map_or(t.header, |(k, _)| k.span().start);
            self.warning(
                at,
                format!(
                    "`lang` = \"{}\" does not look like a language tag such as \"fr\" or \"en-GB\"",
                    lang.escape_debug()
                ),
            );
        }
        Some(lang)
    }

    /// A `url`, with a warning when it is only an outlet's home page.
    fn url(&mut self, t: &At<'_, '_>) -> Option<String> {
        let url = self.string(t, "url", false)?;
        if crate::model::is_home_page(&url) {
            let at = t.get("url").map_or(t.header, |(k, _)| k.span().start);
            let problem = crate::model::HOME_PAGE;
            self.warning(at, format!("`url` = \"{}\" {problem}", url.escape_debug()));
        }
        Some(url)
    }

    /// A source's `snapshot`: a relative path inside the corpus folder, checked here for its
    /// shape only (the file itself is `snapshot`'s business).
    fn snapshot(&mut self, t: &At<'_, '_>) -> Option<String> {
        let path = self.string(t, "snapshot", false)?;
        let at = t.get("snapshot").map_or(t.header, |(k, _)| k.span().start);
        match crate::snapshot::path_problem(&path) {
            None => Some(path),
            Some(problem) => {
                self.error(
                    at,
                    format!(
                        "`snapshot` = \"{}\" {problem}: write a path inside the corpus folder, \
                         like \"sources/<incident>/<file>\"",
                        path.escape_debug()
                    ),
                );
                None
            }
        }
    }

    /// A source's `sha256`: 64 hexadecimal digits.
    fn sha256(&mut self, t: &At<'_, '_>, has_snapshot: bool) -> Option<String> {
        let hash = self.string(t, "sha256", false)?;
        let at = t.get("sha256").map_or(t.header, |(k, _)| k.span().start);
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            self.error(
                at,
                format!(
                    "`sha256` = \"{}\" is not a SHA-256: write the 64 hexadecimal digits of \
                     the saved copy's hash (`sha256sum FILE` prints them)",
                    hash.escape_debug()
                ),
            );
            return None;
        }
        if !has_snapshot && t.get("snapshot").is_none() {
            self.warning(
                at,
                "`sha256` without `snapshot`: name the saved copy it is the hash of".into(),
            );
        }
        Some(hash.to_ascii_lowercase())
    }

    /// An array of tables under `key`, each with the offset of its header.
    fn tables<'t, 'i>(
        &mut self,
        doc: &'t Table<'i>,
        key: &str,
        what: &'static str,
        keys: &'static [&'static str],
    ) -> Vec<At<'t, 'i>> {
        let Some((k, v)) = doc.get_key_value(key) else {
            return Vec::new();
        };
        let Some(items) = v.get_ref().as_array() else {
            self.error(
                k.span().start,
                format!(
                    "`{key}` must be an array of tables (write each as [[{key}]]), not {}",
                    type_name(v.get_ref())
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref().as_table() {
                Some(table) => {
                    let at = self.at(table, item.span().start, what, keys);
                    out.push(at)
                }
                None => self.error(
                    item.span().start,
                    format!(
                        "each entry of `{key}` must be a table, not {}",
                        type_name(item.get_ref())
                    ),
                ),
            }
        }
        out
    }

    fn incident(&mut self, id: &str, doc: &Table<'_>) -> Option<Parsed> {
        if !is_slug(id) {
            self.error(
                0,
                format!(
                    "the file name `{id}` is not a valid incident id ({SLUG_HINT}): rename the \
                     file"
                ),
            );
        }
        let top = self.at(doc, 0, "the incident", INCIDENT_KEYS);
        let title = self.string(&top, "title", true);
        let company = self.string(&top, "company", true);
        let summary = self.string(&top, "summary", false);
        let tags = self.tags(&top);

        let mut sources = Vec::new();
        let mut source_ids: HashMap<&str, usize> = HashMap::new();
        for t in self.tables(doc, "sources", "this [[sources]] entry", SOURCE_KEYS) {
            let sid = self.slug(&t, "id", true);
            let outlet = self.string(&t, "outlet", true);
            let url = self.url(&t);
            let published = self.date(&t, "published", false);
            let archived = self.string(&t, "archived", false);
            let lang = self.lang(&t);
            let snapshot = self.snapshot(&t);
            let sha256 = self.sha256(&t, snapshot.is_some());
            let line = self.lines.line(t.header);
            let snapshot_line = t
                .get("snapshot")
                .map_or(0, |(k, _)| self.lines.line(k.span().start));
            if sid.is_some() {
                self.unique(&mut source_ids, &t, "source");
            }
            if let (Some(id), Some(outlet)) = (sid, outlet) {
                sources.push(Source {
                    id,
                    outlet,
                    url,
                    published,
                    archived,
                    lang,
                    snapshot,
                    sha256,
                    line,
                    snapshot_line,
                });
            }
        }

        let mut statements = Vec::with_capacity(
            doc.get("statements")
                .and_then(|v| v.get_ref().as_array())
                .map_or(0, |a| a.len()),
        );
        let mut statement_ids: HashMap<&str, usize> = HashMap::new();
        let statement_tables = self.tables(
            doc,
            "statements",
            "this [[statements]] entry",
            STATEMENT_KEYS,
        );
        if statement_tables.is_empty() && !doc.contains_key("statements") {
            self.error(
                0,
                "the incident has no statements: add at least one [[statements]] table".into(),
            );
        }
        for t in statement_tables {
            let line = self.lines.line(t.header);
            let sid = self.slug(&t, "id", true);
            let date = self.date(&t, "date", true);
            let speaker = self.string(&t, "speaker", true);
            let organization = self.string(&t, "organization", false);
            let role = self.string(&t, "role", false);
            let kind = match self.string(&t, "kind", false) {
                None => Some(Kind::default()),
                Some(k) => {
                    let kind = Kind::parse(&k);
                    if kind.is_none() {
                        let at = t.get("kind").map_or(t.header, |(k, _)| k.span().start);
                        self.error(
                            at,
                            format!(
                                "`kind` = \"{}\" is not one of quote, paraphrase, document{}",
                                k.escape_debug(),
                                suggestion(&k, Kind::ALL.iter().map(|k| k.as_str()))
                            ),
                        );
                    }
                    kind
                }
            };
            let channel = self.string(&t, "channel", false);
            let source = self.string(&t, "source", false);
            if let Some(s) = &source
                && !source_ids.contains_key(s.as_str())
            {
                let at = t.get("source").map_or(t.header, |(k, _)| k.span().start);
                self.error(
                    at,
                    format!(
                        "`source` = \"{}\" names no [[sources]] entry in this file{}",
                        s.escape_debug(),
                        suggestion(s, source_ids.keys().copied())
                    ),
                );
            }
            let via = self.string(&t, "via", false);
            if let Some(v) = &via {
                let at = t.get("via").map_or(t.header, |(k, _)| k.span().start);
                if !source_ids.contains_key(v.as_str()) {
                    self.error(
                        at,
                        format!(
                            "`via` = \"{}\" names no [[sources]] entry in this file{}",
                            v.escape_debug(),
                            suggestion(v, source_ids.keys().copied())
                        ),
                    );
                } else if source.is_none() {
                    self.warning(
                        at,
                        "`via` names the outlet credited, but `source` is missing: say where \
                         the words were read"
                            .into(),
                    );
                } else if source.as_deref() == Some(v.as_str()) {
                    self.warning(
                        at,
                        "`via` names the same source as `source`: drop it, or name the outlet \
                         the source credits"
                            .into(),
                    );
                }
            }
            let url = self.url(&t);
            let lang = self.lang(&t);
            let text = self.string(&t, "text", true);
            let translation = self.string(&t, "translation", false);
            let tags = self.tags(&t);
            let note = self.string(&t, "note", false);
            if source.is_none() && url.is_none() {
                self.warning(
                    t.header,
                    "this statement has neither `source` nor `url`: say where it was published"
                        .into(),
                );
            }
            if translation.is_some() && lang.is_none() {
                let at = t
                    .get("translation")
                    .map_or(t.header, |(k, _)| k.span().start);
                self.warning(
                    at,
                    "`translation` without `lang`: say which language `text` is in".into(),
                );
            }
            if sid.is_some() {
                self.unique(&mut statement_ids, &t, "statement");
            }
            if let (Some(id), Some(date), Some(speaker), Some(kind), Some(text)) =
                (sid, date, speaker, kind, text)
            {
                statements.push(Statement {
                    id,
                    date,
                    speaker,
                    organization: organization
                        .unwrap_or_else(|| company.clone().unwrap_or_default()),
                    role,
                    kind,
                    channel,
                    source,
                    via,
                    url,
                    lang,
                    text,
                    translation,
                    tags,
                    note,
                    line,
                });
            }
        }

        let mut contradictions = Vec::new();
        let mut between_positions = Vec::new();
        let mut verdict_ids: HashMap<&str, usize> = HashMap::new();
        for t in self.tables(
            doc,
            "contradictions",
            "this [[contradictions]] entry",
            CONTRADICTION_KEYS,
        ) {
            let line = self.lines.line(t.header);
            let verdict_id = self.slug(&t, "id", false);
            if verdict_id.is_some() {
                self.unique(&mut verdict_ids, &t, "verdict");
            } else if t.get("id").is_none() {
                self.warning(
                    t.header,
                    "this verdict has no `id`: run `onrecord fix-ids` to give every verdict one, \
                     so that links, exports and merges can name it"
                        .into(),
                );
            }
            let between = self.between(&t, id, &statement_ids);
            let reviewed = self.reviewed(&t, id, between.as_ref().map(|(b, _)| b));
            let verdict = match self.string(&t, "verdict", true) {
                None => None,
                Some(v) => {
                    let verdict = Verdict::parse(&v);
                    if verdict.is_none() {
                        let at = t.get("verdict").map_or(t.header, |(k, _)| k.span().start);
                        let all: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
                        self.error(
                            at,
                            format!(
                                "`verdict` = \"{}\" is not one of {}{}",
                                v.escape_debug(),
                                all.join(", "),
                                suggestion(&v, all.iter().copied())
                            ),
                        );
                    }
                    verdict
                }
            };
            let claim = self.string(&t, "claim", false);
            let note = self.string(&t, "note", false);
            let tagged_by = self.string(&t, "tagged_by", false);
            let tagged_at = match t.get("tagged_at") {
                None => None,
                Some((k, v)) => {
                    let dt = match v.get_ref() {
                        DeValue::Datetime(dt) if dt.offset.is_some() && dt.date.is_some() => {
                            DateTime::parse_from_rfc3339(&dt.to_string()).ok()
                        }
                        _ => None,
                    };
                    if dt.is_none() {
                        self.error(
                            k.span().start,
                            "`tagged_at` must be a date-time with an offset, like \
                             2024-11-10T09:30:00Z"
                                .into(),
                        );
                    }
                    dt
                }
            };
            if let (Some((between, pos)), Some(verdict)) = (between, verdict) {
                contradictions.push(Contradiction {
                    id: verdict_id,
                    between,
                    reviewed,
                    verdict,
                    claim,
                    note,
                    tagged_by,
                    tagged_at,
                    line,
                });
                between_positions.push(pos);
            }
        }

        Some(Parsed {
            incident: Incident {
                id: id.to_string(),
                path: self.path.to_path_buf(),
                fingerprint: 0, // set by the loader, from the file's bytes
                title: title?,
                company: company?,
                summary,
                tags,
                sources,
                statements,
                contradictions,
            },
            between_positions,
        })
    }

    /// Records `id` (the value of `t`'s `id` key) as seen at its key's offset, or reports it
    /// as a duplicate. Lines are computed only for the error.
    fn unique<'t>(&mut self, seen: &mut HashMap<&'t str, usize>, t: &At<'t, '_>, what: &str) {
        let Some((k, v)) = t.get("id") else { return };
        let Some(id) = v.get_ref().as_str() else {
            return;
        };
        let at = k.span().start;
        if let Some(&first) = seen.get(id) {
            let first = self.lines.position(first).0;
            self.error(
                at,
                format!(
                    "duplicate {what} id `{id}` (first used on line {first}): ids must be unique \
                     in a file"
                ),
            );
        } else {
            seen.insert(id, at);
        }
    }

    /// `reviewed`, which must name one of the two statements of `between` (when those could be
    /// read at all).
    fn reviewed(
        &mut self,
        t: &At<'_, '_>,
        incident: &str,
        between: Option<&[StatementRef; 2]>,
    ) -> Option<StatementRef> {
        let s = self.string(t, "reviewed", false)?;
        let at = t.get("reviewed").map_or(t.header, |(k, _)| k.span().start);
        let r = match StatementRef::parse(&s, Some(incident)) {
            Ok(r) => r,
            Err(e) => {
                self.error(at, format!("`reviewed`: {e}"));
                return None;
            }
        };
        let between = between?;
        if !between.contains(&r) {
            self.error(
                at,
                format!(
                    "`reviewed` = \"{}\" names neither statement of `between`: write one of \
                     \"{}\" or \"{}\" (the claim under review), or leave it out for the second",
                    s.escape_debug(),
                    written(&between[0], incident),
                    written(&between[1], incident)
                ),
            );
            return None;
        }
        Some(r)
    }

    #[allow(clippy::type_complexity)]
    fn between(
        &mut self,
        t: &At<'_, '_>,
        incident: &str,
        statement_ids: &HashMap<&str, usize>,
    ) -> Option<([StatementRef; 2], [(u32, u32); 2])> {
        let Some((k, v)) = t.get("between") else {
            self.error(
                t.header,
                format!("{} is missing required key `between`", t.what),
            );
            return None;
        };
        let items = match v.get_ref().as_array() {
            Some(items) if items.len() == 2 => items,
            _ => {
                self.error(
                    k.span().start,
                    "`between` must be an array of two statement references, like \
                     [\"campaign-terms\", \"other-incident#afp-denial\"]"
                        .into(),
                );
                return None;
            }
        };
        let mut refs = Vec::with_capacity(2);
        let mut positions = [(0, 0); 2];
        for (i, item) in items.iter().enumerate() {
            let span: Range<usize> = item.span();
            positions[i] = self.lines.position(span.start);
            let Some(s) = item.get_ref().as_str() else {
                self.error(
                    span.start,
                    format!(
                        "a statement reference must be a string, not {}",
                        type_name(item.get_ref())
                    ),
                );
                continue;
            };
            match StatementRef::parse(s, Some(incident)) {
                Err(e) => self.error(span.start, e.to_string()),
                Ok(r) => {
                    if r.incident == incident && !statement_ids.contains_key(r.statement.as_str()) {
                        self.error(
                            span.start,
                            format!(
                                "`{s}` names no statement in this file{}",
                                suggestion(&r.statement, statement_ids.keys().copied())
                            ),
                        );
                        continue;
                    }
                    refs.push(r);
                }
            }
        }
        let [a, b]: [StatementRef; 2] = refs.try_into().ok()?;
        if a == b {
            self.error(
                items[1].span().start,
                format!("`between` names `{a}` twice: a verdict needs two different statements"),
            );
            return None;
        }
        Some(([a, b], positions))
    }
}

/// A reference as a file of `incident` writes it: bare for its own statements.
fn written(r: &StatementRef, incident: &str) -> String {
    if r.incident == incident {
        r.statement.clone()
    } else {
        r.to_string()
    }
}
