//! Turning values into TOML and changing a file's text without touching what the change is
//! not about.
//!
//! A new entry is rendered on its own through `toml_edit` and appended to the file's text, so
//! every byte before it stays by construction. Removing or changing an entry goes through a
//! `toml_edit` document, and only after checking that the document renders the file back
//! byte for byte.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

use crate::model::{Date, StatementRef};

/// Whether a character is written as a `\uXXXX` escape rather than as itself: controls, and
/// the invisible characters that can reorder or hide text in an editor or a diff (bidi
/// embeddings, overrides, isolates and marks, zero-width characters, line separators, BOM).
fn escaped(c: char) -> bool {
    crate::text::is_unsafe(c)
        || matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2028}' | '\u{2029}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}'
        )
}

/// The TOML form of a string: a basic string with escapes, or, when it has line breaks and
/// `multiline` allows, a multi-line basic string that keeps them as real lines. Any text
/// reads back exactly (checked by the caller through `string_value`).
pub fn toml_string(s: &str, multiline: bool) -> String {
    // A multi-line string ending in a backslash reads back right, but taplo (behind editors'
    // TOML support) misreads `\\"""` and the rest of the file: such text gets a basic string.
    let ml = multiline && s.contains('\n') && !s.ends_with('\\');
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(if ml { "\"\"\"\n" } else { "\"" });
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // In a multi-line string a quote is written as itself unless it could run into
            // another quote or the closing delimiter.
            '"' if ml && !matches!(chars.peek(), None | Some('"')) => out.push('"'),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if ml => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if escaped(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push_str(if ml { "\"\"\"" } else { "\"" });
    out
}

/// A string value that reads back as exactly `s`.
pub fn string_value(s: &str, multiline: bool) -> Result<Value, String> {
    let repr = toml_string(s, multiline);
    let value: Value = repr
        .parse()
        .map_err(|e| format!("cannot encode the string {s:?}: {e}"))?;
    if value.as_str() != Some(s) {
        return Err(format!("the string {s:?} would not read back as itself"));
    }
    Ok(value)
}

/// A date as docs/format.md stores it: a TOML date or date-time, or a string for a partial date.
pub fn date_value(d: &Date) -> Result<Value, String> {
    match d {
        Date::Year(_) | Date::Month(..) => string_value(&d.iso(), false),
        Date::Day(_) | Date::DateTime(_) => d
            .iso()
            .parse::<toml_edit::Datetime>()
            .map(Value::from)
            .map_err(|e| format!("cannot write the date {d}: {e}")),
    }
}

pub fn datetime_value(rfc3339: &str) -> Result<Value, String> {
    rfc3339
        .parse::<toml_edit::Datetime>()
        .map(Value::from)
        .map_err(|e| format!("cannot write the date-time {rfc3339}: {e}"))
}

/// How a file ends its lines, so that what is appended matches.
pub struct Style {
    pub crlf: bool,
}

impl Style {
    pub fn of(text: &str) -> Style {
        Style {
            crlf: text.find('\n').is_some_and(|i| text[..i].ends_with('\r')),
        }
    }

    /// Multi-line strings keep bare `\n` inside them, which would mix line endings in a CRLF
    /// file; there every string stays on one line.
    pub fn multiline(&self) -> bool {
        !self.crlf
    }

    fn newline(&self) -> &'static str {
        if self.crlf { "\r\n" } else { "\n" }
    }
}

/// Renders one `[[key]]` entry on its own.
pub fn render_entry(key: &str, entry: &Table, style: &Style) -> String {
    let mut doc = DocumentMut::new();
    let mut array = ArrayOfTables::new();
    let mut entry = entry.clone();
    entry.decor_mut().set_prefix("");
    array.push(entry);
    doc.insert(key, Item::ArrayOfTables(array));
    let text = doc.to_string();
    if style.crlf {
        text.replace('\n', "\r\n")
    } else {
        text
    }
}

/// `text` with a rendered entry appended after a blank line.
pub fn append(text: &str, block: &str, style: &Style) -> String {
    let nl = style.newline();
    let mut out = String::with_capacity(text.len() + block.len() + 4);
    out.push_str(text);
    if !text.is_empty() {
        if !text.ends_with('\n') {
            out.push_str(nl);
        }
        if !out.ends_with("\n\n") && !out.ends_with("\n\r\n") {
            out.push_str(nl);
        }
    }
    out.push_str(block);
    out
}

/// Whether `key` may be defined in `text` as something other than `[[key]]` tables (such as
/// `key = []`), in which case appending `[[key]]` would not be valid TOML. A line of a
/// multi-line string can look like one too; that only costs the slower path.
pub fn may_be_inline(text: &str, key: &str) -> bool {
    let quoted = [format!("\"{key}\""), format!("'{key}'")];
    text.lines().any(|line| {
        let line = line.trim_start();
        [key, &quoted[0], &quoted[1]].iter().any(|k| {
            line.strip_prefix(*k)
                .map(str::trim_start)
                .is_some_and(|rest| rest.starts_with('=') || rest.starts_with('.'))
        })
    })
}

/// A file's text as a `toml_edit` document, to change and render back.
pub struct Editable {
    pub doc: DocumentMut,
    /// `toml_edit` writes every line ending as `\n`: a CRLF file is edited with `\n` and
    /// given its `\r\n` back, which is exact when it has no bare `\n`.
    crlf: bool,
}

impl Editable {
    /// Parses `text` for editing, refusing a file that would not be written back byte for
    /// byte.
    pub fn parse(text: &str) -> Result<Editable, String> {
        let crlf =
            Style::of(text).crlf && text.matches('\n').count() == text.matches("\r\n").count();
        let lf;
        let source = if crlf {
            lf = text.replace("\r\n", "\n");
            &lf
        } else {
            text
        };
        let doc: DocumentMut = source
            .parse()
            .map_err(|e: toml_edit::TomlError| e.message().trim().to_string())?;
        let editable = Editable { doc, crlf };
        if editable.render() != text {
            return Err("the file's formatting would not survive an edit".into());
        }
        Ok(editable)
    }

    pub fn render(&self) -> String {
        let text = self.doc.to_string();
        if self.crlf {
            text.replace('\n', "\r\n")
        } else {
            text
        }
    }
}

/// Adds an entry where `key` is not an array of tables that text can be appended to: an
/// inline array such as the `statements = []` that `new` writes. An empty inline array gives
/// way to `[[key]]` tables at the end of the file; a non-empty one gets an inline table.
pub fn push_into_inline_array(doc: &mut DocumentMut, key: &str, entry: &Table) -> bool {
    let next = last_position(doc) + 1;
    let Some(item) = doc.as_table_mut().get_mut(key) else {
        return false;
    };
    match item {
        Item::Value(Value::Array(array)) if array.is_empty() => {
            let mut entry = entry.clone();
            entry.set_position(next);
            let mut tables = ArrayOfTables::new();
            tables.push(entry);
            *item = Item::ArrayOfTables(tables);
            // The key's own whitespace and comments would end up inside the `[[key]]` header;
            // they go before it instead.
            let mut key_decor = doc.key_mut(key).map(|mut k| {
                let d = k.leaf_decor().clone();
                k.leaf_decor_mut().clear();
                d
            });
            let prefix = key_decor
                .as_mut()
                .and_then(|d| d.prefix().and_then(|p| p.as_str()).map(str::to_string))
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| "\n".into());
            if let Some(Item::ArrayOfTables(tables)) = doc.get_mut(key)
                && let Some(t) = tables.get_mut(0)
            {
                t.decor_mut().set_prefix(prefix);
            }
            true
        }
        Item::Value(Value::Array(array)) => {
            let mut inline = entry.clone().into_inline_table();
            inline.fmt();
            // One entry a line when the list is written that way.
            let prefix = array
                .iter()
                .last()
                .and_then(|v| v.decor().prefix())
                .and_then(|p| p.as_str())
                .filter(|p| p.contains('\n'))
                .map(str::to_string);
            match prefix {
                Some(prefix) => {
                    let mut value = Value::InlineTable(inline);
                    value.decor_mut().set_prefix(prefix);
                    array.push_formatted(value);
                }
                None => array.push(inline),
            }
            true
        }
        _ => false,
    }
}

fn last_position(doc: &DocumentMut) -> isize {
    let mut last = 0;
    for (_, item) in doc.iter() {
        match item {
            Item::Table(t) => last = last.max(t.position().unwrap_or(0)),
            Item::ArrayOfTables(a) => {
                for t in a.iter() {
                    last = last.max(t.position().unwrap_or(0));
                }
            }
            _ => {}
        }
    }
    last
}

/// Whether an entry's `between` names the pair `a`, `b` in either order, with bare ids read
/// as statements of `incident`.
pub fn names_pair(
    between: Option<&Value>,
    incident: &str,
    a: &StatementRef,
    b: &StatementRef,
) -> bool {
    let Some(Value::Array(items)) = between else {
        return false;
    };
    let refs: Vec<StatementRef> = items
        .iter()
        .filter_map(|v| v.as_str())
        .filter_map(|s| StatementRef::parse(s, Some(incident)).ok())
        .collect();
    match refs.as_slice() {
        [x, y] => (x == a && y == b) || (x == b && y == a),
        _ => false,
    }
}

/// Removes every `contradictions` entry about the pair. Comments above a removed entry's
/// header are kept (they may introduce the entries that follow), moved to the next table or
/// to the end of the file. Returns how many entries were removed.
pub fn remove_pair(
    doc: &mut DocumentMut,
    incident: &str,
    a: &StatementRef,
    b: &StatementRef,
) -> usize {
    let mut kept_comments: Vec<(isize, String)> = Vec::new();
    let mut removed = 0;
    let mut now_empty = false;
    match doc.get_mut("contradictions") {
        Some(Item::ArrayOfTables(tables)) => {
            let mut i = 0;
            while i < tables.len() {
                let t = tables.get(i).expect("index in bounds");
                if names_pair(t.get("between").and_then(Item::as_value), incident, a, b) {
                    let comments = t
                        .decor()
                        .prefix()
                        .and_then(|p| p.as_str())
                        .map(comment_lines)
                        .unwrap_or_default();
                    if !comments.is_empty() {
                        kept_comments.push((t.position().unwrap_or(0), comments));
                    }
                    tables.remove(i);
                    removed += 1;
                } else {
                    i += 1;
                }
            }
            now_empty = tables.is_empty();
        }
        Some(Item::Value(Value::Array(array))) => {
            let before = array.len();
            array.retain(|v| {
                let between = v.as_inline_table().and_then(|t| t.get("between"));
                !names_pair(between, incident, a, b)
            });
            removed = before - array.len();
        }
        _ => {}
    }
    if now_empty {
        doc.remove("contradictions");
    }
    for (position, comments) in kept_comments {
        give_comments_to_next(doc, position, &comments);
    }
    removed
}

/// The lines of a table's prefix up to its last comment line; blank lines after it went with
/// the table.
fn comment_lines(prefix: &str) -> String {
    let mut end = 0;
    let mut start = 0;
    for line in prefix.split_inclusive('\n') {
        start += line.len();
        if line.trim_start().starts_with('#') {
            end = start;
        }
    }
    prefix[..end].to_string()
}

fn give_comments_to_next(doc: &mut DocumentMut, position: isize, comments: &str) {
    let mut next: Option<&mut Table> = None;
    for (_, item) in doc.iter_mut() {
        let candidates: Vec<&mut Table> = match item {
            Item::Table(t) => vec![t],
            Item::ArrayOfTables(a) => a.iter_mut().collect(),
            _ => Vec::new(),
        };
        for t in candidates {
            let p = t.position().unwrap_or(0);
            if p > position && next.as_ref().is_none_or(|n| p < n.position().unwrap_or(0)) {
                next = Some(t);
            }
        }
    }
    match next {
        Some(t) => {
            let old = t
                .decor()
                .prefix()
                .and_then(|p| p.as_str())
                .unwrap_or("\n")
                .to_string();
            t.decor_mut().set_prefix(format!("{comments}{old}"));
        }
        None => {
            let old = doc.trailing().as_str().unwrap_or("").to_string();
            doc.set_trailing(format!("{comments}{old}"));
        }
    }
}

/// Sets `key` in an existing table, keeping the key and the value's surrounding whitespace and
/// comments where there was a value already.
pub fn set_value(table: &mut Table, key: &str, mut value: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        _ => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// Sets `key` in a table, placing a new key right after `after` (or first, with `None`) rather
/// than at the end, so that a verdict's `id` leads its entry as docs/format.md writes it. Every
/// other key keeps its place, comments and whitespace.
pub fn put_key(table: &mut Table, key: &str, value: Value, after: Option<&str>) {
    if table.contains_key(key) {
        set_value(table, key, value);
        return;
    }
    table.insert(key, Item::Value(value));
    let order = new_order(table.iter().map(|(k, _)| k.to_string()), key, after);
    table.sort_values_by(|a, _, b, _| rank(&order, a.get()).cmp(&rank(&order, b.get())));
}

/// [`put_key`] for an inline table (`contradictions = [{ between = [...] }]`).
pub fn put_inline_key(
    table: &mut toml_edit::InlineTable,
    key: &str,
    value: Value,
    after: Option<&str>,
) {
    if let Some(old) = table.get_mut(key) {
        let decor = old.decor().clone();
        *old = value;
        *old.decor_mut() = decor;
        return;
    }
    table.insert(key, value);
    let order = new_order(table.iter().map(|(k, _)| k.to_string()), key, after);
    table.sort_values_by(|a, _, b, _| rank(&order, a.get()).cmp(&rank(&order, b.get())));
    table.fmt();
}

fn new_order(keys: impl Iterator<Item = String>, key: &str, after: Option<&str>) -> Vec<String> {
    let mut order: Vec<String> = keys.filter(|k| k != key).collect();
    let at = after
        .and_then(|a| order.iter().position(|k| k == a))
        .map_or(0, |i| i + 1);
    order.insert(at, key.to_string());
    order
}

fn rank(order: &[String], key: &str) -> usize {
    order.iter().position(|k| k == key).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_goes_where_it_is_asked_and_nothing_else_moves() {
        let text = "[[contradictions]]\n# why\nbetween = [\"x\", \"y\"]  # pair\nverdict = \"contradicts\"\n";
        let mut e = Editable::parse(text).unwrap();
        let t = e.doc["contradictions"]
            .as_array_of_tables_mut()
            .unwrap()
            .get_mut(0)
            .unwrap();
        put_key(t, "id", "x-vs-y".into(), None);
        put_key(t, "reviewed", "x".into(), Some("between"));
        assert_eq!(
            e.render(),
            "[[contradictions]]\nid = \"x-vs-y\"\n# why\nbetween = [\"x\", \"y\"]  # pair\nreviewed = \"x\"\nverdict = \"contradicts\"\n"
        );
        let mut e = Editable::parse("contradictions = [{ between = [\"x\", \"y\"] }]\n").unwrap();
        let t = e.doc["contradictions"]
            .as_array_mut()
            .unwrap()
            .get_mut(0)
            .unwrap()
            .as_inline_table_mut()
            .unwrap();
        put_inline_key(t, "id", "x-vs-y".into(), None);
        let out = e.render();
        let back: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(
            back["contradictions"][0]["id"].as_str(),
            Some("x-vs-y"),
            "{out}"
        );
        assert!(
            out.find("id").unwrap() < out.find("between").unwrap(),
            "{out}"
        );
    }

    fn reads_back(s: &str, multiline: bool) {
        let v = string_value(s, multiline).unwrap();
        let doc: DocumentMut = format!("k = {v}\n").parse().unwrap();
        assert_eq!(doc["k"].as_str(), Some(s), "{s:?}");
        let parsed: toml::Table = toml::from_str(&format!("k = {v}\n")).unwrap();
        assert_eq!(parsed["k"].as_str(), Some(s), "{s:?}");
    }

    #[test]
    fn strings_read_back() {
        for s in [
            "",
            "plain",
            "\"",
            "\"\"",
            "\"\"\"",
            "a\"\"\"b",
            "ends with a quote\"",
            "\n",
            "\n\n",
            "line\nline\"",
            "line\n\"\"\"\nline",
            "back\\slash\n\\",
            "tab\tcr\r\nlf",
            "\u{0}\u{1b}[31m\u{7f}\u{9b}",
            "\u{202E}evil\u{202C} \u{2066}x\u{2069}",
            "'''single'''",
            "trailing space \n  ",
            "\r",
            "\\\n",
        ] {
            reads_back(s, true);
            reads_back(s, false);
        }
    }

    #[test]
    fn bidi_overrides_are_visible_in_the_file() {
        assert_eq!(toml_string("a\u{202E}b", true), "\"a\\u202Eb\"");
        assert_eq!(toml_string("a\nb", true), "\"\"\"\na\nb\"\"\"");
        assert_eq!(toml_string("a\nb", false), "\"a\\nb\"");
    }

    #[test]
    fn appending_keeps_the_text_and_separates_the_block() {
        let lf = Style { crlf: false };
        assert_eq!(append("a = 1\n", "[[x]]\n", &lf), "a = 1\n\n[[x]]\n");
        assert_eq!(append("a = 1", "[[x]]\n", &lf), "a = 1\n\n[[x]]\n");
        assert_eq!(append("a = 1\n\n", "[[x]]\n", &lf), "a = 1\n\n[[x]]\n");
        let crlf = Style::of("a = 1\r\n");
        assert!(crlf.crlf);
        assert_eq!(
            append("a = 1\r\n", "[[x]]\r\n", &crlf),
            "a = 1\r\n\r\n[[x]]\r\n"
        );
    }

    #[test]
    fn inline_definitions_are_noticed() {
        assert!(may_be_inline("a = 1\n  statements = []\n", "statements"));
        assert!(may_be_inline("\"statements\" =[\n]", "statements"));
        assert!(may_be_inline("'statements'.x = 1", "statements"));
        assert!(!may_be_inline(
            "[[statements]]\nid = \"statements\"\n",
            "statements"
        ));
        assert!(!may_be_inline("statements_old = 1\n", "statements"));
    }

    #[test]
    fn removing_keeps_comments_above_the_entry() {
        let text = "a = 1\n\n# Verdicts\n[[contradictions]]\nbetween = [\"x\", \"y\"]\n\n[[contradictions]]\nbetween = [\"x\", \"z\"]\n";
        let mut e = Editable::parse(text).unwrap();
        let doc = &mut e.doc;
        let n = remove_pair(
            doc,
            "i",
            &StatementRef::new("i", "y"),
            &StatementRef::new("i", "x"),
        );
        assert_eq!(n, 1);
        assert_eq!(
            doc.to_string(),
            "a = 1\n\n# Verdicts\n\n[[contradictions]]\nbetween = [\"x\", \"z\"]\n"
        );
    }

    #[test]
    fn an_empty_inline_array_gives_way_to_tables() {
        let text = "title = \"t\"\n\n# Said on the record\nstatements = []  # c\n";
        let mut e = Editable::parse(text).unwrap();
        let doc = &mut e.doc;
        let mut t = Table::new();
        t.insert("id", Item::Value("x".into()));
        assert!(push_into_inline_array(doc, "statements", &t));
        assert_eq!(
            doc.to_string(),
            "title = \"t\"\n\n# Said on the record\n[[statements]]\nid = \"x\"\n"
        );
    }

    #[test]
    fn crlf_files_are_edited_and_keep_their_line_endings() {
        let text = "a = 1\r\n\r\n[[contradictions]]\r\nbetween = [\"x\", \"y\"]\r\n";
        let mut e = Editable::parse(text).unwrap();
        assert_eq!(e.render(), text);
        remove_pair(
            &mut e.doc,
            "i",
            &StatementRef::new("i", "y"),
            &StatementRef::new("i", "x"),
        );
        assert_eq!(e.render(), "a = 1\r\n");
        // A bare line feed among CRLF lines cannot be given back exactly.
        assert!(Editable::parse("a = 1\r\nb = 2\n").is_err());
    }
}
