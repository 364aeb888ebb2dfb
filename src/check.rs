//! Diagnostics and the rules that span files: duplicate incident ids, references into other
//! incidents, and the order of a verdict's two statements. Rules within one file live in
//! `parse`, which reports through the same `Diagnostic`.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::{Incident, StatementRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem in one file, at a 1-based line and column (in characters), as compilers print
/// them so that editors can jump there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.severity,
            self.message
        )
    }
}

/// Byte offsets to line and column, for one file's text. Lines are counted on demand: the
/// loader asks only for the lines of table headers, in increasing order, and a full index of
/// line starts is built only when a diagnostic needs a column.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: std::cell::OnceCell<Vec<usize>>,
    /// The last offset counted to, and its 1-based line.
    cursor: std::cell::Cell<(usize, u32)>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            starts: std::cell::OnceCell::new(),
            cursor: std::cell::Cell::new((0, 1)),
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(
                self.text
                    .bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            );
            starts
        })
    }

    /// 1-based line and character column of a byte offset.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let head = self.text.get(..offset).unwrap_or(self.text);
        let start = head.rfind('\n').map_or(0, |i| i + 1);
        let column = head
            .get(start..)
            .map_or(offset - start, |s| s.chars().count());
        (self.line(offset), column as u32 + 1)
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        let (at, line) = self.cursor.get();
        if offset < at {
            return self.starts().partition_point(|&s| s <= offset) as u32;
        }
        let newlines = self.text.as_bytes()[at..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        let line = line + newlines as u32;
        self.cursor.set((offset, line));
        line
    }
}

/// A parsed incident with what cross-file rules need to point back into its file.
pub struct Parsed {
    pub incident: Incident,
    /// For each contradiction, the positions of its two `between` references.
    pub between_positions: Vec<[(u32, u32); 2]>,
}

/// Which of the loaded incidents, by index into `ids`, the rule on ids drops: an incident
/// whose id another loaded incident has too, or a file that did not load would have
/// (`failed_ids`). In increasing order. Sorting finds the shared ids, so a warm search can ask
/// it of every file's id without a table of them.
pub fn clashing_ids(ids: &[&str], failed_ids: &HashMap<String, PathBuf>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_unstable_by_key(|&i| ids[i]);
    let mut dropped: Vec<usize> = order
        .iter()
        .enumerate()
        .filter(|&(n, &i)| {
            let same = |m: Option<usize>| {
                m.and_then(|m| order.get(m))
                    .is_some_and(|&o| ids[o] == ids[i])
            };
            same(n.checked_sub(1)) || same(Some(n + 1)) || failed_ids.contains_key(ids[i])
        })
        .map(|(_, &i)| i)
        .collect();
    dropped.sort_unstable();
    dropped
}

/// Applies the rules that need the whole corpus. `loaded` are the files without errors;
/// `failed_ids` the incident ids of files that did not load. Returns the diagnostics and the
/// indexes in `loaded` that must be dropped (duplicate ids).
pub fn cross_file(
    loaded: &[Parsed],
    failed_ids: &HashMap<String, PathBuf>,
) -> (Vec<Diagnostic>, Vec<usize>) {
    let mut diagnostics = Vec::new();
    let at = |path: &Path, (line, column): (u32, u32), severity, message: String| Diagnostic {
        path: path.to_path_buf(),
        line,
        column,
        severity,
        message,
    };

    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in loaded.iter().enumerate() {
        by_id.entry(p.incident.id.as_str()).or_default().push(i);
    }
    let ids: Vec<&str> = loaded.iter().map(|p| p.incident.id.as_str()).collect();
    let dropped = clashing_ids(&ids, failed_ids);
    for &i in &dropped {
        let mine = &loaded[i].incident.path;
        let id = ids[i];
        let others: Vec<String> = by_id[id]
            .iter()
            .map(|&j| loaded[j].incident.path.as_path())
            .chain(failed_ids.get(id).map(PathBuf::as_path))
            .filter(|p| p != mine)
            .map(|p| p.display().to_string())
            .collect();
        diagnostics.push(at(
            mine,
            (1, 1),
            crate::check::Severity::Error,
            format!(
                "incident id `{id}` is also the name of {}: ids come from file names, so \
                 rename one of them",
                others.join(", ")
            ),
        ));
    }

    let unique = |id: &str| match by_id.get(id) {
        Some(v) if v.len() == 1 => Some(&loaded[v[0]].incident),
        _ => None,
    };
    for p in loaded {
        let inc = &p.incident;
        for (c, pos) in inc.contradictions.iter().zip(&p.between_positions) {
            let mut dates = [None, None];
            for (k, r) in c.between.iter().enumerate() {
                if r.incident == inc.id {
                    dates[k] = inc.statement(&r.statement).map(|s| s.date);
                    continue; // same-file references were checked by `parse`
                }
                match unique(&r.incident) {
                    Some(other) => match other.statement(&r.statement) {
                        Some(s) => dates[k] = Some(s.date),
                        None => diagnostics.push(at(
                            &inc.path,
                            pos[k],
                            Severity::Error,
                            format!(
                                "`{r}` names no statement: incident `{}` has no statement `{}`{}",
                                r.incident,
                                r.statement,
                                suggestion(&r.statement, other.statements.iter().map(|s| &*s.id))
                            ),
                        )),
                    },
                    None if failed_ids.contains_key(&r.incident)
                        || by_id.contains_key(&*r.incident) =>
                    {
                        diagnostics.push(at(
                            &inc.path,
                            pos[k],
                            Severity::Warning,
                            format!(
                                "`{r}` cannot be checked: incident `{}` did not load (see its \
                                 errors)",
                                r.incident
                            ),
                        ))
                    }
                    None => diagnostics.push(at(
                        &inc.path,
                        pos[k],
                        Severity::Error,
                        format!(
                            "`{r}` names no statement: there is no incident `{}` in the corpus{}",
                            r.incident,
                            suggestion(&r.incident, by_id.keys().copied())
                        ),
                    )),
                }
            }
            if let [Some(a), Some(b)] = dates
                && a.start() > b.start()
            {
                diagnostics.push(at(
                    &inc.path,
                    pos[0],
                    Severity::Warning,
                    format!(
                        "`between` should name the earlier statement first: `{}` ({}) is later \
                         than `{}` ({})",
                        c.between[0],
                        a.human(),
                        c.between[1],
                        b.human()
                    ),
                ));
            }
        }
    }

    // The same pair judged twice is a merge leftover worth a look.
    let mut seen: HashMap<(StatementRef, StatementRef), (PathBuf, u32)> = HashMap::new();
    for p in loaded {
        for (c, pos) in p.incident.contradictions.iter().zip(&p.between_positions) {
            let mut pair = [c.between[0].clone(), c.between[1].clone()];
            pair.sort();
            let [a, b] = pair;
            let key = (a, b);
            if let Some((path, line)) = seen.get(&key) {
                diagnostics.push(at(
                    &p.incident.path,
                    pos[0],
                    Severity::Warning,
                    format!(
                        "this pair already has a verdict at {}:{line}; keep one of them",
                        path.display()
                    ),
                ));
            } else {
                seen.insert(key, (p.incident.path.clone(), pos[0].0));
            }
        }
    }
    (diagnostics, dropped)
}

/// ", did you mean `x`?" when a candidate is close to `word`, else nothing.
pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let best = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)));
    match best {
        Some((_, c)) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_two_files_give_drops_both_and_one_a_broken_file_gives_drops_it() {
        let failed = HashMap::from([("c".to_string(), PathBuf::from("c.toml"))]);
        assert_eq!(clashing_ids(&["b", "a", "b", "c", "d"], &failed), [0, 2, 3]);
        assert_eq!(
            clashing_ids(&["a", "b"], &HashMap::new()),
            Vec::<usize>::new()
        );
        assert_eq!(clashing_ids(&["a", "a", "a"], &HashMap::new()), [0, 1, 2]);
    }

    #[test]
    fn positions_count_characters() {
        let text = "ab\néé = x\n\nz";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(text.find('=').unwrap()), (2, 4));
        assert_eq!(idx.position(text.len()), (4, 2));
        let lazy = LineIndex::new(text);
        assert_eq!(lazy.line(text.len()), 4);
        assert_eq!(lazy.line(3), 2);
        assert_eq!(lazy.line(0), 1);
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggestion("translaton", ["text", "translation"]),
            "; did you mean `translation`?"
        );
        assert_eq!(suggestion("zzz", ["text", "translation"]), "");
    }
}
