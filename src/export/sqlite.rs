//! The SQLite export, for `sqlite3`, Datasette and any SQL tool: tables `incidents`,
//! `sources`, `statements` (keyed by `ref`), `statement_tags` and `contradictions`, with
//! primary and foreign keys and an index on each key; tags also as JSON arrays for Datasette's
//! facets; and `statements_fts`, an FTS5 index over text, translation and speaker with
//! diacritics removed, so that `donnees` finds "données".
//!
//! The database is built in a temporary file beside the target, in one transaction with
//! prepared statements, and renamed over it when complete.

use std::path::Path;

use rusqlite::{Connection, params};

use super::{
    ExportError, Selection, Summary, iso, iso_day, precision_name, relative_path, replace_with,
};
use crate::query::Filter;
use crate::store::Corpus;

/// The schema. `statements_fts` reads its text from `statements` by rowid (an external-content
/// table, so the text is stored once); the export numbers statements 1, 2, 3... in order, a
/// numbering `VACUUM` keeps. `content="statements"` is spelled with double quotes because
/// that is how Datasette recognises the table's full-text index.
pub const SCHEMA: &str = r#"
CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    company TEXT NOT NULL,
    summary TEXT,
    tags TEXT NOT NULL,
    path TEXT NOT NULL
);
CREATE TABLE sources (
    incident TEXT NOT NULL REFERENCES incidents(id),
    id TEXT NOT NULL,
    outlet TEXT NOT NULL,
    url TEXT,
    published TEXT,
    published_precision TEXT,
    archived TEXT,
    lang TEXT,
    PRIMARY KEY (incident, id)
);
CREATE TABLE statements (
    ref TEXT PRIMARY KEY,
    incident TEXT NOT NULL REFERENCES incidents(id),
    id TEXT NOT NULL,
    date TEXT NOT NULL,
    date_precision TEXT NOT NULL,
    date_start TEXT NOT NULL,
    date_end TEXT NOT NULL,
    speaker TEXT NOT NULL,
    organization TEXT NOT NULL,
    role TEXT,
    kind TEXT NOT NULL,
    channel TEXT,
    source TEXT,
    url TEXT,
    lang TEXT,
    text TEXT NOT NULL,
    translation TEXT,
    tags TEXT NOT NULL,
    note TEXT,
    FOREIGN KEY (incident, source) REFERENCES sources(incident, id)
);
CREATE TABLE statement_tags (
    ref TEXT NOT NULL REFERENCES statements(ref),
    tag TEXT NOT NULL,
    PRIMARY KEY (ref, tag)
);
CREATE TABLE contradictions (
    id INTEGER PRIMARY KEY,
    incident TEXT NOT NULL REFERENCES incidents(id),
    statement_1 TEXT NOT NULL REFERENCES statements(ref),
    statement_2 TEXT NOT NULL REFERENCES statements(ref),
    verdict TEXT NOT NULL,
    claim TEXT,
    note TEXT,
    tagged_by TEXT,
    tagged_at TEXT
);
CREATE VIRTUAL TABLE statements_fts USING fts5(
    text, translation, speaker,
    content="statements",
    tokenize='unicode61 remove_diacritics 2'
);
"#;

/// Built after the rows are in: one sort per index instead of a tree kept balanced per row.
const INDEXES: &str = r#"
CREATE INDEX sources_incident ON sources(incident);
CREATE INDEX statements_incident ON statements(incident);
CREATE INDEX statements_source ON statements(incident, source);
CREATE INDEX statements_date ON statements(date_start);
CREATE INDEX statements_organization ON statements(organization);
CREATE INDEX statement_tags_tag ON statement_tags(tag);
CREATE INDEX contradictions_incident ON contradictions(incident);
CREATE INDEX contradictions_statement_1 ON contradictions(statement_1);
CREATE INDEX contradictions_statement_2 ON contradictions(statement_2);
CREATE INDEX contradictions_verdict ON contradictions(verdict);
INSERT INTO statements_fts(statements_fts) VALUES ('rebuild');
"#;

/// Builds the database and replaces `path` with it.
pub fn write_sqlite(path: &Path, corpus: &Corpus, filter: &Filter) -> Result<Summary, ExportError> {
    let selection = Selection::new(corpus, filter);
    replace_with(path, |_, temp| {
        build(temp, &selection).map_err(|e| ExportError::Sqlite(path.to_path_buf(), e))
    })?;
    Ok(selection.summary())
}

fn tags_json(tags: &[String]) -> String {
    serde_json::to_string(tags).unwrap_or_else(|_| "[]".into())
}

fn build(temp: &Path, selection: &Selection) -> rusqlite::Result<()> {
    let mut db = Connection::open(temp)?;
    // The file is a temporary one that is thrown away on any failure, so SQLite need not
    // guard it against a crash halfway; and no one else opens it before the rename. A large
    // page cache keeps the indexes being built in memory.
    db.execute_batch(
        "PRAGMA page_size = 8192;
         PRAGMA journal_mode = OFF;
         PRAGMA synchronous = OFF;
         PRAGMA locking_mode = EXCLUSIVE;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -262144;",
    )?;
    let tx = db.transaction()?;
    tx.execute_batch(SCHEMA)?;
    {
        let mut incident = tx.prepare(
            "INSERT INTO incidents (id, title, company, summary, tags, path)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut source = tx.prepare(
            "INSERT INTO sources (incident, id, outlet, url, published, published_precision,
             archived, lang) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut statement = tx.prepare(
            "INSERT INTO statements (rowid, ref, incident, id, date, date_precision, date_start,
             date_end, speaker, organization, role, kind, channel, source, url, lang, text,
             translation, tags, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
             ?18, ?19, ?20)",
        )?;
        let mut tag =
            tx.prepare("INSERT OR IGNORE INTO statement_tags (ref, tag) VALUES (?1, ?2)")?;
        let mut contradiction = tx.prepare(
            "INSERT INTO contradictions (incident, statement_1, statement_2, verdict, claim,
             note, tagged_by, tagged_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut rowid: i64 = 0;
        for sel in &selection.incidents {
            let inc = sel.incident;
            incident.execute(params![
                inc.id,
                inc.title,
                inc.company,
                inc.summary,
                tags_json(&inc.tags),
                relative_path(selection.corpus, inc),
            ])?;
            for s in &inc.sources {
                source.execute(params![
                    inc.id,
                    s.id,
                    s.outlet,
                    s.url,
                    s.published.as_ref().map(iso),
                    s.published.as_ref().map(precision_name),
                    s.archived,
                    s.lang,
                ])?;
            }
            for st in &sel.statements {
                rowid += 1;
                let reference = format!("{}#{}", inc.id, st.id);
                statement.execute(params![
                    rowid,
                    reference,
                    inc.id,
                    st.id,
                    iso(&st.date),
                    precision_name(&st.date),
                    iso_day(st.date.start()),
                    iso_day(st.date.end()),
                    st.speaker,
                    st.organization,
                    st.role,
                    st.kind.as_str(),
                    st.channel,
                    st.source,
                    st.url,
                    st.lang,
                    st.text,
                    st.translation,
                    tags_json(&st.tags),
                    st.note,
                ])?;
                for t in &st.tags {
                    tag.execute(params![reference, t])?;
                }
            }
            for c in &sel.contradictions {
                contradiction.execute(params![
                    inc.id,
                    c.between[0].to_string(),
                    c.between[1].to_string(),
                    c.verdict.as_str(),
                    c.claim,
                    c.note,
                    c.tagged_by,
                    c.tagged_at
                        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
                ])?;
            }
        }
    }
    tx.execute_batch(INDEXES)?;
    tx.commit()?;
    db.close().map_err(|(_, e)| e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_sqlite_has_fts5_with_diacritics_folding() {
        let db = Connection::open_in_memory().unwrap();
        db.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2');
             INSERT INTO t (x) VALUES ('Nous ne vendons pas de données clients');",
        )
        .expect("the bundled SQLite must be built with FTS5");
        let n: i64 = db
            .query_row("SELECT count(*) FROM t WHERE t MATCH 'donnees'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn the_schema_loads() {
        let db = Connection::open_in_memory().unwrap();
        db.execute_batch(SCHEMA).unwrap();
        db.execute_batch(INDEXES).unwrap();
    }
}
