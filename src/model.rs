//! The records themselves: incidents, sources, statements, verdicts, statement references and
//! dates, as docs/format.md defines them. Plain data with serde `Serialize` for the JSON outputs; no
//! I/O. Reading a file into these types, with diagnostics, is `parse`'s job.

use std::cmp::Ordering;
use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde::{Serialize, Serializer};

/// The longest slug docs/format.md allows.
pub const MAX_SLUG_LEN: usize = 80;

/// `^[a-z0-9]+(-[a-z0-9]+)*$`, at most 80 characters.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG_LEN
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Why a `url` cannot be a source's address as `source add` takes it: it must be a web
/// address of the item itself, not of an outlet's home page. `None` when it can.
pub fn url_problem(url: &str) -> Option<&'static str> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Some("is not a web address: write it as https://...");
    };
    if rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("holds spaces or control characters");
    }
    is_home_page(url).then_some(HOME_PAGE)
}

/// What `check` and `source add` say about an outlet's home page given as an item's address.
pub const HOME_PAGE: &str =
    "points at a home page, not at the item: give the article's own address, or leave it out";

/// Whether a web address names a site's home page only (`https://www.example.org/`), which
/// proves nothing about what was published.
pub fn is_home_page(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let path = rest.find(['/', '?', '#']).map_or("", |i| &rest[i..]);
    path.trim_matches('/').is_empty()
}

/// How a slug is written, for the messages that refuse one.
pub const SLUG_HINT: &str = "lowercase letters, digits and single dashes, like `afp-denial`";

/// How a date is written in an incident file, for the messages that refuse one: there a
/// partial date is a quoted string.
pub const DATE_HINT: &str = "a date like 2024-11-09, a date-time like 2024-11-09T14:05:00+01:00, or \"2024-11\" or \"2024\" when only the month or year is known";

/// How a date is written on the command line or in the interface's form, where nothing is
/// quoted.
pub const DATE_HINT_UNQUOTED: &str = "a date like 2024-11-09, a date-time like 2024-11-09T14:05:00+01:00, or 2024-11 or 2024 when only the month or year is known";

/// Whether `s` has the shape of a BCP 47 language tag: a language of two or three letters,
/// then any subtags of one to eight letters or digits (`fr`, `en-GB`, `zh-Hant-TW`).
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A fast hash of a file's bytes, to notice that a file changed: 8-byte words folded in with a
/// multiply and a rotation (so a change in a word's high bits reaches every later bit), then
/// mixed once more at the end.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mix = |h: u64, w: u64| (h ^ w).wrapping_mul(K).rotate_left(29);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        h = mix(h, u64::from_le_bytes(w.try_into().unwrap_or_default()));
    }
    let mut last = [0u8; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    h = mix(h, u64::from_le_bytes(last));
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// One incident file.
#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    /// The file stem, a slug.
    pub id: String,
    /// Where it was read from.
    #[serde(skip)]
    pub path: PathBuf,
    /// A hash of the file's bytes when it was read ([`fingerprint`]); a writer compares it to
    /// refuse overwriting a file that changed on disk since.
    #[serde(skip)]
    pub fingerprint: u64,
    pub title: String,
    pub company: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub sources: Vec<Source>,
    pub statements: Vec<Statement>,
    pub contradictions: Vec<Contradiction>,
}

impl Incident {
    pub fn statement(&self, id: &str) -> Option<&Statement> {
        self.statements.iter().find(|s| s.id == id)
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Whom a citation of the statement names: the outlet it was read in, and the outlet
    /// that one credits when it reports another's words, as "Le Parisien, as reported by AFP
    /// (Le Figaro)". `None` when the statement names no source.
    pub fn credit(&self, st: &Statement) -> Option<String> {
        let read_in = st.source.as_deref().and_then(|id| self.source(id));
        let via = st.via.as_deref().and_then(|id| self.source(id));
        match (via, read_in) {
            (Some(v), Some(r)) if v.id != r.id => {
                Some(format!("{}, as reported by {}", v.outlet, r.outlet))
            }
            (_, Some(r)) => Some(r.outlet.clone()),
            (Some(v), None) => Some(v.outlet.clone()),
            (None, None) => None,
        }
    }

    /// The earliest and latest statement dates.
    pub fn date_range(&self) -> Option<(&Date, &Date)> {
        let first = self.statements.iter().map(|s| &s.date).min()?;
        let last = self.statements.iter().map(|s| &s.date).max()?;
        Some((first, last))
    }

    /// Each verdict's id, in file order: its own, else the one [`verdict_id`] derives, given in
    /// file order as `onrecord fix-ids` gives them, so that an export names a verdict by the id
    /// it will keep once the file is fixed.
    pub fn verdict_ids(&self) -> Vec<String> {
        let mut taken: Vec<String> = self
            .contradictions
            .iter()
            .filter_map(|c| c.id.clone())
            .collect();
        self.contradictions
            .iter()
            .map(|c| match &c.id {
                Some(id) => id.clone(),
                None => {
                    let id = verdict_id(&c.between, &self.id, |s| taken.iter().any(|t| t == s));
                    taken.push(id.clone());
                    id
                }
            })
            .collect()
    }

    /// Statement indexes in date order (stable: file order breaks ties).
    pub fn statements_by_date(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.statements.len()).collect();
        order.sort_by(|&a, &b| self.statements[a].date.cmp(&self.statements[b].date));
        order
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub id: String,
    pub outlet: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// A saved copy of what the outlet published: a path relative to the corpus folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<String>,
    /// The SHA-256 of the saved copy's bytes, in lowercase hexadecimal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The line of its `[[sources]]` header, 1-based.
    #[serde(skip)]
    pub line: u32,
    /// The line of its `snapshot` key, for diagnostics about the saved copy (0 without one).
    #[serde(skip)]
    pub snapshot_line: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    pub id: String,
    pub date: Date,
    pub speaker: String,
    /// Whose words these are; the incident's company when the file leaves it out.
    pub organization: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Where the words were read: an id from the incident's `[[sources]]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The outlet that source credits for them, when it reports another's words: an id from
    /// the incident's `[[sources]]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation: Option<String>,
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The line of its `[[statements]]` header, 1-based, for editors and diagnostics.
    #[serde(skip)]
    pub line: u32,
}

/// How the words were captured. Reporters must always be able to tell these apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A verbatim direct quote.
    #[default]
    Quote,
    /// Reported speech.
    Paraphrase,
    /// Text from a published document: terms, policy, filing.
    Document,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Quote, Kind::Paraphrase, Kind::Document];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Quote => "quote",
            Kind::Paraphrase => "paraphrase",
            Kind::Document => "document",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a person decided about two statements.
#[derive(Debug, Clone, Serialize)]
pub struct Contradiction {
    /// A slug unique among the file's verdicts, stable once written ([`verdict_id`] derives
    /// it); merges, links and exports name the verdict by it. Older files may lack one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Earlier first, by convention (a warning otherwise).
    pub between: [StatementRef; 2],
    /// Which of the two statements is the claim under review, when the file says; see
    /// [`Contradiction::reviewed`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<StatementRef>,
    pub verdict: Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tagged_by: Option<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_datetime"
    )]
    pub tagged_at: Option<DateTime<FixedOffset>>,
    /// The line of its `[[contradictions]]` header.
    #[serde(skip)]
    pub line: u32,
}

impl Contradiction {
    /// Whether this verdict is about the two statements, in either order.
    pub fn involves_pair(&self, a: &StatementRef, b: &StatementRef) -> bool {
        (&self.between[0] == a && &self.between[1] == b)
            || (&self.between[0] == b && &self.between[1] == a)
    }

    pub fn involves(&self, r: &StatementRef) -> bool {
        &self.between[0] == r || &self.between[1] == r
    }

    /// The index in `between` of the claim under review: the one `reviewed` names, else the
    /// second, the later statement (docs/format.md).
    pub fn reviewed_index(&self) -> usize {
        match &self.reviewed {
            Some(r) if *r == self.between[0] => 0,
            _ => 1,
        }
    }

    /// The claim under review and the other statement, its evidence.
    pub fn reviewed(&self) -> (&StatementRef, &StatementRef) {
        let i = self.reviewed_index();
        (&self.between[i], &self.between[1 - i])
    }
}

/// The id a new verdict about `between` gets in `incident`'s file: the two statements' ids
/// joined by `-vs-` (a statement of another incident prefixed with that incident's id), so the
/// same pair derives the same id on any machine and different pairs different ids, which lets
/// two branches that tag different pairs merge without a clash. Cut to fit a slug with a hash
/// of the whole when too long, and numbered (`-2`, `-3`...) when `taken` already holds it.
pub fn verdict_id(
    between: &[StatementRef; 2],
    incident: &str,
    taken: impl Fn(&str) -> bool,
) -> String {
    let part = |r: &StatementRef| {
        if r.incident == incident {
            r.statement.clone()
        } else {
            format!("{}-{}", r.incident, r.statement)
        }
    };
    let full = format!("{}-vs-{}", part(&between[0]), part(&between[1]));
    let fit = |s: &str, room: usize| -> String {
        if s.len() <= room {
            return s.to_string();
        }
        let hash = format!("{:06x}", fingerprint(s.as_bytes()) & 0xff_ffff);
        let head = s[..room - hash.len() - 1].trim_end_matches('-');
        format!("{head}-{hash}")
    };
    let base = fit(&full, MAX_SLUG_LEN);
    if !taken(&base) {
        return base;
    }
    (2u32..)
        .map(|n| {
            let suffix = format!("-{n}");
            let head = fit(&full, MAX_SLUG_LEN - suffix.len());
            format!("{head}{suffix}")
        })
        .find(|id| !taken(id))
        .unwrap_or(base)
}

fn ser_opt_datetime<S: Serializer>(
    v: &Option<DateTime<FixedOffset>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(dt) => s.serialize_str(&dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
        None => s.serialize_none(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Contradicts,
    PartlyContradicts,
    WalksBack,
    Consistent,
    Unrelated,
}

impl Verdict {
    pub const ALL: [Verdict; 5] = [
        Verdict::Contradicts,
        Verdict::PartlyContradicts,
        Verdict::WalksBack,
        Verdict::Consistent,
        Verdict::Unrelated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Contradicts => "contradicts",
            Verdict::PartlyContradicts => "partly-contradicts",
            Verdict::WalksBack => "walks-back",
            Verdict::Consistent => "consistent",
            Verdict::Unrelated => "unrelated",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// What the verdict means, in docs/format.md's words.
    pub fn meaning(self) -> &'static str {
        match self {
            Verdict::Contradicts => {
                "the later statement or document says the opposite of the earlier claim"
            }
            Verdict::PartlyContradicts => {
                "part of the claim is contradicted, or it is contradicted with a caveat"
            }
            Verdict::WalksBack => {
                "the company itself retracts, narrows or softens its earlier claim"
            }
            Verdict::Consistent => "checked: no contradiction",
            Verdict::Unrelated => "checked: the two do not speak of the same thing",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `<incident-id>#<statement-id>`: one statement anywhere in the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatementRef {
    pub incident: String,
    pub statement: String,
}

impl StatementRef {
    pub fn new(incident: impl Into<String>, statement: impl Into<String>) -> Self {
        StatementRef {
            incident: incident.into(),
            statement: statement.into(),
        }
    }

    /// Parses the full form `incident#statement`, or a bare `statement` of `current` when
    /// given one. Both parts must be slugs, so a reference can never name a path.
    pub fn parse(s: &str, current: Option<&str>) -> Result<StatementRef, RefError> {
        let (incident, statement) = match s.split_once('#') {
            Some((i, st)) => (i, st),
            None => match current {
                Some(cur) => (cur, s),
                None => return Err(RefError::MissingIncident(s.to_string())),
            },
        };
        if !is_slug(incident) {
            return Err(RefError::BadSlug(s.to_string(), incident.to_string()));
        }
        if !is_slug(statement) {
            return Err(RefError::BadSlug(s.to_string(), statement.to_string()));
        }
        Ok(StatementRef::new(incident, statement))
    }
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.incident, self.statement)
    }
}

impl Serialize for StatementRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    #[error("`{0}` is not a statement reference: write it as `incident-id#statement-id`")]
    MissingIncident(String),
    #[error(
        "`{0}` is not a statement reference: `{1}` is not a slug (lowercase letters, digits and \
         single dashes, like `afp-denial`)"
    )]
    BadSlug(String, String),
}

/// A statement's date: a day, a moment, or only a month or year when that is all that is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Date {
    Year(i32),
    Month(i32, u32),
    Day(NaiveDate),
    DateTime(DateTime<FixedOffset>),
}

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
    Time,
}

impl Date {
    /// Parses the string forms of docs/format.md: `"2024"`, `"2024-11"`, and, for command-line
    /// input, `2024-11-09` and RFC 3339 date-times.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = s.split('-').collect();
        match parts.as_slice() {
            [y] if digits(y, 4) => Some(Date::Year(y.parse().ok()?)),
            [y, m] if digits(y, 4) && digits(m, 2) => {
                let (y, m) = (y.parse().ok()?, m.parse().ok()?);
                (1..=12).contains(&m).then_some(Date::Month(y, m))
            }
            _ if s.len() == 10 => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(Date::Day),
            _ => DateTime::parse_from_rfc3339(s).ok().map(Date::DateTime),
        }
    }

    /// The first day of the period, which is where sorting puts a partial date.
    pub fn start(&self) -> NaiveDate {
        match *self {
            Date::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN),
            Date::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN),
            Date::Day(d) => d,
            Date::DateTime(dt) => dt.date_naive(),
        }
    }

    /// The last day of the period.
    pub fn end(&self) -> NaiveDate {
        match *self {
            Date::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MAX),
            Date::Month(y, m) => {
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(y + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(y, m + 1, 1)
                };
                next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
            }
            _ => self.start(),
        }
    }

    pub fn precision(&self) -> Precision {
        match self {
            Date::Year(_) => Precision::Year,
            Date::Month(..) => Precision::Month,
            Date::Day(_) => Precision::Day,
            Date::DateTime(_) => Precision::Time,
        }
    }

    pub(crate) fn sort_key(&self) -> (NaiveDate, u8, i64) {
        // A partial date sorts at the start of its period, before any day inside it.
        match *self {
            Date::Year(_) => (self.start(), 0, 0),
            Date::Month(..) => (self.start(), 1, 0),
            Date::Day(_) => (self.start(), 2, 0),
            Date::DateTime(dt) => (self.start(), 3, dt.timestamp()),
        }
    }

    /// The form docs/format.md stores: `2024`, `2024-11`, `2024-11-09`, RFC 3339.
    pub fn iso(&self) -> String {
        match *self {
            Date::Year(y) => format!("{y:04}"),
            Date::Month(y, m) => format!("{y:04}-{m:02}"),
            Date::Day(d) => d.format("%Y-%m-%d").to_string(),
            Date::DateTime(dt) => dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        }
    }

    /// For people, keeping the precision: "2024", "Nov 2024", "2024-11-09", "2024-11-09 14:05".
    pub fn human(&self) -> String {
        match *self {
            Date::Year(y) => format!("{y:04}"),
            Date::Month(y, m) => {
                let d = NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN);
                format!("{} {y:04}", d.format("%b"))
            }
            Date::Day(d) => d.format("%Y-%m-%d").to_string(),
            Date::DateTime(dt) => dt.format("%Y-%m-%d %H:%M").to_string(),
        }
    }

    pub fn year(&self) -> i32 {
        self.start().year()
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_tell_small_edits_apart() {
        let base =
            b"speaker = \"Acme Widgets spokesperson\"\ntext = \"We never sell data\"\n".to_vec();
        let mut seen = std::collections::HashSet::new();
        seen.insert(fingerprint(&base));
        // Every pair of one-byte edits at two places in the high bytes of two words.
        for (i, j) in [(7, 15), (7, 23), (15, 31), (0, 8)] {
            for a in b'a'..=b'z' {
                for b in b'a'..=b'z' {
                    let mut edited = base.clone();
                    edited[i] = a;
                    edited[j] = b;
                    if edited != base {
                        seen.insert(fingerprint(&edited));
                    }
                }
            }
        }
        assert!(seen.len() >= 4 * 26 * 26 - 4, "{} distinct", seen.len());
    }

    #[test]
    fn slugs() {
        for ok in ["a", "afp-denial", "2024", "a1-b2-c3"] {
            assert!(is_slug(ok), "{ok}");
        }
        for bad in [
            "",
            "A",
            "a--b",
            "-a",
            "a-",
            "a_b",
            "a/b",
            "a.b",
            "a#b",
            "é",
            &"a".repeat(81),
        ] {
            assert!(!is_slug(bad), "{bad}");
        }
        assert!(is_slug(&"a".repeat(80)));
    }

    #[test]
    fn language_tags() {
        for ok in ["fr", "en-GB", "zh-Hant-TW", "gsw", "es-419"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in [
            "",
            "f",
            "french",
            "fr_FR",
            "fr-",
            "-fr",
            "en-abcdefghi",
            "f1",
            "fr-é",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn partial_dates_sort_at_the_start_of_their_period() {
        let year = Date::parse("2024").unwrap();
        let month = Date::parse("2024-11").unwrap();
        let day = Date::parse("2024-11-01").unwrap();
        let moment = Date::parse("2024-11-01T08:00:00+01:00").unwrap();
        let mut v = vec![moment, day, month, year];
        v.sort();
        assert_eq!(v, vec![year, month, day, moment]);
        assert!(Date::parse("2024-10-31").unwrap() < month);
        assert_eq!(month.human(), "Nov 2024");
        assert_eq!(year.human(), "2024");
        assert_eq!(month.iso(), "2024-11");
        assert_eq!(month.end(), NaiveDate::from_ymd_opt(2024, 11, 30).unwrap());
        assert_eq!(
            Date::Month(2024, 12).end(),
            NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()
        );
    }

    #[test]
    fn bad_dates() {
        for bad in [
            "",
            "24",
            "2024-13",
            "2024-1",
            "2024-02-30",
            "nov 2024",
            "2024-11-09T25:00",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn verdict_ids_are_derived_from_the_pair() {
        let pair = |a: &str, b: &str| [StatementRef::new("inc", a), StatementRef::new("inc", b)];
        let none = |_: &str| false;
        assert_eq!(
            verdict_id(&pair("campaign-terms", "afp-denial"), "inc", none),
            "campaign-terms-vs-afp-denial"
        );
        let cross = [
            StatementRef::new("old", "promise"),
            StatementRef::new("inc", "denial"),
        ];
        assert_eq!(verdict_id(&cross, "inc", none), "old-promise-vs-denial");
        let taken = |s: &str| s == "a-vs-b" || s == "a-vs-b-2";
        assert_eq!(verdict_id(&pair("a", "b"), "inc", taken), "a-vs-b-3");
        let long = "x".repeat(80);
        let other = format!("{}-y", "x".repeat(78));
        let ids = [
            verdict_id(&pair(&long, "b"), "inc", none),
            verdict_id(&pair(&other, "b"), "inc", none),
            verdict_id(&pair(&long, "b"), "inc", |s: &str| !s.ends_with("-2")),
        ];
        for id in &ids {
            assert!(is_slug(id), "{id}");
        }
        assert_ne!(ids[0], ids[1]);
        assert!(ids[2].ends_with("-2"));
    }

    #[test]
    fn references() {
        let r = StatementRef::parse("temu-referral#afp-denial", None).unwrap();
        assert_eq!(r.to_string(), "temu-referral#afp-denial");
        assert_eq!(
            StatementRef::parse("x", Some("inc")).unwrap(),
            StatementRef::new("inc", "x")
        );
        assert!(StatementRef::parse("x", None).is_err());
        assert!(StatementRef::parse("../x#y", None).is_err());
        assert!(StatementRef::parse("a#b#c", None).is_err());
    }
}
