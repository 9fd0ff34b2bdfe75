//! The sale journal: every pay and refund is recorded on stable storage before its first byte
//! leaves, its outcome is recorded when known, and after a power cut the unsettled sales are
//! read back so they can be queried. The format, the locking and the damage rules are in
//! `docs/journal.md`.
//!
//! One file, many users: threads share a [`Journal`] (an in-process mutex), processes share
//! the file (an exclusive `flock` on `<path>.lock` around every read, append and compaction).

mod file;
mod record;
mod summary;

pub use summary::{summary, SummaryRow};

use crate::error::{Error, Status};
use crate::log::{log, Level};
use crate::model::TxnResult;
use record::Record;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The retention to pass to [`Journal::open`] when there is no reason to choose another.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);

/// The file is compacted once it grows past twice its size after the last compaction, and
/// past this many bytes.
const COMPACT_MIN_BYTES: u64 = 64 * 1024;

/// What a journalled sale is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `pubSigPay`, the official-account pay.
    Pay,
    /// A pay with a barcode scanned from the payer's phone.
    BarcodePay,
    /// A pay through a QR code the payer scans.
    QrPay,
    /// A refund.
    Refund,
    /// A revoke of a counter sale (`RevokeBarcodepay`); its `order_no` is the `tradeNo` of
    /// the sale it revokes.
    Revoke,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 5] = [
        Kind::Pay,
        Kind::BarcodePay,
        Kind::QrPay,
        Kind::Refund,
        Kind::Revoke,
    ];

    /// The name in the journal and the CLI: `"pay"`, `"barcode_pay"`, `"qr_pay"`, `"refund"`,
    /// `"revoke"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pay => "pay",
            Kind::BarcodePay => "barcode_pay",
            Kind::QrPay => "qr_pay",
            Kind::Refund => "refund",
            Kind::Revoke => "revoke",
        }
    }
}

impl Kind {
    /// True for a refund or a revoke: an entry about another sale (`order_no` names it), which
    /// a query of that sale confirms; never a sale of its own.
    pub fn undoes(self) -> bool {
        matches!(self, Kind::Refund | Kind::Revoke)
    }
}

impl std::str::FromStr for Kind {
    type Err = Error;

    /// The kind [`Kind::as_str`] names.
    fn from_str(name: &str) -> Result<Kind, Error> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| {
                Error::invalid("kind", "one of pay, barcode_pay, qr_pay, refund, revoke")
            })
    }
}

/// One sale as the journal knows it. It has no field for the merchant key, an auth code, an
/// OAuth code or an openid, and must never get one: the file is not secret.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Unique among the sales of the file, across threads and processes; set by
    /// [`Journal::begin`].
    pub id: String,
    /// What the sale is.
    pub kind: Kind,
    /// `tradeNo` sent (for a refund: the refund's own).
    pub trade_no: String,
    /// `selOrderNo`, the merchant's order number, if any.
    pub sel_order_no: String,
    /// `logNo`, the gateway's serial, once known.
    pub log_no: String,
    /// `orderNo`, the gateway's order, once known.
    pub order_no: String,
    /// `txnTime` sent, `yyyyMMddHHmmss`.
    pub txn_time: String,
    /// Amount in fen (a refund sent without one: what its answer gave back, 0 until then).
    pub amount: u64,
    /// Total amount in fen.
    pub total_amount: u64,
    /// `payChannel` (`WXPAY`, `ALIPAY`, `YLPAY`): the answer's, else the one a counter sale
    /// was sent with; a refund's is the order's it refunds, when the journal holds that order
    /// or a query of it told. Empty while unknown (a `pubSigPay` before a query told it), and
    /// in files written before it was recorded.
    pub pay_channel: String,
    /// `oprId`, the cashier the configuration sent it for; empty when none was configured
    /// (and in files written before it was recorded).
    pub opr_id: String,
    /// [`Status::Ok`] once the final answer is known; an in-doubt status while it is not.
    pub status: Status,
    /// What happened to the money, once known; else `None` or the last `A`/`Z` (a QR order
    /// made but not yet paid is `None`: its pay's `S` only made the order).
    pub result: Option<TxnResult>,
    /// What went wrong, in words (never a secret).
    pub error: String,
    /// No more queries needed: the outcome is final, or the sale was given up with a reason.
    pub settled: bool,
    /// When [`Journal::begin`] recorded it, milliseconds since 1970 (set by the journal).
    pub created_unix_ms: u64,
    /// When it was last recorded, milliseconds since 1970 (set by the journal).
    pub updated_unix_ms: u64,
    /// The gateway's `sysTime` (`yyyyMMddHHmmss`, China time) of the last signed answer about
    /// this sale: the gateway's clock, which a wrong terminal clock does not move.
    pub sys_time: String,
    /// While the sale has had no answer: how many signed, bound query answers since said the
    /// gateway does not know it (a refusal of its `tradeNo`; for a refund, the order's
    /// `refAmt` without it). The evidence for "never arrived" ([`Entry::never_arrived`]).
    pub not_found: u32,
    /// The gateway's `sysTime` of the first of those answers.
    pub not_found_since: String,
    /// Recovery passes that ended with the sale still open.
    pub recoveries: u32,
    /// Needs a person: still open after [`ATTENTION_AFTER_RECOVERIES`] recovery passes. It is
    /// still queried by every recovery; a person should look it up (the merchant's back
    /// office, the `tradeNo`) and, if need be, settle it by hand.
    pub attention: bool,
}

/// Recovery passes after which a sale still open is flagged [`Entry::attention`].
pub const ATTENTION_AFTER_RECOVERIES: u32 = 3;

/// How many signed, bound "not known" answers, spread over at least
/// [`NEVER_ARRIVED_SPAN_SECS`] of the gateway's clock, prove that a sale which never had an
/// answer never arrived (spec section 12).
pub const NEVER_ARRIVED_ANSWERS: u32 = 3;

/// The span of the gateway's `sysTime` those answers must cover: ten minutes, far beyond the
/// seconds the query service may lag behind a pay (spec section 5).
pub const NEVER_ARRIVED_SPAN_SECS: u64 = 10 * 60;

impl Entry {
    /// A sale of `kind` not yet sent: empty texts, zero amounts, status [`Status::Timeout`]
    /// ("sent, outcome unknown", what a power cut leaves), not settled.
    pub fn new(kind: Kind) -> Entry {
        Entry {
            id: String::new(),
            kind,
            trade_no: String::new(),
            sel_order_no: String::new(),
            log_no: String::new(),
            order_no: String::new(),
            txn_time: String::new(),
            amount: 0,
            total_amount: 0,
            pay_channel: String::new(),
            opr_id: String::new(),
            status: Status::Timeout,
            result: None,
            error: String::new(),
            settled: false,
            created_unix_ms: 0,
            updated_unix_ms: 0,
            sys_time: String::new(),
            not_found: 0,
            not_found_since: String::new(),
            recoveries: 0,
            attention: false,
        }
    }

    /// True when some answer about the sale was ever received from the gateway (a `logNo`, a
    /// result): it arrived, and is never concluded "never arrived" (spec section 12).
    pub fn answered(&self) -> bool {
        self.result.is_some() || (!self.log_no.is_empty())
    }

    /// True when the evidence proves the sale never arrived: it never had an answer, and at
    /// least [`NEVER_ARRIVED_ANSWERS`] signed, bound answers said the gateway does not know
    /// it, from `not_found_since` to `sys_time` covering [`NEVER_ARRIVED_SPAN_SECS`] of the
    /// gateway's clock (the terminal's clock plays no part).
    pub fn never_arrived(&self) -> bool {
        !self.answered()
            && self.not_found >= NEVER_ARRIVED_ANSWERS
            && match (
                crate::clock::sys_time_secs(&self.not_found_since),
                crate::clock::sys_time_secs(&self.sys_time),
            ) {
                (Some(first), Some(last)) => last.saturating_sub(first) >= NEVER_ARRIVED_SPAN_SECS,
                _ => false,
            }
    }
}

/// The journal: a cheap handle (clones share one file, one lock and one cache), usable from
/// any thread.
#[derive(Clone)]
pub struct Journal {
    shared: Arc<Shared>,
}

struct Shared {
    path: PathBuf,
    retention_ms: u64,
    /// `<path>.lock`, the inter-process lock; never removed.
    lock: File,
    /// Opened by [`Journal::open_read_only`]: reads only, never writes or compacts.
    read_only: bool,
    state: Mutex<State>,
}

/// What this process knows of the file, kept in step with it under the lock.
struct State {
    file: File,
    /// (device, inode) of `file`: another process's compaction replaces the file.
    identity: (u64, u64),
    /// End of the last complete line read; everything before it is in the fields below.
    read_offset: u64,
    /// The header's format version (0 until read).
    version: u32,
    /// The sales in order of their first record, each with its latest record line. Looked
    /// up by a search from the end (recent sales are the ones updated): no hash map, whose
    /// code the armv7 `.so` has no room for, for a list that compaction keeps short.
    sales: Vec<(Entry, Vec<u8>)>,
    /// Records of kinds this version does not know, kept as they are by compaction.
    unknown: Vec<Vec<u8>>,
    /// Record lines read or written (superseded, damaged and unknown ones included).
    lines: usize,
    /// File size after the last compaction (or when first read).
    compacted_len: u64,
}

impl State {
    fn new(file: File, identity: (u64, u64)) -> State {
        State {
            file,
            identity,
            read_offset: 0,
            version: 0,
            sales: Vec::new(),
            unknown: Vec::new(),
            lines: 0,
            compacted_len: 0,
        }
    }

    /// Forgets what was read, to read the file from its start.
    fn clear(&mut self) {
        self.read_offset = 0;
        self.version = 0;
        self.sales.clear();
        self.unknown.clear();
        self.lines = 0;
        self.compacted_len = 0;
    }

    /// Where the sale `id` is in `sales`.
    fn position(&self, id: &str) -> Option<usize> {
        self.sales.iter().rposition(|(entry, _)| entry.id == id)
    }

    /// Folds one sale record (the whole state) into the cache.
    fn apply(&mut self, entry: Entry, line: Vec<u8>) {
        self.lines += 1;
        match self.position(&entry.id) {
            Some(i) => self.sales[i] = (entry, line),
            None => self.sales.push((entry, line)),
        }
    }

    /// True when a compaction would drop something: a superseded, damaged or expired record.
    fn compactable(&self, retention_ms: u64, now_ms: u64) -> bool {
        self.lines > self.sales.len() + self.unknown.len()
            || self
                .sales
                .iter()
                .any(|(entry, _)| expired(entry, retention_ms, now_ms))
    }
}

/// Settled, and last updated at least `retention_ms` ago.
fn expired(entry: &Entry, retention_ms: u64, now_ms: u64) -> bool {
    entry.settled && now_ms.saturating_sub(entry.updated_unix_ms) >= retention_ms
}

fn now_unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl Journal {
    /// Opens the journal at `path`, creating it (and syncing its directory) if missing, reads
    /// it, and compacts it when settled sales older than `retention` (or superseded or damaged
    /// records) can be dropped. Damage is logged as a warning and skipped; a file that is not
    /// a journal, or that cannot be read and written, is a [`Status::Journal`] error. A
    /// compaction that cannot be written (a full disk) is logged as a warning and the file
    /// kept as it is. A symbolic link at `path` is resolved once, here: the file, its `.tmp`
    /// and its `.lock` are the link target's.
    pub fn open(path: &Path, retention: Duration) -> Result<Journal, Error> {
        let path = &file::resolve(path);
        let lock = file::open_lock(path)?;
        let (file, _) = file::open_journal(path)?;
        let identity = file::identity_of(&file, path)?;
        let journal = Journal {
            shared: Arc::new(Shared {
                path: path.to_owned(),
                retention_ms: u64::try_from(retention.as_millis()).unwrap_or(u64::MAX),
                lock,
                read_only: false,
                state: Mutex::new(State::new(file, identity)),
            }),
        };
        journal.locked(|shared, state| {
            if state.compactable(shared.retention_ms, now_unix_ms()) {
                shared.compact_or_keep(state)?;
            }
            Ok(())
        })?;
        Ok(journal)
    }

    /// Opens the journal at `path` only to read it, for storage this process may no longer
    /// write (a read-only file or file system): [`Journal::entries`] works, under the same
    /// lock as writers; [`Journal::begin`], [`Journal::update`] and [`Journal::compact`] are
    /// [`Status::Journal`] errors. The file and its lock file must exist. `path` is resolved
    /// as by [`Journal::open`].
    pub fn open_read_only(path: &Path) -> Result<Journal, Error> {
        let path = &file::resolve(path);
        let lock = file::open_lock(path)?;
        let file = file::open_read(path)?;
        let identity = file::identity_of(&file, path)?;
        let journal = Journal {
            shared: Arc::new(Shared {
                path: path.to_owned(),
                retention_ms: u64::MAX,
                lock,
                read_only: true,
                state: Mutex::new(State::new(file, identity)),
            }),
        };
        journal.locked(|_, _| Ok(()))?;
        Ok(journal)
    }

    /// For listing: the journal at `path` opened read-only after `refused` (the error of
    /// opening it for writing), with a warning in the log; `refused` itself when it cannot be
    /// read either. A journal whose storage turned read-only is still listed: reprints and
    /// end-of-day totals need it most then.
    pub fn open_read_only_after(path: &Path, refused: Error) -> Result<Journal, Error> {
        if refused.status() != Status::Journal {
            return Err(refused);
        }
        let journal = Journal::open_read_only(path).map_err(|_| refused.clone())?;
        log(Level::Warn, || {
            format!("{}; reading it read-only", refused.detail())
        });
        Ok(journal)
    }

    /// The file's path, symbolic links resolved (the file written; `.tmp` and `.lock` beside it).
    pub fn path(&self) -> &Path {
        &self.shared.path
    }

    /// Records a new sale (status e.g. [`Status::Timeout`], "sent, outcome unknown", not
    /// settled) and returns only once it is on stable storage. A `trade_no` the journal holds
    /// already is INVALID_ARGUMENT naming `trade_no`, and nothing is recorded. The journal sets `id` (the
    /// given one is ignored), `created_unix_ms` and `updated_unix_ms`; the returned entry has
    /// them.
    pub fn begin(&self, entry: Entry) -> Result<Entry, Error> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let now = now_unix_ms();
        let mut entry = Entry {
            created_unix_ms: now,
            updated_unix_ms: now,
            ..entry
        };
        self.locked(|shared, state| {
            // A tradeNo must never repeat (spec section 11): a query of it would answer the
            // other sale. Checked under the lock, so two processes cannot both take one.
            if !entry.trade_no.is_empty() {
                if let Some((held, _)) = state
                    .sales
                    .iter()
                    .find(|(e, _)| e.trade_no == entry.trade_no)
                {
                    return Err(Error::invalid(
                        "trade_no",
                        format!(
                            "{} is already in the journal (a {} recorded as {}): a tradeNo must \
                             never repeat, or a query of it would answer the other sale; nothing \
                             was sent. Leave it out to have a new one made",
                            entry.trade_no,
                            held.kind.as_str(),
                            held.id
                        ),
                    ));
                }
            }
            // Time, process and counter make the id unique in practice; the check against
            // the file (read up to date under the lock) makes it unique for certain.
            loop {
                let n = COUNTER.fetch_add(1, Ordering::Relaxed);
                entry.id = format!("{now:x}-{:x}-{n:x}", std::process::id());
                if state.position(&entry.id).is_none() {
                    break;
                }
            }
            shared.append(state, &entry)
        })?;
        Ok(entry)
    }

    /// Records what is now known of sale `entry.id`: the whole new state, synced before this
    /// returns. The journal sets `updated_unix_ms`. An id the file does not hold (its first
    /// record was damaged) is recorded as a sale of its own.
    pub fn update(&self, entry: &Entry) -> Result<(), Error> {
        if entry.id.is_empty() {
            return Err(Error::invalid("id", "the id Journal::begin returned"));
        }
        let entry = Entry {
            updated_unix_ms: now_unix_ms(),
            ..entry.clone()
        };
        self.locked(|shared, state| shared.append(state, &entry))
    }

    /// Every sale the file holds, each in its latest state, in the order they were begun.
    pub fn entries(&self) -> Result<Vec<Entry>, Error> {
        self.locked(|_, state| Ok(state.sales.iter().map(|(e, _)| e.clone()).collect()))
    }

    /// Rewrites the file without the settled sales last updated longer ago than the
    /// retention, and without superseded and damaged records. Crash-safe: a new file is
    /// written, synced and renamed over the old one. A file written by a newer version of
    /// the format is left as it is (that version knows what it may drop).
    pub fn compact(&self) -> Result<(), Error> {
        self.locked(|shared, state| shared.compact(state))
    }

    /// Runs `work` holding the in-process mutex and the file lock, with the cache brought up
    /// to date with the file.
    fn locked<T>(
        &self,
        work: impl FnOnce(&Shared, &mut State) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let shared = &*self.shared;
        let mut state = shared.state.lock().unwrap_or_else(|poisoned| {
            // A panic mid-update may have left the cache half-done: read the file again.
            let mut state = poisoned.into_inner();
            state.read_offset = 0;
            state
        });
        let _flock = file::Flock::acquire(&shared.lock, &shared.path)?;
        shared.refresh(&mut state)?;
        work(shared, &mut state)
    }
}

impl Shared {
    /// Logs `journal <path>: <message>` (one instance of the logging code for all messages).
    fn log(&self, level: Level, message: std::fmt::Arguments<'_>) {
        log(level, || {
            format!("journal {}: {message}", self.path.display())
        });
    }

    /// Brings the cache up to date with the file: reopens it when another process's
    /// compaction replaced it, writes the header into an empty file, reads new lines.
    fn refresh(&self, state: &mut State) -> Result<(), Error> {
        let path = &self.path;
        if file::identity_at(path)? != Some(state.identity) {
            let file = if self.read_only {
                file::open_read(path)?
            } else {
                file::open_journal(path)?.0
            };
            let identity = file::identity_of(&file, path)?;
            *state = State::new(file, identity);
        }
        if state.read_offset == 0 {
            state.clear();
        }
        let len = file::length(&state.file, path)?;
        if len < state.read_offset {
            // Cut behind our back (not by this library): read it all again.
            state.clear();
            return self.refresh(state);
        }
        let bytes = file::read_from(&state.file, path, state.read_offset, len)?;
        if state.read_offset == 0 && !bytes.contains(&b'\n') {
            return self.start_file(state, &bytes);
        }
        let mut rest = &bytes[..];
        while let Some(end) = rest.iter().position(|b| *b == b'\n') {
            let line = &rest[..end];
            let offset = state.read_offset;
            if offset == 0 {
                self.read_header(state, line)?;
            } else {
                self.read_record(state, line, offset);
            }
            state.read_offset += end as u64 + 1;
            rest = &rest[end + 1..];
        }
        if state.compacted_len == 0 {
            state.compacted_len = len;
        }
        Ok(())
    }

    /// An empty file, or one holding only an unfinished header (a power cut while creating
    /// it: a prefix of the header, NUL bytes where the file system had not written it yet, or
    /// both): writes the header and syncs the file and its directory. Such a file cannot hold
    /// a sale (a record is appended only after the header's sync). Anything else without a
    /// newline is not a journal, and is never written.
    fn start_file(&self, state: &mut State, bytes: &[u8]) -> Result<(), Error> {
        let header = record::header();
        let written = bytes
            .iter()
            .rposition(|b| *b != 0)
            .map_or(0, |last| last + 1);
        if !header.as_bytes().starts_with(&bytes[..written]) {
            return Err(self.not_a_journal());
        }
        if self.read_only {
            // Nothing recorded yet, and nothing to write it with: an empty journal.
            return Ok(());
        }
        if !bytes.is_empty() {
            self.log(
                Level::Warn,
                format_args!(
                    "held only an unfinished header ({written} bytes of it, then {} NUL bytes: \
                     a power cut while it was created, before any sale was recorded): started \
                     afresh",
                    bytes.len() - written
                ),
            );
            file::truncate(&state.file, &self.path, 0)?;
        }
        file::append(&state.file, &self.path, 0, header.as_bytes())?;
        file::sync_directory(&self.path)?;
        state.read_offset = header.len() as u64;
        state.version = record::VERSION;
        state.compacted_len = state.read_offset;
        Ok(())
    }

    fn not_a_journal(&self) -> Error {
        file::format_error(
            &self.path,
            &format!(
                "not a journal file (its first line is not \"{} <version>\"): \
                 move it away or choose another path",
                record::MAGIC
            ),
        )
    }

    fn read_header(&self, state: &mut State, line: &[u8]) -> Result<(), Error> {
        let version = record::parse_header(line).ok_or_else(|| self.not_a_journal())?;
        if version > record::VERSION {
            self.log(
                Level::Warn,
                format_args!(
                    "written by a newer version of the format ({version}; this library writes \
                     {}): reading the records it understands, not compacting",
                    record::VERSION
                ),
            );
        }
        state.version = version;
        Ok(())
    }

    fn read_record(&self, state: &mut State, line: &[u8], offset: u64) {
        let mut bytes = Vec::with_capacity(line.len() + 1);
        bytes.extend_from_slice(line);
        bytes.push(b'\n');
        match record::decode(line) {
            Record::Sale(entry) => state.apply(*entry, bytes),
            Record::Unknown(kind) => {
                state.lines += 1;
                state.unknown.push(bytes);
                self.log(
                    Level::Debug,
                    format_args!(
                        "kept a \"{kind}\" record at byte {offset} unread (a newer version's)"
                    ),
                );
            }
            Record::Damaged(why) => {
                state.lines += 1;
                self.log(
                    Level::Warn,
                    format_args!(
                        "the {}-byte record at byte {offset} is damaged ({why}): skipped, every \
                         other record is kept",
                        line.len()
                    ),
                );
            }
        }
    }

    /// Appends one sale record and syncs it, first cutting off an unfinished last record (a
    /// write cut short by a crash) so the new one starts on a line of its own.
    fn append(&self, state: &mut State, entry: &Entry) -> Result<(), Error> {
        self.writable()?;
        let path = &self.path;
        let len = file::length(&state.file, path)?;
        if len > state.read_offset {
            self.log(
                Level::Warn,
                format_args!(
                    "cut off an unfinished last record ({} bytes at byte {}; a write was \
                     interrupted, it was never acknowledged)",
                    len - state.read_offset,
                    state.read_offset
                ),
            );
            file::truncate(&state.file, path, state.read_offset)?;
        }
        let line = record::encode(entry);
        file::append(&state.file, path, state.read_offset, &line)?;
        state.read_offset += line.len() as u64;
        state.apply(entry.clone(), line);
        if state.read_offset > COMPACT_MIN_BYTES.max(2 * state.compacted_len) {
            // The record is safe already; a failed compaction only leaves the file longer.
            if let Err(e) = self.compact(state) {
                log(Level::Warn, || {
                    format!("{} (compaction skipped; the record is stored)", e.detail())
                });
            }
        }
        Ok(())
    }

    /// An error for a journal opened with [`Journal::open_read_only`].
    fn writable(&self) -> Result<(), Error> {
        if self.read_only {
            return Err(file::format_error(
                &self.path,
                "opened read-only (its storage cannot be written): nothing can be recorded",
            ));
        }
        Ok(())
    }

    fn compact(&self, state: &mut State) -> Result<(), Error> {
        self.try_compact(state).map_err(|e| e.error)
    }

    /// Compacts, unless the copy cannot be written (a full disk, a size limit): compaction only
    /// saves space, so the file is then kept as it is, whole, with a warning. An error after
    /// the copy replaced the file (its directory sync) is returned.
    fn compact_or_keep(&self, state: &mut State) -> Result<(), Error> {
        match self.try_compact(state) {
            Err(e) if e.replaced => Err(e.error),
            Err(e) => {
                log(Level::Warn, || {
                    format!(
                        "{} (compaction skipped; the journal is kept as it was)",
                        e.error.detail()
                    )
                });
                Ok(())
            }
            Ok(()) => Ok(()),
        }
    }

    fn try_compact(&self, state: &mut State) -> Result<(), file::ReplaceError> {
        self.writable().map_err(|error| file::ReplaceError {
            error,
            replaced: false,
        })?;
        if state.version > record::VERSION {
            return Ok(());
        }
        let now_ms = now_unix_ms();
        let mut bytes = record::header().into_bytes();
        for line in &state.unknown {
            bytes.extend_from_slice(line);
        }
        let retention_ms = self.retention_ms;
        let kept = |(entry, _): &(Entry, Vec<u8>)| !expired(entry, retention_ms, now_ms);
        for (_, line) in state.sales.iter().filter(|sale| kept(sale)) {
            bytes.extend_from_slice(line);
        }
        state.file = file::replace(&self.path, &bytes)?;
        state.identity =
            file::identity_of(&state.file, &self.path).map_err(|error| file::ReplaceError {
                error,
                replaced: true,
            })?;
        let before = state.sales.len();
        state.sales.retain(kept);
        let dropped = before - state.sales.len();
        state.version = record::VERSION;
        state.read_offset = bytes.len() as u64;
        state.compacted_len = state.read_offset;
        state.lines = state.sales.len() + state.unknown.len();
        self.log(
            Level::Debug,
            format_args!(
                "compacted to {} bytes, {} sales ({dropped} settled ones dropped)",
                state.read_offset,
                state.sales.len()
            ),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests;
