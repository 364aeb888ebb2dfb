//! The cache: a verified snapshot of every file's parse (its incident and its diagnostics), so
//! that a command over an archive of unchanged files does not parse them again.
//!
//! One snapshot file per corpus folder, under `$XDG_CACHE_HOME/onrecord/` (else
//! `~/.cache/onrecord/`), named by a hash of the folder's canonical path, which it also holds
//! and is checked against. Never inside the corpus folder (that is in git).
//!
//! What it guarantees: the corpus, its diagnostics and the files that did not load are exactly
//! those a parse of the files on disk gives.
//! - A file is taken from the snapshot only when its path, size, modification time (in
//!   nanoseconds), inode, device and change time are all the ones recorded; otherwise it is
//!   parsed again. Files that are gone are dropped. A file modified within [`RACY`] of the
//!   snapshot's writing could have changed again within the file system's clock tick without
//!   its times moving, so it is trusted only when its bytes still hash to the recorded
//!   fingerprint (reading is cheap; parsing is what the cache saves).
//! - The snapshot starts with a magic string, a format version and a checksum of the rest: one
//!   written by another version, truncated, corrupt or half-written is ignored and rewritten.
//! - It is written to a temporary file in the cache folder, then renamed over the old one, so
//!   a reader sees the old snapshot or the new one; two processes warming it at once each
//!   write a whole one and the last rename wins.
//! - A cache folder that cannot be created, read or written (read-only, full) means no cache,
//!   silently: the command runs as it would without one.
//!
//! Only reading commands use it: the write path (tag, untag, add, new) reads the files it
//! changes itself, as they are on disk.
//!
//! The snapshot also keeps, apart from the records, every statement's folded search text and
//! date, so that a search without a filter over unchanged files ranks without building the
//! corpus and decodes only the files holding its hits ([`search`]).
//!
//! `--no-cache` and `ONRECORD_NO_CACHE=1` turn it off. Library users get no cache unless they
//! call [`enable`]: the command line does, so that tests of the library never write outside
//! their own folders.

use std::borrow::Cow;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::check::{Diagnostic, Parsed, Severity};
use crate::model::{self, Contradiction, Date, Incident, Kind, Source, Statement, Verdict};
use crate::search::Hit;
use crate::store::{self, FileResult};

/// Set to `1` in the environment to turn the cache off, as `--no-cache` does.
pub const NO_CACHE_ENV: &str = "ONRECORD_NO_CACHE";

/// The first bytes of a snapshot.
const MAGIC: &[u8; 16] = b"onrecord-cache\0\0";
/// Bumped whenever the snapshot's layout, what parsing produces or how search folds text
/// (`search::fold_statement`) changes; the crate's
/// own version is also recorded, so a snapshot from another release is never trusted.
const FORMAT: u32 = 4;
/// Magic and format, at the start.
const PREFIX: usize = 16 + 4;
/// The head's checksum and length, at the end.
const TRAILER: usize = 8 + 8;
/// Files a chunk holds.
const CHUNK: usize = 256;
/// How close to the snapshot's writing a file's change may be before its times alone are not
/// trusted (file system clocks tick coarsely, and a network file system's clock may lag).
const RACY: Duration = Duration::from_secs(2);

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Turns the cache on or off for this process: the command line calls it once, from
/// `--no-cache` and [`NO_CACHE_ENV`].
pub fn enable(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// Whether [`crate::store::load`] goes through the cache.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Whether the environment asks for no cache.
pub fn disabled_by_env() -> bool {
    std::env::var_os(NO_CACHE_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

/// The folder snapshots live in: `$XDG_CACHE_HOME/onrecord` when that is an absolute path,
/// else `$HOME/.cache/onrecord`.
pub fn folder() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from);
    let base = match xdg {
        Some(p) if p.is_absolute() => p,
        _ => PathBuf::from(std::env::var_os("HOME").filter(|h| !h.is_empty())?).join(".cache"),
    };
    Some(base.join("onrecord"))
}

/// The snapshot file for a corpus folder, and the folder's canonical path; `None` when there
/// is no cache folder or it would be inside the corpus.
pub fn snapshot_path(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    snapshot_path_in(&folder()?, dir)
}

fn snapshot_path_in(folder: &Path, dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let root = fs::canonicalize(dir).ok()?;
    let resolved = canonical_prefix(folder);
    if resolved.starts_with(&root) {
        return None;
    }
    let name = format!("{:016x}.bin", model::fingerprint(path_bytes(&root)));
    Some((folder.join(name), root))
}

/// `path` with its longest existing ancestor resolved, so that a cache folder not created yet
/// is still seen to be inside the corpus when it would be.
fn canonical_prefix(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut p = path;
    loop {
        if let Ok(c) = fs::canonicalize(p) {
            let mut out = c;
            out.extend(rest.iter().rev());
            return out;
        }
        match (p.parent(), p.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                p = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

#[cfg(unix)]
fn path_bytes(p: &Path) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes()
}

#[cfg(not(unix))]
fn path_bytes(p: &Path) -> &[u8] {
    p.to_str().unwrap_or_default().as_bytes()
}

#[cfg(unix)]
fn bytes_path(b: &[u8]) -> &Path {
    use std::os::unix::ffi::OsStrExt;
    Path::new(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn bytes_path(b: &[u8]) -> &Path {
    Path::new(std::str::from_utf8(b).unwrap_or_default())
}

/// What identifies one version of a file without reading it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Key {
    size: u64,
    mtime_ns: i128,
    ctime_ns: i128,
    inode: u64,
    device: u64,
}

impl Key {
    #[cfg(unix)]
    fn of(m: &fs::Metadata) -> Key {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Key {
            size: m.len(),
            mtime_ns: ns(m.mtime(), m.mtime_nsec()),
            ctime_ns: ns(m.ctime(), m.ctime_nsec()),
            inode: m.ino(),
            device: m.dev(),
        }
    }

    #[cfg(not(unix))]
    fn of(m: &fs::Metadata) -> Key {
        let ns = |t: io::Result<SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i128)
        };
        Key {
            size: m.len(),
            mtime_ns: ns(m.modified()),
            ctime_ns: ns(m.created()),
            inode: 0,
            device: 0,
        }
    }

    /// The later of the two times.
    fn changed_ns(&self) -> i128 {
        self.mtime_ns.max(self.ctime_ns)
    }
}

fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

// The snapshot's own types: the model's serde derives are for JSON output (they skip fields
// and render dates as text), so the snapshot mirrors them field for field instead. Text is a
// `Cow`: written straight from the model's strings, without copying them, and read back as
// owned strings that move into the model.

/// What the snapshot says about itself, after its chunks.
#[derive(Serialize, Deserialize)]
struct Head {
    /// The crate version that wrote it.
    version: String,
    /// The corpus folder's canonical path.
    root: Vec<u8>,
    /// When the files were looked at, before any was read.
    taken_ns: i128,
    /// The chunks, in file order, one after the other from the start of the payload.
    chunks: Vec<ChunkHead>,
}

/// One chunk: a run of files, encoded and checksummed alone, so that chunks are written and
/// read on every core and the whole snapshot is never in memory at once. A chunk is its
/// search part ([`SearchPart`]) then its files' entries, one after the other, each part
/// checksummed on its own: a warm search reads only the search parts, and the entries of the
/// files that hold its hits.
#[derive(Serialize, Deserialize, Clone, Copy)]
struct ChunkHead {
    search_len: u64,
    search_checksum: u64,
    len: u64,
    checksum: u64,
}

/// What a one-shot search needs of a chunk's files, read in place (borrowed from the bytes
/// read): each file's key, to check it is unchanged, and each statement's folded search text
/// and date, to rank without building any statement.
#[derive(Serialize, Deserialize)]
struct SearchPart<'a> {
    /// Every statement's folded text ([`crate::search::fold_statement`]), in file order.
    text: &'a str,
    #[serde(borrow)]
    files: Vec<SearchFile<'a>>,
}

/// One file of a chunk, in the chunk's order, as its [`FileEntry`] records it.
#[derive(Serialize, Deserialize)]
struct SearchFile<'a> {
    path: &'a [u8],
    key: Key,
    fingerprint: u64,
    /// The length of its encoded [`FileEntry`] among the chunk's entries.
    entry_len: u64,
    /// The incident's id, when the file loaded.
    incident: Option<&'a str>,
    statements: Vec<SearchStatement>,
}

/// One statement: the length of its folded text, and its date's sort key.
#[derive(Serialize, Deserialize, Clone, Copy)]
struct SearchStatement {
    len: u32,
    day: i32,
    precision: u8,
    seconds: i64,
}

/// A snapshot as read back: when its files were looked at, and their entries in file order.
struct Snapshot {
    taken_ns: i128,
    files: Vec<FileEntry<'static>>,
}

/// One incident file as the snapshot keeps it: where it is, the key it was read under, and
/// what parsing it gave.
#[derive(Serialize, Deserialize)]
struct FileEntry<'a> {
    path: Cow<'a, [u8]>,
    key: Key,
    /// [`model::fingerprint`] of the bytes parsed.
    fingerprint: u64,
    incident: Option<CIncident<'a>>,
    between_positions: Cow<'a, [[(u32, u32); 2]]>,
    diagnostics: Vec<CDiagnostic<'a>>,
}

type Text<'a> = Cow<'a, str>;

#[derive(Serialize, Deserialize)]
struct CDiagnostic<'a> {
    line: u32,
    column: u32,
    error: bool,
    message: Text<'a>,
}

#[derive(Serialize, Deserialize)]
struct CIncident<'a> {
    id: Text<'a>,
    fingerprint: u64,
    title: Text<'a>,
    company: Text<'a>,
    summary: Option<Text<'a>>,
    tags: Vec<Text<'a>>,
    sources: Vec<CSource<'a>>,
    statements: Vec<CStatement<'a>>,
    contradictions: Vec<CContradiction<'a>>,
}

#[derive(Serialize, Deserialize)]
struct CSource<'a> {
    id: Text<'a>,
    outlet: Text<'a>,
    url: Option<Text<'a>>,
    published: Option<CDate>,
    archived: Option<Text<'a>>,
    lang: Option<Text<'a>>,
    snapshot: Option<Text<'a>>,
    sha256: Option<Text<'a>>,
    line: u32,
    snapshot_line: u32,
}

#[derive(Serialize, Deserialize)]
struct CStatement<'a> {
    id: Text<'a>,
    date: CDate,
    speaker: Text<'a>,
    organization: Text<'a>,
    role: Option<Text<'a>>,
    kind: u8,
    channel: Option<Text<'a>>,
    source: Option<Text<'a>>,
    via: Option<Text<'a>>,
    url: Option<Text<'a>>,
    lang: Option<Text<'a>>,
    text: Text<'a>,
    translation: Option<Text<'a>>,
    tags: Vec<Text<'a>>,
    note: Option<Text<'a>>,
    line: u32,
}

#[derive(Serialize, Deserialize)]
struct CContradiction<'a> {
    id: Option<Text<'a>>,
    between: [(Text<'a>, Text<'a>); 2],
    reviewed: Option<(Text<'a>, Text<'a>)>,
    verdict: u8,
    claim: Option<Text<'a>>,
    note: Option<Text<'a>>,
    tagged_by: Option<Text<'a>>,
    tagged_at: Option<CDateTime>,
    line: u32,
}

#[derive(Serialize, Deserialize, Clone, Copy)]
enum CDate {
    Year(i32),
    Month(i32, u32),
    /// Days since 0001-01-01.
    Day(i32),
    DateTime(CDateTime),
}

#[derive(Serialize, Deserialize, Clone, Copy)]
struct CDateTime {
    secs: i64,
    nanos: u32,
    offset: i32,
}

/// Why a snapshot entry cannot be turned back into the model: a value out of range, which a
/// checksummed snapshot from this version never holds, but which is refused, never guessed.
#[derive(Debug)]
struct Invalid;

impl CDateTime {
    fn of(dt: &chrono::DateTime<chrono::FixedOffset>) -> CDateTime {
        CDateTime {
            secs: dt.timestamp(),
            nanos: dt.timestamp_subsec_nanos(),
            offset: dt.offset().local_minus_utc(),
        }
    }

    fn to_model(self) -> Result<chrono::DateTime<chrono::FixedOffset>, Invalid> {
        let offset = chrono::FixedOffset::east_opt(self.offset).ok_or(Invalid)?;
        let utc = chrono::DateTime::from_timestamp(self.secs, self.nanos).ok_or(Invalid)?;
        Ok(utc.with_timezone(&offset))
    }
}

impl CDate {
    fn of(d: &Date) -> CDate {
        use chrono::Datelike;
        match d {
            Date::Year(y) => CDate::Year(*y),
            Date::Month(y, m) => CDate::Month(*y, *m),
            Date::Day(d) => CDate::Day(d.num_days_from_ce()),
            Date::DateTime(dt) => CDate::DateTime(CDateTime::of(dt)),
        }
    }

    fn to_model(self) -> Result<Date, Invalid> {
        Ok(match self {
            CDate::Year(y) => Date::Year(y),
            CDate::Month(y, m) if (1..=12).contains(&m) => Date::Month(y, m),
            CDate::Month(..) => return Err(Invalid),
            CDate::Day(n) => {
                Date::Day(chrono::NaiveDate::from_num_days_from_ce_opt(n).ok_or(Invalid)?)
            }
            CDate::DateTime(dt) => Date::DateTime(dt.to_model()?),
        })
    }
}

fn kind_code(k: Kind) -> u8 {
    Kind::ALL.iter().position(|&x| x == k).unwrap_or(0) as u8
}

fn verdict_code(v: Verdict) -> u8 {
    Verdict::ALL.iter().position(|&x| x == v).unwrap_or(0) as u8
}

fn entry<'a>(
    path: &'a Path,
    key: Key,
    fingerprint: u64,
    result: &'a FileResult,
) -> Option<FileEntry<'a>> {
    let (parsed, diagnostics) = result;
    // A file's own diagnostics are about that file; anything else is not this cache's to keep.
    if diagnostics.iter().any(|d| d.path != path) {
        return None;
    }
    let t = |s: &'a String| Cow::Borrowed(s.as_str());
    let o = |s: &'a Option<String>| s.as_deref().map(Cow::Borrowed);
    let v = |s: &'a [String]| s.iter().map(|x| Cow::Borrowed(x.as_str())).collect();
    let r = |r: &'a model::StatementRef| (t(&r.incident), t(&r.statement));
    let incident = parsed.as_ref().map(|p| {
        let i = &p.incident;
        CIncident {
            id: t(&i.id),
            fingerprint: i.fingerprint,
            title: t(&i.title),
            company: t(&i.company),
            summary: o(&i.summary),
            tags: v(&i.tags),
            sources: i
                .sources
                .iter()
                .map(|s| CSource {
                    id: t(&s.id),
                    outlet: t(&s.outlet),
                    url: o(&s.url),
                    published: s.published.as_ref().map(CDate::of),
                    archived: o(&s.archived),
                    lang: o(&s.lang),
                    snapshot: o(&s.snapshot),
                    sha256: o(&s.sha256),
                    line: s.line,
                    snapshot_line: s.snapshot_line,
                })
                .collect(),
            statements: i
                .statements
                .iter()
                .map(|s| CStatement {
                    id: t(&s.id),
                    date: CDate::of(&s.date),
                    speaker: t(&s.speaker),
                    organization: t(&s.organization),
                    role: o(&s.role),
                    kind: kind_code(s.kind),
                    channel: o(&s.channel),
                    source: o(&s.source),
                    via: o(&s.via),
                    url: o(&s.url),
                    lang: o(&s.lang),
                    text: t(&s.text),
                    translation: o(&s.translation),
                    tags: v(&s.tags),
                    note: o(&s.note),
                    line: s.line,
                })
                .collect(),
            contradictions: i
                .contradictions
                .iter()
                .map(|c| CContradiction {
                    id: o(&c.id),
                    reviewed: c.reviewed.as_ref().map(r),
                    between: [r(&c.between[0]), r(&c.between[1])],
                    verdict: verdict_code(c.verdict),
                    claim: o(&c.claim),
                    note: o(&c.note),
                    tagged_by: o(&c.tagged_by),
                    tagged_at: c.tagged_at.as_ref().map(CDateTime::of),
                    line: c.line,
                })
                .collect(),
        }
    });
    Some(FileEntry {
        path: Cow::Borrowed(path_bytes(path)),
        key,
        fingerprint,
        incident,
        between_positions: parsed.as_ref().map_or(Cow::Borrowed(&[][..]), |p| {
            Cow::Borrowed(&p.between_positions[..])
        }),
        diagnostics: diagnostics
            .iter()
            .map(|d| CDiagnostic {
                line: d.line,
                column: d.column,
                error: d.is_error(),
                message: t(&d.message),
            })
            .collect(),
    })
}

/// The model back from a snapshot entry, for the file at `path`. Every string is already
/// owned (a snapshot is read into owned strings), so this moves them.
fn result(path: &Path, e: FileEntry) -> Result<FileResult, Invalid> {
    let t = Cow::into_owned;
    let o = |s: Option<Text>| s.map(Cow::into_owned);
    let v = |s: Vec<Text>| s.into_iter().map(Cow::into_owned).collect();
    let parsed = match e.incident {
        None => None,
        Some(i) => {
            let sources = i
                .sources
                .into_iter()
                .map(|s| {
                    Ok(Source {
                        id: t(s.id),
                        outlet: t(s.outlet),
                        url: o(s.url),
                        published: s.published.map(CDate::to_model).transpose()?,
                        archived: o(s.archived),
                        lang: o(s.lang),
                        snapshot: o(s.snapshot),
                        sha256: o(s.sha256),
                        line: s.line,
                        snapshot_line: s.snapshot_line,
                    })
                })
                .collect::<Result<_, Invalid>>()?;
            let statements = i
                .statements
                .into_iter()
                .map(|s| {
                    Ok(Statement {
                        id: t(s.id),
                        date: s.date.to_model()?,
                        speaker: t(s.speaker),
                        organization: t(s.organization),
                        role: o(s.role),
                        kind: *Kind::ALL.get(s.kind as usize).ok_or(Invalid)?,
                        channel: o(s.channel),
                        source: o(s.source),
                        via: o(s.via),
                        url: o(s.url),
                        lang: o(s.lang),
                        text: t(s.text),
                        translation: o(s.translation),
                        tags: v(s.tags),
                        note: o(s.note),
                        line: s.line,
                    })
                })
                .collect::<Result<_, Invalid>>()?;
            let contradictions = i
                .contradictions
                .into_iter()
                .map(|c| {
                    let [(ai, as_), (bi, bs)] = c.between;
                    Ok(Contradiction {
                        id: o(c.id),
                        reviewed: c
                            .reviewed
                            .map(|(i, s)| model::StatementRef::new(t(i), t(s))),
                        between: [
                            model::StatementRef::new(t(ai), t(as_)),
                            model::StatementRef::new(t(bi), t(bs)),
                        ],
                        verdict: *Verdict::ALL.get(c.verdict as usize).ok_or(Invalid)?,
                        claim: o(c.claim),
                        note: o(c.note),
                        tagged_by: o(c.tagged_by),
                        tagged_at: c.tagged_at.map(CDateTime::to_model).transpose()?,
                        line: c.line,
                    })
                })
                .collect::<Result<_, Invalid>>()?;
            Some(Parsed {
                incident: Incident {
                    id: t(i.id),
                    path: path.to_path_buf(),
                    fingerprint: i.fingerprint,
                    title: t(i.title),
                    company: t(i.company),
                    summary: o(i.summary),
                    tags: v(i.tags),
                    sources,
                    statements,
                    contradictions,
                },
                between_positions: e.between_positions.into_owned(),
            })
        }
    };
    let diagnostics = e
        .diagnostics
        .into_iter()
        .map(|d| Diagnostic {
            path: path.to_path_buf(),
            line: d.line,
            column: d.column,
            severity: if d.error {
                Severity::Error
            } else {
                Severity::Warning
            },
            message: t(d.message),
        })
        .collect();
    Ok((parsed, diagnostics))
}

/// Where a snapshot's bytes are read from: its file, a part at a time, or bytes in memory.
trait Bytes: Sync {
    fn size(&self) -> u64;
    fn read(&self, at: u64, len: u64) -> Option<Cow<'_, [u8]>>;
}

impl Bytes for [u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn read(&self, at: u64, len: u64) -> Option<Cow<'_, [u8]>> {
        let start = usize::try_from(at).ok()?;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        self.get(start..end).map(Cow::Borrowed)
    }
}

#[cfg(unix)]
struct SnapshotFile {
    file: fs::File,
    size: u64,
}

#[cfg(unix)]
impl Bytes for SnapshotFile {
    fn size(&self) -> u64 {
        self.size
    }

    fn read(&self, at: u64, len: u64) -> Option<Cow<'_, [u8]>> {
        use std::os::unix::fs::FileExt;
        if at.checked_add(len)? > self.size {
            return None;
        }
        let mut buf = vec![0; usize::try_from(len).ok()?];
        self.file.read_exact_at(&mut buf, at).ok()?;
        Some(Cow::Owned(buf))
    }
}

/// The snapshot in `path`, when it is whole, from this version, and for `root`.
fn read_snapshot(path: &Path, root: &Path) -> Option<Snapshot> {
    #[cfg(unix)]
    {
        let file = fs::File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        decode(&SnapshotFile { file, size }, root)
    }
    #[cfg(not(unix))]
    {
        decode(&fs::read(path).ok()?[..], root)
    }
}

/// A snapshot from its bytes, when they are whole, from this version, and for `root`: the
/// magic string and format first; at the end, the head's checksum and length; the head
/// (version, folder, the chunks' lengths and checksums) before them; every chunk, each
/// checksummed, between. Chunks are read and decoded on every core.
fn decode(bytes: &(impl Bytes + ?Sized), root: &Path) -> Option<Snapshot> {
    let (taken_ns, spans) = chunks(bytes, root)?;
    use rayon::prelude::*;
    let chunks: Vec<Vec<FileEntry<'static>>> = spans
        .par_iter()
        .map(|&(at, c)| {
            let chunk = bytes.read(at, c.search_len.checked_add(c.len)?)?;
            let (search, mut entries) = chunk.split_at(usize::try_from(c.search_len).ok()?);
            if model::fingerprint(search) != c.search_checksum
                || model::fingerprint(entries) != c.checksum
            {
                return None;
            }
            let mut files = Vec::new();
            while !entries.is_empty() {
                let (e, rest) = postcard::take_from_bytes(entries).ok()?;
                files.push(e);
                entries = rest;
            }
            Some(files)
        })
        .collect::<Option<_>>()?;
    Some(Snapshot {
        taken_ns,
        files: chunks.into_iter().flatten().collect(),
    })
}

/// A snapshot's head, when the snapshot is from this version and for `root` and its head is
/// whole: when its files were looked at, and where each chunk starts.
fn chunks(bytes: &(impl Bytes + ?Sized), root: &Path) -> Option<(i128, Vec<(u64, ChunkHead)>)> {
    let size = bytes.size();
    let prefix = bytes.read(0, PREFIX as u64)?;
    if prefix[..16] != MAGIC[..] || u32::from_le_bytes(prefix[16..].try_into().ok()?) != FORMAT {
        return None;
    }
    let trailer = bytes.read(size.checked_sub(TRAILER as u64)?, TRAILER as u64)?;
    let checksum = u64::from_le_bytes(trailer[..8].try_into().ok()?);
    let head_len = u64::from_le_bytes(trailer[8..].try_into().ok()?);
    let head_at = size
        .checked_sub(TRAILER as u64)?
        .checked_sub(head_len)?
        .checked_sub(PREFIX as u64)?
        + PREFIX as u64;
    let head_bytes = bytes.read(head_at, head_len)?;
    if model::fingerprint(&head_bytes) != checksum {
        return None;
    }
    let head: Head = whole(&head_bytes)?;
    if head.version != env!("CARGO_PKG_VERSION") || head.root != path_bytes(root) {
        return None;
    }
    let mut at = PREFIX as u64;
    let mut spans = Vec::with_capacity(head.chunks.len());
    for c in &head.chunks {
        spans.push((at, *c));
        at = at.checked_add(c.search_len)?.checked_add(c.len)?;
    }
    (at == head_at).then_some((head.taken_ns, spans))
}

/// A value that is the whole of `bytes`.
fn whole<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Option<T> {
    match postcard::take_from_bytes(bytes) {
        Ok((value, [])) => Some(value),
        _ => None,
    }
}

/// Writes the snapshot of this run's files to `path`, atomically: a temporary file beside it,
/// renamed over it. Chunks are encoded a few at a time on every core and written as they come,
/// so the snapshot is never whole in memory. The file is not synced: a snapshot torn by a
/// crash fails its checksums and is rebuilt, so the cache costs no wait on the disk.
fn write_snapshot(
    path: &Path,
    root: &Path,
    taken_ns: i128,
    files: &[PathBuf],
    outcomes: &[Outcome],
) -> io::Result<()> {
    use rayon::prelude::*;
    let folder = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(folder)?;
    let tmp = tempfile::Builder::new()
        .prefix(".snapshot-")
        .tempfile_in(folder)?;
    let mut out = io::BufWriter::with_capacity(1 << 20, tmp);
    out.write_all(MAGIC)?;
    out.write_all(&FORMAT.to_le_bytes())?;
    let ranges: Vec<std::ops::Range<usize>> = (0..files.len())
        .step_by(CHUNK)
        .map(|start| start..(start + CHUNK).min(files.len()))
        .collect();
    let encode = |range: &std::ops::Range<usize>| -> io::Result<(Vec<u8>, Vec<u8>)> {
        let mut entries = Vec::new();
        let mut text = String::new();
        let mut listed = Vec::new();
        for (path, o) in files[range.clone()].iter().zip(&outcomes[range.clone()]) {
            let Some((key, fp)) = o.recorded else {
                continue;
            };
            let Some(e) = entry(path, key, fp, &o.result) else {
                continue;
            };
            let before = entries.len();
            entries = postcard::to_extend(&e, entries).map_err(io::Error::other)?;
            let incident = o.result.0.as_ref().map(|p| &p.incident);
            let statements = incident
                .map(|inc| {
                    let folded = crate::search::fold_incident(inc);
                    inc.statements
                        .iter()
                        .map(|st| {
                            let start = text.len();
                            crate::search::fold_statement(
                                inc,
                                st,
                                Some((&folded.0, &folded.1)),
                                &mut text,
                            );
                            let (day, precision, seconds) = st.date.sort_key();
                            use chrono::Datelike;
                            SearchStatement {
                                len: (text.len() - start) as u32,
                                day: day.num_days_from_ce(),
                                precision,
                                seconds,
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            listed.push((
                path_bytes(path),
                key,
                fp,
                (entries.len() - before) as u64,
                incident.map(|i| i.id.as_str()),
                statements,
            ));
        }
        let part = SearchPart {
            text: &text,
            files: listed
                .into_iter()
                .map(
                    |(path, key, fingerprint, entry_len, incident, statements)| SearchFile {
                        path,
                        key,
                        fingerprint,
                        entry_len,
                        incident,
                        statements,
                    },
                )
                .collect(),
        };
        let search = postcard::to_allocvec(&part).map_err(io::Error::other)?;
        Ok((search, entries))
    };
    let mut chunks = Vec::with_capacity(ranges.len());
    let batch = rayon::current_num_threads().max(1) * 2;
    for group in ranges.chunks(batch) {
        let encoded: Vec<(Vec<u8>, Vec<u8>)> =
            group.par_iter().map(encode).collect::<io::Result<_>>()?;
        for (search, bytes) in encoded {
            out.write_all(&search)?;
            out.write_all(&bytes)?;
            chunks.push(ChunkHead {
                search_len: search.len() as u64,
                search_checksum: model::fingerprint(&search),
                len: bytes.len() as u64,
                checksum: model::fingerprint(&bytes),
            });
        }
    }
    let head = Head {
        version: env!("CARGO_PKG_VERSION").to_string(),
        root: path_bytes(root).to_vec(),
        taken_ns,
        chunks,
    };
    let head = postcard::to_allocvec(&head).map_err(io::Error::other)?;
    out.write_all(&head)?;
    out.write_all(&model::fingerprint(&head).to_le_bytes())?;
    out.write_all(&(head.len() as u64).to_le_bytes())?;
    let tmp = out.into_inner().map_err(|e| e.into_error())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// What became of one file this run: its result, and its key and fingerprint when it could be
/// looked at (a file that cannot be read is not recorded).
struct Outcome {
    result: FileResult,
    recorded: Option<(Key, u64)>,
    /// Whether it was parsed now rather than taken from the snapshot.
    parsed: bool,
}

/// How a load went: files parsed, and files taken from the snapshot.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub parsed: usize,
    pub kept: usize,
    /// Whether a new snapshot was written.
    pub written: bool,
}

/// Every file's result, as [`crate::store::load`] would parse them, taking unchanged files
/// from the snapshot and writing a new snapshot when anything changed.
pub fn load_files(dir: &Path, files: &[PathBuf]) -> Vec<FileResult> {
    load_files_in(folder().as_deref(), dir, files).0
}

/// [`load_files`] with the cache folder given.
pub fn load_files_in(
    folder: Option<&Path>,
    dir: &Path,
    files: &[PathBuf],
) -> (Vec<FileResult>, Stats) {
    let Some((snapshot_file, root)) = folder.and_then(|f| snapshot_path_in(f, dir)) else {
        let results = store::load_parallel(files);
        let stats = Stats {
            parsed: files.len(),
            ..Stats::default()
        };
        return (results, stats);
    };
    let taken_ns = now_ns();
    let old = read_snapshot(&snapshot_file, &root);
    let old_taken = old.as_ref().map_or(i128::MIN, |s| s.taken_ns);
    let (wanted, mut changed) = pair_up(files, old.map(|s| s.files).unwrap_or_default());

    let trusted_before = old_taken.saturating_sub(RACY.as_nanos() as i128);
    let outcomes = parallel(files, wanted, |path, old_entry| {
        look_at(path, old_entry, trusted_before)
    });

    // A file kept only because its bytes still matched is recorded again once its times are
    // old enough, so that the next run trusts it without reading it.
    let trusted_now = taken_ns - RACY.as_nanos() as i128;
    changed |= outcomes.iter().any(|o| {
        o.parsed
            || o.recorded.is_some_and(|(k, _)| {
                k.changed_ns() >= trusted_before && k.changed_ns() < trusted_now
            })
    });
    let parsed = outcomes.iter().filter(|o| o.parsed).count();
    let mut stats = Stats {
        parsed,
        kept: outcomes.len() - parsed,
        written: false,
    };
    if changed {
        // A cache that cannot be written is no cache; the command's answer is the same.
        stats.written = write_snapshot(&snapshot_file, &root, taken_ns, files, &outcomes).is_ok();
    }
    (outcomes.into_iter().map(|o| o.result).collect(), stats)
}

/// A search of an unchanged corpus from its snapshot, without building the corpus: every
/// file's key is checked as a load checks it, the folded text the snapshot keeps is ranked in
/// place ([`crate::search::rank_folded`], as [`crate::search::search_once`] ranks with no
/// filter), and only the files that hold the hits are decoded. `None` when that cannot be
/// done with certainty (no cache, no whole snapshot for this version, any file added, gone,
/// changed or too recent to trust by its times and changed in its bytes, an entry that does
/// not read back): the caller then loads the corpus as usual.
///
/// The corpus returned holds only the hits' incidents (a hit's position is into it), the
/// files that did not load, and the count of files found; no diagnostics.
pub fn search(dir: &Path, query: &str, limit: usize) -> Option<(store::Corpus, Vec<Hit>)> {
    if !enabled() {
        return None;
    }
    search_in(&folder()?, dir, query, limit)
}

/// [`search`] with the cache folder given.
pub fn search_in(
    folder: &Path,
    dir: &Path,
    query: &str,
    limit: usize,
) -> Option<(store::Corpus, Vec<Hit>)> {
    use rayon::prelude::*;
    let (snapshot_file, root) = snapshot_path_in(folder, dir)?;
    let store::Walk { files, skipped } = store::walk(dir, &store::options()).ok()?;
    let file = fs::File::open(&snapshot_file).ok()?;
    #[cfg(unix)]
    let bytes = SnapshotFile {
        size: file.metadata().ok()?.len(),
        file,
    };
    #[cfg(not(unix))]
    let bytes = {
        drop(file);
        fs::read(&snapshot_file).ok()?
    };
    #[cfg(not(unix))]
    let bytes = &bytes[..];
    let (taken_ns, spans) = chunks(&bytes, &root)?;
    let raw: Vec<Cow<[u8]>> = spans
        .par_iter()
        .map(|&(at, c)| {
            let part = bytes.read(at, c.search_len)?;
            (model::fingerprint(&part) == c.search_checksum).then_some(part)
        })
        .collect::<Option<_>>()?;
    let parts: Vec<SearchPart> = raw.par_iter().map(|b| whole(b)).collect::<Option<_>>()?;

    // Every file of the walk, in order, with where its entry and its folded text are.
    struct Listed<'a> {
        chunk: usize,
        entry_at: usize,
        text_at: usize,
        file: &'a SearchFile<'a>,
    }
    let mut listed = Vec::with_capacity(files.len());
    for (chunk, part) in parts.iter().enumerate() {
        let (mut entry_at, mut text_at) = (0usize, 0usize);
        for file in &part.files {
            listed.push(Listed {
                chunk,
                entry_at,
                text_at,
                file,
            });
            entry_at = entry_at.checked_add(usize::try_from(file.entry_len).ok()?)?;
            for st in &file.statements {
                text_at = text_at.checked_add(st.len as usize)?;
            }
        }
    }
    if listed.len() != files.len() {
        return None;
    }
    let max = store::options().max_file_size;
    let trusted_before = taken_ns.saturating_sub(RACY.as_nanos() as i128);
    let unchanged = |path: &PathBuf, l: &Listed| {
        if path_bytes(path) != l.file.path {
            return false;
        }
        let key = match fs::metadata(path) {
            Ok(m) if m.is_file() => Key::of(&m),
            _ => return false,
        };
        key == l.file.key
            && key.size <= max
            && (key.changed_ns() < trusted_before
                || store::read_incident_file(path, max)
                    .is_ok_and(|b| model::fingerprint(&b) == l.file.fingerprint))
    };
    if !files
        .par_iter()
        .zip(listed.par_iter())
        .with_min_len(64)
        .all(|(p, l)| unchanged(p, l))
    {
        return None;
    }

    // Which files did not load, and which incidents the rule on ids drops, as
    // `store::load` decides them.
    let mut not_loaded = store::NotLoaded::from_walk(&files, &skipped);
    let mut loaded: Vec<(&str, usize)> = Vec::with_capacity(files.len());
    for (k, (path, l)) in files.iter().zip(&listed).enumerate() {
        match l.file.incident {
            Some(id) => loaded.push((id, k)),
            None => not_loaded.add(path),
        }
    }
    let ids: Vec<&str> = loaded.iter().map(|&(id, _)| id).collect();
    let dropped = crate::check::clashing_ids(&ids, &not_loaded.ids);
    let store::NotLoaded {
        paths: mut failed,
        found,
        ..
    } = not_loaded;
    // Corpus order: incidents by id (unique once the clashing ones are dropped), statements
    // in file order.
    let mut kept: Vec<(&str, usize)> = Vec::with_capacity(loaded.len());
    let mut next_dropped = dropped.iter().peekable();
    for (n, &(id, k)) in loaded.iter().enumerate() {
        if next_dropped.next_if_eq(&&n).is_some() {
            failed.push(files[k].clone());
        } else {
            kept.push((id, k));
        }
    }
    kept.sort_unstable();
    failed.sort();
    // Then newest first, ties in corpus order.
    // Each statement: its date's sort key, its incident and place in it, its folded text.
    type Listing<'a> = ((i32, u8, i64), u32, u32, &'a str);
    let mut entries: Vec<Listing> = Vec::new();
    for (incident, &(_, k)) in kept.iter().enumerate() {
        let l = &listed[k];
        let text = parts[l.chunk].text;
        let mut at = l.text_at;
        for (j, st) in l.file.statements.iter().enumerate() {
            let end = at.checked_add(st.len as usize)?;
            entries.push((
                (st.day, st.precision, st.seconds),
                incident as u32,
                j as u32,
                text.get(at..end)?,
            ));
            at = end;
        }
    }
    // Sorted by day and precision packed in one number (40 bits), newest first, then by place
    // in corpus order; then each run of times on one day by its seconds: the order of
    // comparing the dates' keys whole, at a fraction of the cost.
    let mut sorted: Vec<(u64, u32)> = entries
        .iter()
        .enumerate()
        .map(|(e, &((day, precision, _), ..))| {
            let newness =
                (u64::from((i64::from(day) + (1 << 31)) as u32) << 8) | u64::from(precision);
            (((1 << 40) - 1) - newness, e as u32)
        })
        .collect();
    sorted = radix_sort(sorted);
    for run in sorted.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() > 1 && entries[run[0].1 as usize].0.1 == 3 {
            run.sort_unstable_by_key(|&(_, e)| (std::cmp::Reverse(entries[e as usize].0.2), e));
        }
    }
    let order: Vec<u32> = sorted.into_iter().map(|(_, e)| e).collect();
    let hays: Vec<&str> = order.iter().map(|&e| entries[e as usize].3).collect();
    let ranked = crate::search::rank_folded(&hays, query, limit);

    // The hits' files, decoded from their chunks' entries, each chunk's checked first.
    let mut wanted: Vec<u32> = ranked
        .iter()
        .map(|r| entries[order[r.entry as usize] as usize].1)
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut read: std::collections::HashMap<usize, Cow<[u8]>> = std::collections::HashMap::new();
    let mut incidents = Vec::with_capacity(wanted.len());
    for &incident in &wanted {
        let (id, k) = kept[incident as usize];
        let l = &listed[k];
        let chunk = match read.entry(l.chunk) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                let (at, c) = spans[l.chunk];
                let chunk = bytes.read(at.checked_add(c.search_len)?, c.len)?;
                if model::fingerprint(&chunk) != c.checksum {
                    return None;
                }
                v.insert(chunk)
            }
        };
        let end = l
            .entry_at
            .checked_add(usize::try_from(l.file.entry_len).ok()?)?;
        let e: FileEntry = whole(chunk.get(l.entry_at..end)?)?;
        let parsed = result(&files[k], e).ok()?.0?;
        if parsed.incident.id != id || parsed.incident.statements.len() != l.file.statements.len() {
            return None;
        }
        incidents.push(parsed.incident);
    }
    let hits = ranked
        .iter()
        .map(|r| {
            let (_, incident, statement, _) = entries[order[r.entry as usize] as usize];
            let at = wanted.binary_search(&incident).ok()?;
            let position = store::Position {
                incident: at,
                statement: statement as usize,
            };
            let inc = &incidents[at];
            Some(r.hit(query, position, inc, &inc.statements[statement as usize]))
        })
        .collect::<Option<Vec<Hit>>>()?;
    let corpus = store::Corpus {
        root: dir.to_path_buf(),
        incidents,
        failed,
        diagnostics: Vec::new(),
        files: found,
    };
    Some((corpus, hits))
}

/// `items` ordered by key, ties kept in the order they came in (a stable sort, sixteen bits
/// of the key at a time); every key must be under 2^48.
fn radix_sort(items: Vec<(u64, u32)>) -> Vec<(u64, u32)> {
    let mut a = items;
    let mut b = vec![(0u64, 0u32); a.len()];
    let mut counts = vec![0usize; 1 << 16];
    for shift in [0, 16, 32] {
        counts.iter_mut().for_each(|c| *c = 0);
        for &(k, _) in &a {
            counts[((k >> shift) & 0xffff) as usize] += 1;
        }
        if counts.contains(&a.len()) {
            continue;
        }
        let mut sum = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = sum;
            sum += n;
        }
        for &item in &a {
            let d = ((item.0 >> shift) & 0xffff) as usize;
            b[counts[d]] = item;
            counts[d] += 1;
        }
        std::mem::swap(&mut a, &mut b);
    }
    a
}

/// Each file's entry in the snapshot, if it has one, and whether the snapshot names files
/// that are gone. Both lists are in the walk's order, so one pass pairs them; an entry out of
/// that order is only passed over, and its file parsed again.
fn pair_up(
    files: &[PathBuf],
    old: Vec<FileEntry<'static>>,
) -> (Vec<Option<FileEntry<'static>>>, bool) {
    let mut old = old.into_iter().peekable();
    let mut gone = false;
    let wanted = files
        .iter()
        .map(|p| {
            while let Some(e) = old.peek() {
                match store::path_order(bytes_path(&e.path), p) {
                    std::cmp::Ordering::Less => {
                        gone = true;
                        old.next();
                    }
                    std::cmp::Ordering::Equal => return old.next(),
                    std::cmp::Ordering::Greater => return None,
                }
            }
            None
        })
        .collect();
    (wanted, gone || old.next().is_some())
}

/// Decides one file: kept from the snapshot when its key is unchanged (and, when the key is
/// too recent to trust alone, its bytes too), parsed otherwise.
fn look_at(path: &Path, old: Option<FileEntry>, trusted_before: i128) -> Outcome {
    // Read as the loader reads: regular files only, under the size limit. A file that cannot
    // be read is never recorded, so the limit or a permission may change between runs.
    let max = store::options().max_file_size;
    let read = || store::read_incident_file(path, max);
    let parse = |bytes: Result<Vec<u8>, String>, key: Key| match bytes {
        Ok(bytes) => Outcome {
            result: store::parse_file(path, &bytes),
            recorded: Some((key, model::fingerprint(&bytes))),
            parsed: true,
        },
        Err(message) => Outcome {
            result: store::unreadable(path, message),
            recorded: None,
            parsed: true,
        },
    };
    let Some(old) = old else {
        // Nothing recorded: the key is the opened file's, so the file is looked at once.
        return match store::read_incident_file_meta(path, max) {
            Ok((bytes, meta)) => Outcome {
                result: store::parse_file(path, &bytes),
                recorded: Some((Key::of(&meta), model::fingerprint(&bytes))),
                parsed: true,
            },
            Err(message) => parse(Err(message), Key::default()),
        };
    };
    let key = match fs::metadata(path) {
        Ok(m) if m.is_file() => Key::of(&m),
        _ => {
            return Outcome {
                result: store::load_file(path),
                recorded: None,
                parsed: true,
            };
        }
    };
    let Some(e) = Some(old).filter(|e| e.key == key && key.size <= max) else {
        return parse(read(), key);
    };
    let fp = e.fingerprint;
    if key.changed_ns() >= trusted_before {
        // Racy: a change made within the clock's tick may not have moved the times.
        match read() {
            Ok(bytes) if model::fingerprint(&bytes) == fp => {}
            other => return parse(other, key),
        }
    }
    match result(path, e) {
        Ok(result) => Outcome {
            result,
            recorded: Some((key, fp)),
            parsed: false,
        },
        Err(Invalid) => parse(read(), key),
    }
}

/// `f` over every file and its old entry, on every core, results in order.
fn parallel<F>(files: &[PathBuf], olds: Vec<Option<FileEntry>>, f: F) -> Vec<Outcome>
where
    F: Fn(&Path, Option<FileEntry>) -> Outcome + Sync,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads <= 1 || files.len() < 64 {
        return files.iter().zip(olds).map(|(p, o)| f(p, o)).collect();
    }
    let chunk = files.len().div_ceil(threads);
    let mut olds = olds.into_iter();
    let parts: Vec<(&[PathBuf], Vec<Option<FileEntry>>)> = files
        .chunks(chunk)
        .map(|part| (part, olds.by_ref().take(part.len()).collect()))
        .collect();
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|(part, olds)| {
                scope.spawn(move || {
                    part.iter()
                        .zip(olds)
                        .map(|(p, o)| f(p, o))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a loader thread panicked"))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RICH: &str = r#"# A comment.
title = "Acme Widgets recall"
company = "Acme Widgets"
summary = "Deux lignes,\navec des accents : é."
tags = ["recall", "safety"]

[[sources]]
id = "wire"
outlet = "Agence Fictive"
url = "https://example.org/a"
published = 2024-03-02
archived = "https://archive.example.org/a"
lang = "fr"
snapshot = "sources/acme-recall/wire.txt"
sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

[[sources]]
id = "paper"
outlet = "Journal Fictif"

[[statements]]
id = "first"
date = "2024"
speaker = "Wile E. Coyote"
role = "porte-parole"
kind = "paraphrase"
channel = "interview"
source = "wire"
via = "paper"
lang = "fr"
text = "Nous ne vendons pas les données"
translation = "We do not sell the data"
tags = ["denial"]
note = "Checked."

[[statements]]
id = "second"
date = 2024-11-09T14:05:00+01:00
speaker = "Press office"
organization = "Acme Holdings"
url = "https://example.org/b"
text = "We may sell the data"

[[statements]]
id = "third"
date = "2024-12"
speaker = "Press office"
kind = "document"
source = "wire"
text = "Terms"
translaton = "typo"

[[contradictions]]
id = "first-vs-second"
between = ["first", "second"]
reviewed = "second"
verdict = "walks-back"
claim = "They sell"
note = "A note"
tagged_by = "A. Tester"
tagged_at = 2024-12-01T09:30:00Z
"#;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn an_entry_reads_back_as_the_parse_it_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "acme-recall.toml", RICH);
        let parsed = store::load_file(&path);
        assert!(parsed.0.is_some(), "{:?}", parsed.1);
        assert!(!parsed.1.is_empty(), "the typo gives a warning");
        let key = Key::of(&fs::metadata(&path).unwrap());
        let e = entry(&path, key, 7, &parsed).unwrap();
        let bytes = postcard::to_allocvec(&e).unwrap();
        let back = result(&path, whole(&bytes).unwrap()).unwrap();
        assert_eq!(format!("{:?}", back.1), format!("{:?}", parsed.1));
        let (a, b) = (back.0.unwrap(), parsed.0.unwrap());
        // The fields added to the model since the snapshot first kept it are there to compare.
        let (wire, first) = (&b.incident.sources[0], &b.incident.statements[0]);
        assert!(wire.snapshot.is_some() && wire.sha256.is_some() && wire.snapshot_line > 0);
        assert_eq!(first.via.as_deref(), Some("paper"));
        assert!(first.line > 0 && wire.line > 0);
        assert_eq!(format!("{:?}", a.incident), format!("{:?}", b.incident));
        assert_eq!(a.between_positions, b.between_positions);

        let broken = write(dir.path(), "broken.toml", "title = \"x\"\ncompany = 3\n");
        let failed = store::load_file(&broken);
        assert!(failed.0.is_none());
        let e = entry(&broken, key, 7, &failed).unwrap();
        let back = result(&broken, e).unwrap();
        assert!(back.0.is_none());
        assert_eq!(format!("{:?}", back.1), format!("{:?}", failed.1));
    }

    #[test]
    fn unchanged_files_come_from_the_snapshot_and_changed_ones_are_parsed() {
        let corpus = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let a = write(corpus.path(), "acme-recall.toml", RICH);
        let b = write(
            corpus.path(),
            "globex.toml",
            &RICH.replace("Acme", "Globex"),
        );
        let files = vec![a.clone(), b.clone()];
        let load = |files: &[PathBuf]| load_files_in(Some(cache.path()), corpus.path(), files);

        let (first, stats) = load(&files);
        assert_eq!((stats.parsed, stats.kept, stats.written), (2, 0, true));
        let (second, stats) = load(&files);
        assert_eq!((stats.parsed, stats.kept), (0, 2));
        for (x, y) in first.iter().zip(&second) {
            assert_eq!(format!("{:?}", x.1), format!("{:?}", y.1));
            assert_eq!(
                x.0.as_ref().map(|p| format!("{:?}", p.incident)),
                y.0.as_ref().map(|p| format!("{:?}", p.incident))
            );
        }

        // Same size, same inode, written within the same instant: the bytes tell.
        let same_size = RICH.replace("Nous ne vendons", "Nous ne vendrez");
        assert_eq!(same_size.len(), RICH.len());
        let mut f = fs::OpenOptions::new().write(true).open(&a).unwrap();
        f.write_all(same_size.as_bytes()).unwrap();
        drop(f);
        let (third, stats) = load(&files);
        assert_eq!((stats.parsed, stats.kept), (1, 1));
        let text = &third[0].0.as_ref().unwrap().incident.statements[0].text;
        assert_eq!(text, "Nous ne vendrez pas les données");

        // A file gone is dropped; one added is parsed.
        fs::remove_file(&b).unwrap();
        let c = write(
            corpus.path(),
            "initech.toml",
            &RICH.replace("Acme", "Initech"),
        );
        let (_, stats) = load(&[a.clone(), c.clone()]);
        assert_eq!((stats.parsed, stats.kept, stats.written), (1, 1, true));
        let (bytes, root) = snapshot_path_in(cache.path(), corpus.path()).unwrap();
        let snapshot = read_snapshot(&bytes, &root).unwrap();
        let paths: Vec<&[u8]> = snapshot.files.iter().map(|e| e.path.as_ref()).collect();
        assert_eq!(paths, [path_bytes(&a), path_bytes(&c)]);
    }

    #[test]
    fn a_snapshot_of_many_chunks_pairs_every_file_with_its_own_entry() {
        let corpus = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let n = CHUNK * 2 + 10;
        // Names whose order as paths differs from their order as bytes (`a-1` and `a/1`).
        fs::create_dir(corpus.path().join("a")).unwrap();
        let mut files: Vec<PathBuf> = (0..n)
            .map(|k| {
                let name = match k % 3 {
                    0 => format!("a/m{k}.toml"),
                    1 => format!("a-{k}.toml"),
                    _ => format!("a{k}.toml"),
                };
                let company = format!("Acme Widgets {k}");
                write(
                    corpus.path(),
                    &name,
                    &RICH.replace("Acme Widgets", &company),
                )
            })
            .collect();
        files.sort_unstable_by(|a, b| store::path_order(a, b));
        let load = |files: &[PathBuf]| load_files_in(Some(cache.path()), corpus.path(), files);
        let same = |results: &[FileResult], files: &[PathBuf]| {
            for (path, got) in files.iter().zip(results) {
                let want = store::load_file(path);
                assert_eq!(format!("{:?}", got.1), format!("{:?}", want.1));
                assert_eq!(
                    got.0.as_ref().map(|p| format!("{:?}", p.incident)),
                    want.0.as_ref().map(|p| format!("{:?}", p.incident)),
                    "{}",
                    path.display()
                );
            }
        };
        let (first, stats) = load(&files);
        assert_eq!((stats.parsed, stats.written), (n, true));
        same(&first, &files);
        let (second, stats) = load(&files);
        assert_eq!((stats.parsed, stats.kept), (0, n));
        same(&second, &files);
        // Every tenth file gone: the others are still taken from the snapshot.
        let kept: Vec<PathBuf> = files
            .iter()
            .enumerate()
            .filter(|(k, _)| k % 10 != 0)
            .map(|(_, p)| p.clone())
            .collect();
        let (third, stats) = load(&kept);
        assert_eq!(
            (stats.parsed, stats.kept, stats.written),
            (0, kept.len(), true)
        );
        same(&third, &kept);
    }

    #[test]
    fn a_damaged_or_foreign_snapshot_is_not_trusted() {
        let corpus = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let a = write(corpus.path(), "acme-recall.toml", RICH);
        let files = vec![a];
        load_files_in(Some(cache.path()), corpus.path(), &files);
        let (snapshot, root) = snapshot_path_in(cache.path(), corpus.path()).unwrap();
        let good = fs::read(&snapshot).unwrap();
        assert!(decode(&good[..], &root).is_some());
        assert!(read_snapshot(&snapshot, &root).is_some());
        for cut in [
            0,
            10,
            PREFIX - 1,
            PREFIX,
            good.len() / 2,
            good.len() - TRAILER,
        ] {
            assert!(decode(&good[..cut], &root).is_none(), "cut at {cut}");
        }
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            assert!(decode(&bad[..], &root).is_none(), "byte {at} flipped");
        }
        assert!(decode(&good[..], Path::new("/elsewhere")).is_none());
        let mut other = good.clone();
        other[16] = other[16].wrapping_add(1);
        assert!(
            decode(&other[..], &root).is_none(),
            "another format version"
        );

        fs::write(&snapshot, &good[..good.len() / 2]).unwrap();
        let (_, stats) = load_files_in(Some(cache.path()), corpus.path(), &files);
        assert_eq!((stats.parsed, stats.written), (1, true));
        assert_eq!(fs::read(&snapshot).unwrap().len(), good.len());
    }

    /// What a search printed: each hit's statement, score, rank and lit ranges.
    fn described(corpus: &store::Corpus, hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| {
                let (inc, st) = h.get(corpus);
                format!(
                    "{}#{} {} {:?} {:?}",
                    inc.id, st.id, h.score, h.rank, h.matches
                )
            })
            .collect()
    }

    #[test]
    fn a_warm_search_ranks_from_the_snapshot_as_a_search_of_the_corpus_does() {
        let corpus = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        crate::generate::generate(corpus.path(), 3000, 11).unwrap();
        write(corpus.path(), "broken.toml", "title = \"x\"\ncompany = 3\n");
        // Times on one day, in two files, in no order: newest first, ties in corpus order.
        for (name, times) in [
            ("acme-clock-b", ["10:00:00Z", "09:00:00+02:00", "2024-05"]),
            ("acme-clock-a", ["07:00:00Z", "10:00:00Z", "2024"]),
        ] {
            let mut text =
                "title = \"Acme Widgets clock\"\ncompany = \"Acme Widgets\"\n".to_string();
            for (k, t) in times.iter().enumerate() {
                let date = match t.len() {
                    4 => format!("\"{t}\""),
                    7 => format!("\"{t}\""),
                    _ => format!("2024-05-02T{t}"),
                };
                text.push_str(&format!(
                    "\n[[statements]]\nid = \"s{k}\"\ndate = {date}\nspeaker = \"Press office\"\ntext = \"horloge {k}\"\n"
                ));
            }
            write(corpus.path(), &format!("{name}.toml"), &text);
        }
        let files = store::incident_files(corpus.path()).unwrap();
        assert!(files.len() > CHUNK, "several chunks");
        // No snapshot yet: nothing to rank from.
        assert!(search_in(cache.path(), corpus.path(), "clients", 20).is_none());
        load_files_in(Some(cache.path()), corpus.path(), &files);
        let same = |query: &str, limit: usize| {
            let plain = store::load(corpus.path()).unwrap();
            let want = crate::search::search_once(&plain, query, &Default::default(), limit);
            let (warm, hits) = search_in(cache.path(), corpus.path(), query, limit)
                .unwrap_or_else(|| panic!("{query}: the snapshot serves the search"));
            assert_eq!(described(&warm, &hits), described(&plain, &want), "{query}");
            assert_eq!(warm.failed, plain.failed, "{query}");
            assert_eq!(warm.files, plain.files, "{query}");
        };
        // Words, a phrase, a prefix, a typo (which reads every statement), none, a quoted
        // phrase, an empty query, and limits that stop the scan early or not at all.
        for (query, limit) in [
            ("données clients", 20),
            ("données clients", 2000),
            ("donn", 5),
            ("clinets", 20),
            ("donées", 500),
            ("zzzqqq", 20),
            ("\"ne vendons\"", 50),
            ("\"\"", 7),
            ("acme", 0),
            ("horloge", 3),
            ("horloge", 50),
            ("horlgoe", 50),
        ] {
            same(query, limit);
        }

        // A duplicate id drops both incidents, as a load does.
        let first = files
            .iter()
            .find(|p| p.starts_with(corpus.path().join("2015")));
        let first = first.unwrap();
        let copy = corpus.path().join(first.file_name().unwrap());
        fs::copy(first, &copy).unwrap();
        assert!(search_in(cache.path(), corpus.path(), "clients", 20).is_none());
        let files = store::incident_files(corpus.path()).unwrap();
        load_files_in(Some(cache.path()), corpus.path(), &files);
        same("clients", 3000);

        // Any file changed, added or gone: not served from the snapshot.
        let text = fs::read_to_string(first).unwrap();
        fs::write(first, text.replacen("text = \"", "text = \"Zut ", 1)).unwrap();
        assert!(search_in(cache.path(), corpus.path(), "clients", 20).is_none());
        load_files_in(Some(cache.path()), corpus.path(), &files);
        same("zut", 20);
        fs::remove_file(&copy).unwrap();
        assert!(search_in(cache.path(), corpus.path(), "clients", 20).is_none());
    }

    #[test]
    fn the_radix_sort_is_a_stable_sort() {
        let mut seed = 7u64;
        let items: Vec<(u64, u32)> = (0..5000u32)
            .map(|e| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // Few distinct keys, spread over all three digits, so ties are many.
                let k = (seed >> 20) % 40;
                ((k << 33) | (k % 3) << 17 | (k % 5), e)
            })
            .collect();
        let mut want = items.clone();
        want.sort_by_key(|&(k, _)| k);
        assert_eq!(radix_sort(items), want);
        assert_eq!(radix_sort(vec![(3, 0), (3, 1)]), [(3, 0), (3, 1)]);
        assert!(radix_sort(Vec::new()).is_empty());
    }

    #[test]
    fn no_cache_inside_the_corpus_nor_where_no_folder_can_be_made() {
        let corpus = tempfile::tempdir().unwrap();
        write(corpus.path(), "acme-recall.toml", RICH);
        assert!(snapshot_path_in(&corpus.path().join(".cache/onrecord"), corpus.path()).is_none());
        let blocker = tempfile::NamedTempFile::new().unwrap();
        let files = store::incident_files(corpus.path()).unwrap();
        let (results, stats) = load_files_in(
            Some(&blocker.path().join("onrecord")),
            corpus.path(),
            &files,
        );
        assert_eq!(results.len(), 1);
        assert_eq!((stats.parsed, stats.written), (1, false));
        assert_eq!(fs::read_dir(corpus.path()).unwrap().count(), 1);
    }
}
