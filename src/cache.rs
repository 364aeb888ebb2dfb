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
//! `--no-cache` and `ONRECORD_NO_CACHE=1` turn it off. Library users get no cache unless they
//! call [`enable`]: the command line does, so that tests of the library never write outside
//! their own folders.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::check::{Diagnostic, Parsed, Severity};
use crate::model::{self, Contradiction, Date, Incident, Kind, Source, Statement, Verdict};
use crate::store::{self, FileResult};

/// Set to `1` in the environment to turn the cache off, as `--no-cache` does.
pub const NO_CACHE_ENV: &str = "ONRECORD_NO_CACHE";

/// The first bytes of a snapshot.
const MAGIC: &[u8; 16] = b"onrecord-cache\0\0";
/// Bumped whenever the snapshot's layout or what parsing produces changes; the crate's own
/// version is also recorded, so a snapshot from another release is never trusted.
const FORMAT: u32 = 2;
/// Magic, format, checksum, payload length.
const HEADER: usize = 16 + 4 + 8 + 8;
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

/// What identifies one version of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
// and render dates as text), so the snapshot mirrors them field for field instead.

#[derive(Serialize, Deserialize)]
struct Snapshot {
    /// The crate version that wrote it.
    version: String,
    /// The corpus folder's canonical path.
    root: Vec<u8>,
    /// When the files were looked at, before any was read.
    taken_ns: i128,
    files: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    path: Vec<u8>,
    key: Key,
    /// [`model::fingerprint`] of the bytes parsed.
    fingerprint: u64,
    incident: Option<CIncident>,
    between_positions: Vec<[(u32, u32); 2]>,
    diagnostics: Vec<CDiagnostic>,
}

#[derive(Serialize, Deserialize)]
struct CDiagnostic {
    line: u32,
    column: u32,
    error: bool,
    message: String,
}

#[derive(Serialize, Deserialize)]
struct CIncident {
    id: String,
    fingerprint: u64,
    title: String,
    company: String,
    summary: Option<String>,
    tags: Vec<String>,
    sources: Vec<CSource>,
    statements: Vec<CStatement>,
    contradictions: Vec<CContradiction>,
}

#[derive(Serialize, Deserialize)]
struct CSource {
    id: String,
    outlet: String,
    url: Option<String>,
    published: Option<CDate>,
    archived: Option<String>,
    lang: Option<String>,
    snapshot: Option<String>,
    sha256: Option<String>,
    line: u32,
    snapshot_line: u32,
}

#[derive(Serialize, Deserialize)]
struct CStatement {
    id: String,
    date: CDate,
    speaker: String,
    organization: String,
    role: Option<String>,
    kind: u8,
    channel: Option<String>,
    source: Option<String>,
    via: Option<String>,
    url: Option<String>,
    lang: Option<String>,
    text: String,
    translation: Option<String>,
    tags: Vec<String>,
    note: Option<String>,
    line: u32,
}

#[derive(Serialize, Deserialize)]
struct CContradiction {
    id: Option<String>,
    between: [(String, String); 2],
    reviewed: Option<(String, String)>,
    verdict: u8,
    claim: Option<String>,
    note: Option<String>,
    tagged_by: Option<String>,
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

fn entry(path: &Path, key: Key, fingerprint: u64, result: &FileResult) -> Option<Entry> {
    let (parsed, diagnostics) = result;
    // A file's own diagnostics are about that file; anything else is not this cache's to keep.
    if diagnostics.iter().any(|d| d.path != path) {
        return None;
    }
    let incident = parsed.as_ref().map(|p| {
        let i = &p.incident;
        CIncident {
            id: i.id.clone(),
            fingerprint: i.fingerprint,
            title: i.title.clone(),
            company: i.company.clone(),
            summary: i.summary.clone(),
            tags: i.tags.clone(),
            sources: i
                .sources
                .iter()
                .map(|s| CSource {
                    id: s.id.clone(),
                    outlet: s.outlet.clone(),
                    url: s.url.clone(),
                    published: s.published.as_ref().map(CDate::of),
                    archived: s.archived.clone(),
                    lang: s.lang.clone(),
                    snapshot: s.snapshot.clone(),
                    sha256: s.sha256.clone(),
                    line: s.line,
                    snapshot_line: s.snapshot_line,
                })
                .collect(),
            statements: i
                .statements
                .iter()
                .map(|s| CStatement {
                    id: s.id.clone(),
                    date: CDate::of(&s.date),
                    speaker: s.speaker.clone(),
                    organization: s.organization.clone(),
                    role: s.role.clone(),
                    kind: kind_code(s.kind),
                    channel: s.channel.clone(),
                    source: s.source.clone(),
                    via: s.via.clone(),
                    url: s.url.clone(),
                    lang: s.lang.clone(),
                    text: s.text.clone(),
                    translation: s.translation.clone(),
                    tags: s.tags.clone(),
                    note: s.note.clone(),
                    line: s.line,
                })
                .collect(),
            contradictions: i
                .contradictions
                .iter()
                .map(|c| CContradiction {
                    id: c.id.clone(),
                    reviewed: c
                        .reviewed
                        .as_ref()
                        .map(|r| (r.incident.clone(), r.statement.clone())),
                    between: c
                        .between
                        .clone()
                        .map(|r| (r.incident.clone(), r.statement.clone())),
                    verdict: verdict_code(c.verdict),
                    claim: c.claim.clone(),
                    note: c.note.clone(),
                    tagged_by: c.tagged_by.clone(),
                    tagged_at: c.tagged_at.as_ref().map(CDateTime::of),
                    line: c.line,
                })
                .collect(),
        }
    });
    Some(Entry {
        path: path_bytes(path).to_vec(),
        key,
        fingerprint,
        incident,
        between_positions: parsed
            .as_ref()
            .map(|p| p.between_positions.clone())
            .unwrap_or_default(),
        diagnostics: diagnostics
            .iter()
            .map(|d| CDiagnostic {
                line: d.line,
                column: d.column,
                error: d.is_error(),
                message: d.message.clone(),
            })
            .collect(),
    })
}

/// The model back from a snapshot entry, for the file at `path`.
fn result(path: &Path, e: Entry) -> Result<FileResult, Invalid> {
    let parsed = match e.incident {
        None => None,
        Some(i) => {
            let sources = i
                .sources
                .into_iter()
                .map(|s| {
                    Ok(Source {
                        id: s.id,
                        outlet: s.outlet,
                        url: s.url,
                        published: s.published.map(CDate::to_model).transpose()?,
                        archived: s.archived,
                        lang: s.lang,
                        snapshot: s.snapshot,
                        sha256: s.sha256,
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
                        id: s.id,
                        date: s.date.to_model()?,
                        speaker: s.speaker,
                        organization: s.organization,
                        role: s.role,
                        kind: *Kind::ALL.get(s.kind as usize).ok_or(Invalid)?,
                        channel: s.channel,
                        source: s.source,
                        via: s.via,
                        url: s.url,
                        lang: s.lang,
                        text: s.text,
                        translation: s.translation,
                        tags: s.tags,
                        note: s.note,
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
                        id: c.id,
                        reviewed: c.reviewed.map(|(i, s)| model::StatementRef::new(i, s)),
                        between: [
                            model::StatementRef::new(ai, as_),
                            model::StatementRef::new(bi, bs),
                        ],
                        verdict: *Verdict::ALL.get(c.verdict as usize).ok_or(Invalid)?,
                        claim: c.claim,
                        note: c.note,
                        tagged_by: c.tagged_by,
                        tagged_at: c.tagged_at.map(CDateTime::to_model).transpose()?,
                        line: c.line,
                    })
                })
                .collect::<Result<_, Invalid>>()?;
            Some(Parsed {
                incident: Incident {
                    id: i.id,
                    path: path.to_path_buf(),
                    fingerprint: i.fingerprint,
                    title: i.title,
                    company: i.company,
                    summary: i.summary,
                    tags: i.tags,
                    sources,
                    statements,
                    contradictions,
                },
                between_positions: e.between_positions,
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
            message: d.message,
        })
        .collect();
    Ok((parsed, diagnostics))
}

/// The snapshot's bytes: header, then the encoded payload.
fn encode(snapshot: &Snapshot) -> Option<Vec<u8>> {
    let payload = postcard::to_allocvec(snapshot).ok()?;
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&model::fingerprint(&payload).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&payload);
    Some(out)
}

/// A snapshot from its bytes, when they are whole, from this version, and for `root`.
fn decode(bytes: &[u8], root: &Path) -> Option<Snapshot> {
    let header = bytes.get(..HEADER)?;
    let payload = &bytes[HEADER..];
    let (magic, rest) = header.split_at(16);
    let (format, rest) = rest.split_at(4);
    let (checksum, len) = rest.split_at(8);
    if magic != MAGIC
        || u32::from_le_bytes(format.try_into().ok()?) != FORMAT
        || u64::from_le_bytes(len.try_into().ok()?) != payload.len() as u64
        || u64::from_le_bytes(checksum.try_into().ok()?) != model::fingerprint(payload)
    {
        return None;
    }
    let snapshot: Snapshot = postcard::from_bytes(payload).ok()?;
    (snapshot.version == env!("CARGO_PKG_VERSION") && snapshot.root == path_bytes(root))
        .then_some(snapshot)
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, renamed over it.
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(folder)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".snapshot-")
        .tempfile_in(folder)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_data()?;
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
    let old = fs::read(&snapshot_file)
        .ok()
        .and_then(|bytes| decode(&bytes, &root));
    let old_taken = old.as_ref().map_or(i128::MIN, |s| s.taken_ns);
    let mut previous: HashMap<Vec<u8>, Entry> = old
        .map(|s| s.files)
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.path.clone(), e))
        .collect();
    let wanted: Vec<Option<Entry>> = files
        .iter()
        .map(|p| previous.remove(path_bytes(p)))
        .collect();
    // Whatever is left in `previous` names files that are gone.
    let mut changed = !previous.is_empty();
    drop(previous);

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
        let snapshot = Snapshot {
            version: env!("CARGO_PKG_VERSION").to_string(),
            root: path_bytes(&root).to_vec(),
            taken_ns,
            files: files
                .iter()
                .zip(&outcomes)
                .filter_map(|(path, o)| {
                    let (key, fp) = o.recorded?;
                    entry(path, key, fp, &o.result)
                })
                .collect(),
        };
        if let Some(bytes) = encode(&snapshot) {
            // A cache that cannot be written is no cache; the command's answer is the same.
            stats.written = write_atomic(&snapshot_file, &bytes).is_ok();
        }
    }
    (outcomes.into_iter().map(|o| o.result).collect(), stats)
}

/// Decides one file: kept from the snapshot when its key is unchanged (and, when the key is
/// too recent to trust alone, its bytes too), parsed otherwise.
fn look_at(path: &Path, old: Option<Entry>, trusted_before: i128) -> Outcome {
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
    let Some(e) = old.filter(|e| e.key == key && key.size <= max) else {
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
fn parallel<F>(files: &[PathBuf], olds: Vec<Option<Entry>>, f: F) -> Vec<Outcome>
where
    F: Fn(&Path, Option<Entry>) -> Outcome + Sync,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads <= 1 || files.len() < 64 {
        return files.iter().zip(olds).map(|(p, o)| f(p, o)).collect();
    }
    let chunk = files.len().div_ceil(threads);
    let mut olds = olds.into_iter();
    let parts: Vec<(&[PathBuf], Vec<Option<Entry>>)> = files
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

[[statements]]
id = "first"
date = "2024"
speaker = "Wile E. Coyote"
role = "porte-parole"
kind = "paraphrase"
channel = "interview"
source = "wire"
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
        let back = result(&path, postcard::from_bytes(&bytes).unwrap()).unwrap();
        assert_eq!(format!("{:?}", back.1), format!("{:?}", parsed.1));
        let (a, b) = (back.0.unwrap(), parsed.0.unwrap());
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
        let snapshot = decode(&fs::read(bytes).unwrap(), &root).unwrap();
        let paths: Vec<&[u8]> = snapshot.files.iter().map(|e| e.path.as_slice()).collect();
        assert_eq!(paths, [path_bytes(&a), path_bytes(&c)]);
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
        assert!(decode(&good, &root).is_some());
        for cut in [0, 10, HEADER - 1, HEADER, good.len() / 2, good.len() - 1] {
            assert!(decode(&good[..cut], &root).is_none(), "cut at {cut}");
        }
        for at in (0..good.len()).step_by(7) {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            assert!(decode(&bad, &root).is_none(), "byte {at} flipped");
        }
        assert!(decode(&good, Path::new("/elsewhere")).is_none());
        let mut other = good.clone();
        other[16] = other[16].wrapping_add(1);
        assert!(decode(&other, &root).is_none(), "another format version");

        fs::write(&snapshot, &good[..good.len() / 2]).unwrap();
        let (_, stats) = load_files_in(Some(cache.path()), corpus.path(), &files);
        assert_eq!((stats.parsed, stats.written), (1, true));
        assert_eq!(fs::read(&snapshot).unwrap().len(), good.len());
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
