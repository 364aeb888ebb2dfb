//! `onrecord check`: every diagnostic of the corpus, one a line, or as GitHub Actions
//! annotations or a SARIF log for CI; with `--staged`, only the files staged for the next commit,
//! as they are staged.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde_json::json;

use super::{Context, Error, Paint, Status, write_json};
use crate::check::{self, Diagnostic, Severity};
use crate::store::{self, Corpus};
use crate::text::{one_line, sanitize};

#[derive(Debug, Default, clap::Args)]
pub struct Args {
    /// Fail on warnings too
    #[arg(long)]
    pub strict: bool,
    /// Check only the incident files staged in git, as staged (for a pre-commit hook)
    #[arg(long)]
    pub staged: bool,
    /// text, json, github (GitHub Actions annotations) or sarif (SARIF 2.1.0, for code scanning)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
    Github,
    Sarif,
}

pub fn run(args: &Args, cx: &Context, out: &mut impl Write) -> Result<Status, Error> {
    let (mut corpus, checked) = if args.staged {
        let (corpus, staged) = load_staged(cx.dir())?;
        (corpus, Some(staged))
    } else {
        (store::load(cx.dir())?, None)
    };
    // The saved copies are read here rather than on every load: hashing them all costs time
    // no other command needs to spend.
    let snapshots = crate::snapshot::diagnostics(&corpus);
    if !snapshots.is_empty() {
        corpus.diagnostics.extend(snapshots);
        corpus.diagnostics.sort_by(|a, b| {
            (&a.path, a.line, a.column, b.severity).cmp(&(&b.path, b.line, b.column, a.severity))
        });
    }
    let diagnostics: Vec<&Diagnostic> = corpus
        .diagnostics
        .iter()
        .filter(|d| checked.as_ref().is_none_or(|c| c.contains(&d.path)))
        .collect();
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    match args.format {
        Format::Json => write_json(out, &diagnostics)?,
        Format::Github => {
            let top = crate::git::toplevel(cx.dir()).ok();
            for d in &diagnostics {
                writeln!(
                    out,
                    "{}",
                    github_annotation(d, &repo_path(top.as_deref(), &d.path))
                )?;
            }
        }
        Format::Sarif => {
            let top = crate::git::toplevel(cx.dir()).ok();
            write_json(out, &sarif(&diagnostics, |p| repo_path(top.as_deref(), p)))?
        }
        Format::Text => {
            let paint = Paint(cx.color);
            for d in &diagnostics {
                let severity = match d.severity {
                    Severity::Error => paint.red("error"),
                    Severity::Warning => paint.yellow("warning"),
                };
                writeln!(
                    out,
                    "{}:{}:{}: {severity}: {}",
                    one_line(&d.path.display().to_string()),
                    d.line,
                    d.column,
                    one_line(&d.message)
                )?;
            }
        }
    }
    let files = checked.as_ref().map_or(corpus.files, Vec::len);
    let failed = corpus
        .failed
        .iter()
        .filter(|p| checked.as_ref().is_none_or(|c| c.contains(p)))
        .count();
    summary(
        files,
        args.staged,
        failed,
        errors,
        warnings,
        &mut io::stderr().lock(),
    )?;
    let failing = errors > 0 || (args.strict && warnings > 0);
    Ok(if failing {
        Status::Findings
    } else {
        Status::Ok
    })
}

fn summary(
    files: usize,
    staged: bool,
    failed: usize,
    errors: usize,
    warnings: usize,
    w: &mut impl Write,
) -> io::Result<()> {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    writeln!(
        w,
        "checked {}{}: {} loaded, {}, {}, {}",
        plural(files, "file", "files"),
        if staged { " staged" } else { "" },
        files - failed,
        plural(failed, "failed", "failed"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    )
}

/// A path as CI tools want it: relative to the repository's top folder, with `/`, when the
/// corpus is in one; else as given.
fn repo_path(top: Option<&Path>, path: &Path) -> String {
    top.and_then(|t| crate::git::relative(t, path))
        .unwrap_or_else(|| path.display().to_string().replace('\\', "/"))
}

/// `::error file=…,line=…,col=…::message`, escaped as GitHub's toolkit escapes workflow
/// commands, so that no record text can end the annotation or start a command of its own.
pub fn github_annotation(d: &Diagnostic, file: &str) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!(
        "::{level} file={},line={},col={}::{}",
        escape_property(&sanitize(file)),
        d.line,
        d.column,
        escape_data(&sanitize(&d.message))
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The diagnostics as a SARIF 2.1.0 log: one rule per severity, columns in Unicode code points
/// as `check` counts them.
pub fn sarif(diagnostics: &[&Diagnostic], path: impl Fn(&Path) -> String) -> serde_json::Value {
    let results: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let (rule, level) = match d.severity {
                Severity::Error => ("format-error", "error"),
                Severity::Warning => ("format-warning", "warning"),
            };
            json!({
                "ruleId": rule,
                "level": level,
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&path(&d.path)) },
                        "region": { "startLine": d.line, "startColumn": d.column }
                    }
                }]
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "onrecord",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": [
                        {
                            "id": "format-error",
                            "shortDescription": { "text": "An incident file breaks a rule of the file format; it does not load" },
                            "defaultConfiguration": { "level": "error" }
                        },
                        {
                            "id": "format-warning",
                            "shortDescription": { "text": "An incident file loads but has something worth a look" },
                            "defaultConfiguration": { "level": "warning" }
                        }
                    ]
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    })
}

/// A relative path as a URI reference: every byte but unreserved characters and `/`
/// percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The corpus as it would be committed: the staged content of each staged incident file, the
/// work tree's for the others (so that references across files still resolve). Returns the
/// corpus and the staged files' paths, as the corpus names them.
fn load_staged(dir: &Path) -> Result<(Corpus, Vec<PathBuf>), Error> {
    let staged = crate::git::staged_files(dir)?;
    let files = store::incident_files(dir)?;
    let canon_dir = std::fs::canonicalize(dir)?;
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    // Each staged file under the corpus, named as the corpus names its files.
    let mut by_path: HashMap<PathBuf, Vec<u8>> = HashMap::new();
    for (path, bytes) in staged {
        let Ok(rel) = canon(&path).strip_prefix(&canon_dir).map(Path::to_path_buf) else {
            continue;
        };
        let hidden = rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if hidden || !store::is_incident_file_name(name) {
            continue;
        }
        by_path.insert(dir.join(rel), bytes);
    }
    let mut all: Vec<PathBuf> = files.clone();
    all.extend(by_path.keys().filter(|p| !files.contains(p)).cloned());
    all.sort();
    let mut loaded = Vec::new();
    let mut diagnostics = Vec::new();
    let mut failed = Vec::new();
    let mut failed_ids = HashMap::new();
    for path in &all {
        let (parsed, diags) = match by_path.get(path) {
            Some(bytes) => parse_bytes(path, bytes),
            None => store::load_file(path),
        };
        diagnostics.extend(diags);
        match parsed {
            Some(p) => loaded.push(p),
            None => {
                let id = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default();
                failed_ids.insert(id.to_string(), path.clone());
                failed.push(path.clone());
            }
        }
    }
    let (cross, dropped) = check::cross_file(&loaded, &failed_ids);
    diagnostics.extend(cross);
    for &i in dropped.iter().rev() {
        failed.push(loaded.remove(i).incident.path);
    }
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, b.severity).cmp(&(&b.path, b.line, b.column, a.severity))
    });
    let mut staged: Vec<PathBuf> = by_path.into_keys().collect();
    staged.sort();
    let corpus = Corpus {
        root: dir.to_path_buf(),
        incidents: loaded.into_iter().map(|p| p.incident).collect(),
        failed,
        diagnostics,
        files: all.len(),
    };
    Ok((corpus, staged))
}

/// One file's staged bytes, read as the loader reads a file.
fn parse_bytes(path: &Path, bytes: &[u8]) -> (Option<check::Parsed>, Vec<Diagnostic>) {
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    match std::str::from_utf8(bytes) {
        Ok(text) => crate::parse::parse_incident(path, id, text),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, column) = check::LineIndex::new(valid).position(valid.len());
            let d = Diagnostic {
                path: path.to_path_buf(),
                line,
                column,
                severity: Severity::Error,
                message: "not UTF-8: incident files must be saved as UTF-8 (re-save the file \
                          with that encoding)"
                    .into(),
            };
            (None, vec![d])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_escape_what_github_reads() {
        let d = Diagnostic {
            path: "x".into(),
            line: 3,
            column: 7,
            severity: Severity::Error,
            message: "100% wrong\r\n::warning::forged\u{1b}[31m".into(),
        };
        assert_eq!(
            github_annotation(&d, "statements/a,b:c.toml"),
            "::error file=statements/a%2Cb%3Ac.toml,line=3,col=7::100%25 wrong%0A::warning::forged␛[31m"
        );
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("statements/a b/é.toml"), "statements/a%20b/%C3%A9.toml");
    }
}
