//! The SQLite export, for `sqlite3`, Datasette and any SQL tool: tables `incidents`,
//! `sources`, `statements` (keyed by `ref`, with their incident's `company`),
//! `statement_tags` and `contradictions` (keyed by `ref`, `incident#verdict-id`, stable across
//! exports), with primary and foreign keys and an index on each key; tags also as JSON arrays
//! for Datasette's facets; the view `verdicts_with_statements`; and `statements_fts`, an FTS5
//! index over text, translation, speaker and `folded`, the same folded text `onrecord search`
//! matches ([`crate::fold`]: case, accents, ligatures), so that `donnees` finds "données",
//! `coeur` "cœur" and `finance` "ﬁnance", as the search does. [`write_datasette_metadata`]
//! writes the titles, facets and canned queries Datasette reads.
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
    company TEXT NOT NULL,
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
    folded TEXT NOT NULL,
    FOREIGN KEY (incident, source) REFERENCES sources(incident, id)
);
CREATE TABLE statement_tags (
    ref TEXT NOT NULL REFERENCES statements(ref),
    tag TEXT NOT NULL,
    PRIMARY KEY (ref, tag)
);
CREATE TABLE contradictions (
    ref TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    incident TEXT NOT NULL REFERENCES incidents(id),
    statement_1 TEXT NOT NULL REFERENCES statements(ref),
    statement_2 TEXT NOT NULL REFERENCES statements(ref),
    reviewed TEXT NOT NULL REFERENCES statements(ref),
    verdict TEXT NOT NULL,
    claim TEXT,
    note TEXT,
    tagged_by TEXT,
    tagged_at TEXT
);
CREATE VIRTUAL TABLE statements_fts USING fts5(
    text, translation, speaker, folded,
    content="statements",
    tokenize='unicode61 remove_diacritics 2'
);
CREATE VIEW verdicts_with_statements AS
SELECT
    c.ref, c.id, c.incident, i.company, i.title, c.verdict, c.reviewed, c.claim, c.note,
    c.statement_1, s1.date AS date_1, s1.speaker AS speaker_1,
    s1.organization AS organization_1, s1.kind AS kind_1, s1.text AS text_1,
    s1.translation AS translation_1,
    c.statement_2, s2.date AS date_2, s2.speaker AS speaker_2,
    s2.organization AS organization_2, s2.kind AS kind_2, s2.text AS text_2,
    s2.translation AS translation_2,
    c.tagged_by, c.tagged_at
FROM contradictions AS c
JOIN incidents AS i ON i.id = c.incident
JOIN statements AS s1 ON s1.ref = c.statement_1
JOIN statements AS s2 ON s2.ref = c.statement_2;
"#;

/// Built after the rows are in: one sort per index instead of a tree kept balanced per row.
const INDEXES: &str = r#"
CREATE INDEX sources_incident ON sources(incident);
CREATE INDEX statements_incident ON statements(incident);
CREATE INDEX statements_source ON statements(incident, source);
CREATE INDEX statements_date ON statements(date_start);
CREATE INDEX statements_organization ON statements(organization);
CREATE INDEX statements_company ON statements(company);
CREATE INDEX statement_tags_tag ON statement_tags(tag);
CREATE INDEX contradictions_incident ON contradictions(incident);
CREATE INDEX contradictions_statement_1 ON contradictions(statement_1);
CREATE INDEX contradictions_statement_2 ON contradictions(statement_2);
CREATE INDEX contradictions_reviewed ON contradictions(reviewed);
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
            "INSERT INTO statements (rowid, ref, incident, company, id, date, date_precision,
             date_start, date_end, speaker, organization, role, kind, channel, source, url, lang,
             text, translation, tags, note, folded)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
             ?18, ?19, ?20, ?21, ?22)",
        )?;
        let mut tag =
            tx.prepare("INSERT OR IGNORE INTO statement_tags (ref, tag) VALUES (?1, ?2)")?;
        let mut contradiction = tx.prepare(
            "INSERT INTO contradictions (ref, id, incident, statement_1, statement_2, reviewed,
             verdict, claim, note, tagged_by, tagged_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        let mut folded = String::new();
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
                folded.clear();
                for part in [Some(&st.text), st.translation.as_ref(), Some(&st.speaker)]
                    .into_iter()
                    .flatten()
                    .chain((st.organization != st.speaker).then_some(&st.organization))
                {
                    if !folded.is_empty() {
                        folded.push('\n');
                    }
                    for c in part.chars() {
                        crate::fold::fold_char(c, &mut folded);
                    }
                }
                statement.execute(params![
                    rowid,
                    reference,
                    inc.id,
                    inc.company,
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
                    folded,
                ])?;
                for t in &st.tags {
                    tag.execute(params![reference, t])?;
                }
            }
            for (c, id) in sel.contradictions.iter().zip(&sel.verdict_ids) {
                contradiction.execute(params![
                    format!("{}#{id}", inc.id),
                    id,
                    inc.id,
                    c.between[0].to_string(),
                    c.between[1].to_string(),
                    c.reviewed().0.to_string(),
                    c.verdict.as_str(),
                    c.claim,
                    c.note,
                    c.tagged_by,
                    super::tagged_at(c),
                ])?;
            }
        }
    }
    tx.execute_batch(INDEXES)?;
    tx.commit()?;
    db.close().map_err(|(_, e)| e)
}

/// What the Datasette metadata names: the database file (its stem is Datasette's name for
/// it) and the data's licence.
#[derive(Debug, Clone, Copy)]
pub struct MetadataOptions<'a> {
    pub database: &'a Path,
    pub license: Option<&'a str>,
    pub license_url: Option<&'a str>,
}

/// Canned queries a newsroom asks first, offered by Datasette on the database's page.
pub const CANNED_QUERIES: [(&str, &str, &str); 3] = [
    (
        "claims_found_wanting",
        "Claims found wanting, newest verdict first",
        "SELECT ref, company, verdict, reviewed, claim, date_1, text_1, date_2, text_2, note, \
         tagged_by, tagged_at FROM verdicts_with_statements WHERE verdict IN ('contradicts', \
         'partly-contradicts', 'walks-back') ORDER BY tagged_at DESC",
    ),
    (
        "company_timeline",
        "Everything a company said, by date",
        "SELECT ref, date, speaker, kind, text, translation FROM statements \
         WHERE company = :company ORDER BY date_start, ref",
    ),
    (
        "search",
        "Search the statements as onrecord search folds them (coeur finds cœur)",
        "SELECT statements.ref, statements.company, statements.date, statements.speaker, \
         statements.text FROM statements_fts JOIN statements \
         ON statements.rowid = statements_fts.rowid \
         WHERE statements_fts MATCH :words ORDER BY statements_fts.rank",
    ),
];

/// Writes Datasette's `metadata.json` for the database: titles and descriptions, the
/// licence, facets on company, kind and verdict, the full-text index of `statements`, and the
/// [`CANNED_QUERIES`].
pub fn write_datasette_metadata(
    w: &mut impl std::io::Write,
    options: &MetadataOptions,
) -> Result<(), ExportError> {
    use serde_json::json;
    let name = options
        .database
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "corpus".into());
    let queries: serde_json::Map<String, serde_json::Value> = CANNED_QUERIES
        .iter()
        .map(|(id, title, sql)| (id.to_string(), json!({"title": title, "sql": sql})))
        .collect();
    let mut meta = json!({
        "title": "On the record",
        "description": "What companies said on the record, each statement with its source, \
            and the verdicts fact-checkers recorded about pairs of them. Exported by onrecord.",
        "databases": {
            name: {
                "tables": {
                    "incidents": {
                        "description": "One row per incident file: its title and company.",
                        "label_column": "title",
                        "facets": ["company"]
                    },
                    "sources": {
                        "description": "Where statements were reported.",
                        "facets": ["outlet"]
                    },
                    "statements": {
                        "description": "What was said, verbatim, with its date at the precision \
                            known (date_start and date_end bound it). `folded` is the text as \
                            the search compares it.",
                        "label_column": "ref",
                        "facets": ["company", "kind", {"array": "tags"}],
                        "sort": "date_start",
                        "fts_table": "statements_fts",
                        "fts_pk": "rowid"
                    },
                    "statement_tags": {"facets": ["tag"]},
                    "contradictions": {
                        "description": "Verdicts about two statements; `reviewed` is the claim \
                            under review, the other its evidence.",
                        "facets": ["verdict", "incident"]
                    },
                    "verdicts_with_statements": {
                        "description": "Each verdict with both statements' dates, speakers and \
                            texts, and its incident's company.",
                        "facets": ["company", "verdict"]
                    }
                },
                "queries": queries
            }
        }
    });
    if let Some(license) = options.license {
        meta["license"] = json!(license);
    }
    if let Some(url) = options.license_url {
        meta["license_url"] = json!(url);
    }
    crate::output::write_json_value(w, &meta, true)?;
    writeln!(w)?;
    Ok(())
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
