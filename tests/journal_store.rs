//! The sale journal as terminals use it: through the public API, from several processes, on a
//! full disk, on a read-only file, in a directory it may not write, and with compactions
//! killed at random moments. Child processes are this test binary run again with
//! `STARPOS_JOURNAL_ROLE` set: the test named on the command line then plays the child's part
//! and exits.

use starpos::journal::{Entry, Journal, Kind, DEFAULT_RETENTION};
use starpos::{Status, TxnResult};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

mod common;

use common::TempDir;

const ROLE: &str = "STARPOS_JOURNAL_ROLE";
const PATH: &str = "STARPOS_JOURNAL_PATH";

/// In a child run for `role`: the journal path it was given.
fn child_role(role: &str) -> Option<PathBuf> {
    (std::env::var(ROLE).ok()? == role).then(|| PathBuf::from(std::env::var_os(PATH).unwrap()))
}

/// Starts this binary again to play `role` in `test`, its stdout piped to the caller.
fn spawn_child(test: &str, role: &str, path: &Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(ROLE, role)
        .env(PATH, path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A line for the parent, straight to the stdout pipe (not the harness's capture), on a line
/// of its own (the harness leaves "test <name> ... " unfinished).
fn tell(line: &str) {
    let mut out = std::io::stdout().lock();
    out.write_all(format!("\n{line}\n").as_bytes()).unwrap();
    out.flush().unwrap();
}

/// What a finished child told: the ids it had acknowledged (`ACK`) and its other lines.
fn told(child: Child) -> (Vec<String>, Vec<String>) {
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    parse_told(&text)
}

fn parse_told(text: &str) -> (Vec<String>, Vec<String>) {
    let mut acked = Vec::new();
    let mut other = Vec::new();
    for line in text.lines() {
        if let Some(id) = line.strip_prefix("ACK ") {
            acked.push(id.to_owned());
        } else if line.starts_with("ERR ") || line.starts_with("OK ") {
            other.push(line.to_owned());
        }
    }
    (acked, other)
}

fn sale(trade_no: &str, amount: u64) -> Entry {
    Entry {
        trade_no: trade_no.into(),
        amount,
        total_amount: amount,
        txn_time: "20261201120000".into(),
        ..Entry::new(Kind::Pay)
    }
}

fn ids(entries: &[Entry]) -> Vec<String> {
    entries.iter().map(|e| e.id.clone()).collect()
}

/// Every message the library logged in this process (the logger is installed once). It also
/// checks, as the simulator tests' guard does, that no secret is logged; the guard is
/// installed first so that a later `common::sim()` does not replace this logger.
fn logged() -> &'static Mutex<Vec<String>> {
    static LOGGED: OnceLock<Arc<Mutex<Vec<String>>>> = OnceLock::new();
    LOGGED.get_or_init(|| {
        common::install_secret_guard();
        let store = Arc::new(Mutex::new(Vec::new()));
        let sink = store.clone();
        starpos::log::set_logger(Some(Arc::new(move |_, message: &str| {
            if let Some(what) = common::leaked_secret(message) {
                panic!("the library logged {what}: {message}");
            }
            sink.lock().unwrap().push(message.to_owned())
        })));
        store
    })
}

#[test]
fn sales_round_trip_and_damage_is_logged_and_skipped() {
    let logged = logged();
    let dir = TempDir::new("roundtrip");
    let path = dir.join("sales.journal");
    let journal = Journal::open(&path, DEFAULT_RETENTION).unwrap();
    let pay = journal.begin(sale("P1", 100)).unwrap();
    let refund = journal
        .begin(Entry {
            kind: Kind::Refund,
            ..sale("R1", 50)
        })
        .unwrap();
    let third = journal.begin(sale("P3", 300)).unwrap();
    let paid = Entry {
        status: Status::Ok,
        result: Some(TxnResult::Success),
        log_no: "L1".into(),
        order_no: "O1".into(),
        settled: true,
        ..pay.clone()
    };
    journal.update(&paid).unwrap();
    let entries = Journal::open(&path, DEFAULT_RETENTION)
        .unwrap()
        .entries()
        .unwrap();
    assert_eq!(ids(&entries), [pay.id.as_str(), &refund.id, &third.id]);
    assert_eq!(entries[0].result, Some(TxnResult::Success));
    assert_eq!(entries[1], refund);

    // One byte changed inside the refund's record: the others are read, the damage logged.
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.windows(4).position(|w| w == b"\"R1\"").unwrap();
    bytes[at + 2] = b'7';
    std::fs::write(&path, &bytes).unwrap();
    let entries = Journal::open(&path, DEFAULT_RETENTION)
        .unwrap()
        .entries()
        .unwrap();
    assert_eq!(ids(&entries), [pay.id.as_str(), &third.id]);
    let warnings = logged.lock().unwrap().join("\n");
    assert!(
        warnings.contains(&format!("journal {}", path.display())) && warnings.contains("damaged"),
        "{warnings}"
    );
}

#[test]
fn a_full_disk_is_a_journal_error_and_leaves_nothing_half_written() {
    const TEST: &str = "a_full_disk_is_a_journal_error_and_leaves_nothing_half_written";
    if let Some(path) = child_role("fill") {
        let journal = Journal::open(&path, DEFAULT_RETENTION).unwrap();
        let len = std::fs::metadata(&path).unwrap().len();
        // SAFETY: plain libc calls on this process's own limits and signal disposition.
        unsafe {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            // rlim_t is 32 bits on armv7: the journal here is a few hundred bytes.
            let bytes = libc::rlim_t::try_from(len + 1500).expect("a small journal");
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
        }
        for i in 0..1000 {
            match journal.begin(sale(&format!("F{i}"), i)) {
                Ok(entry) => tell(&format!("ACK {}", entry.id)),
                Err(e) => {
                    tell(&format!("ERR {} {}", e.status(), e.detail()));
                    break;
                }
            }
        }
        std::process::exit(0);
    }
    let dir = TempDir::new("full");
    let path = dir.join("sales.journal");
    let first = Journal::open(&path, DEFAULT_RETENTION)
        .unwrap()
        .begin(sale("BEFORE", 1))
        .unwrap();
    let (acked, other) = told(spawn_child(TEST, "fill", &path));
    assert!(!acked.is_empty(), "some sales fit before the limit");
    assert_eq!(other.len(), 1, "{other:?}");
    let error = &other[0];
    assert!(error.starts_with("ERR JOURNAL journal "), "{error}");
    assert!(error.contains(&*path.to_string_lossy()), "{error}");
    assert!(error.contains("full"), "names the problem: {error}");
    assert!(error.contains("os error"), "{error}");

    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.ends_with(b"\n"), "no half record at the end");
    let entries = Journal::open(&path, DEFAULT_RETENTION)
        .unwrap()
        .entries()
        .unwrap();
    let mut expected = vec![first.id];
    expected.extend(acked);
    assert_eq!(
        ids(&entries),
        expected,
        "every acknowledged sale, nothing else"
    );
    let lines = bytes.iter().filter(|b| **b == b'\n').count();
    assert_eq!(
        lines,
        1 + expected.len(),
        "the header and one line per sale"
    );
}

/// In a child: becomes uid 65534 (root ignores file modes) and tells how opening the journal
/// at `path` for writing went (`OK opened` or `ERR <status> <words>`).
fn open_as_nobody(path: &Path) {
    // SAFETY: plain libc calls changing this process's own credentials.
    unsafe {
        if libc::geteuid() == 0 {
            assert_eq!(libc::setgroups(0, std::ptr::null()), 0);
            assert_eq!(libc::setgid(65534), 0);
            assert_eq!(libc::setuid(65534), 0);
        }
    }
    match Journal::open(path, DEFAULT_RETENTION) {
        Ok(_) => tell("OK opened"),
        Err(e) => tell(&format!("ERR {} {}", e.status(), e.detail())),
    }
}

#[test]
fn a_read_only_journal_is_refused_with_the_reason() {
    const TEST: &str = "a_read_only_journal_is_refused_with_the_reason";
    if let Some(path) = child_role("read-only") {
        open_as_nobody(&path);
        // Still listed, read-only (reprints, end-of-day totals), and never written.
        let read_only = Journal::open_read_only(&path).unwrap();
        let trade_nos = |entries: Vec<Entry>| -> String {
            let nos: Vec<String> = entries.into_iter().map(|e| e.trade_no).collect();
            nos.join(",")
        };
        tell(&format!(
            "OK listed {}",
            trade_nos(read_only.entries().unwrap())
        ));
        match read_only.begin(sale("NEW", 2)) {
            Ok(_) => tell("OK recorded"),
            Err(e) => tell(&format!("ERR {} {}", e.status(), e.detail())),
        }
        let mut config =
            starpos::Config::new("489", "800290000007906", "XB006439", &"k".repeat(32));
        config.journal_path = Some(path.clone());
        let client = starpos::Client::new(config).unwrap();
        tell(&format!(
            "OK client listed {}",
            trade_nos(client.journal_entries().unwrap())
        ));
        std::process::exit(0);
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("read-only");
    let path = dir.join("sales.journal");
    Journal::open(&path, DEFAULT_RETENTION)
        .unwrap()
        .begin(sale("KEPT", 1))
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    if is_root() {
        // The child runs as uid 65534: it owns the journal (made read-only for it) and its
        // lock file (0600, so only its owner may open it).
        for file in [path.clone(), dir.join("sales.journal.lock")] {
            std::os::unix::fs::chown(&file, Some(65534), Some(65534)).unwrap();
        }
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let (_, other) = told(spawn_child(TEST, "read-only", &path));
    assert_eq!(other.len(), 4, "{other:?}");
    let error = &other[0];
    assert!(error.starts_with("ERR JOURNAL journal "), "{error}");
    assert!(error.contains(&*path.to_string_lossy()), "{error}");
    assert!(error.contains("permission denied"), "{error}");
    assert!(error.contains("writable"), "says what to do: {error}");
    assert_eq!(other[1], "OK listed KEPT", "listed read-only");
    assert!(
        other[2].starts_with("ERR JOURNAL ") && other[2].contains("opened read-only"),
        "{}",
        other[2]
    );
    assert_eq!(
        other[3], "OK client listed KEPT",
        "the client falls back to reading"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_journal_in_a_directory_it_may_not_write_says_permission_denied() {
    const TEST: &str = "a_journal_in_a_directory_it_may_not_write_says_permission_denied";
    if let Some(path) = child_role("unwritable-dir") {
        open_as_nobody(&path);
        std::process::exit(0);
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("unwritable-dir");
    // Owned by this process: as root, 0755 keeps uid 65534 out; as anyone else, 0555 keeps
    // the owner out too.
    // SAFETY: geteuid has no preconditions.
    let mode = if unsafe { libc::geteuid() } == 0 {
        0o755
    } else {
        0o555
    };
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(mode)).unwrap();
    let path = dir.join("sales.journal");
    let (_, other) = told(spawn_child(TEST, "unwritable-dir", &path));
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(other.len(), 1, "{other:?}");
    let error = &other[0];
    assert!(error.starts_with("ERR JOURNAL journal "), "{error}");
    assert!(error.contains(&*path.to_string_lossy()), "{error}");
    assert!(error.contains("permission denied"), "{error}");
    assert!(!error.contains("does not exist"), "{error}");
    assert!(!path.exists() && !dir.join("sales.journal.lock").exists());
}

#[test]
fn two_processes_append_to_one_journal() {
    const TEST: &str = "two_processes_append_to_one_journal";
    const SALES: u64 = 40;
    if let Some(path) = child_role("append") {
        let journal = Journal::open(&path, DEFAULT_RETENTION).unwrap();
        for i in 0..SALES {
            let entry = journal
                .begin(sale(&format!("{}-{i}", std::process::id()), i))
                .unwrap();
            journal
                .update(&Entry {
                    log_no: format!("L{i}"),
                    ..entry.clone()
                })
                .unwrap();
            tell(&format!("ACK {}", entry.id));
            if i % 10 == 9 {
                // The other process must notice the replaced file and follow it.
                journal.compact().unwrap();
            }
        }
        std::process::exit(0);
    }
    let dir = TempDir::new("two");
    let path = dir.join("sales.journal");
    let a = spawn_child(TEST, "append", &path);
    let b = spawn_child(TEST, "append", &path);
    let (mut acked, _) = told(a);
    acked.extend(told(b).0);
    assert_eq!(acked.len(), 2 * SALES as usize);
    let entries = Journal::open(&path, DEFAULT_RETENTION)
        .unwrap()
        .entries()
        .unwrap();
    let mut read = ids(&entries);
    read.sort();
    read.dedup();
    acked.sort();
    assert_eq!(read, acked, "every sale of both, each id once");
    assert!(entries.iter().all(|e| e.log_no.starts_with('L')));
}

#[test]
fn compaction_killed_at_random_moments_loses_no_unsettled_sale() {
    const TEST: &str = "compaction_killed_at_random_moments_loses_no_unsettled_sale";
    if let Some(path) = child_role("compact") {
        // Retention zero: every compaction drops the settled sales, rewriting the file.
        let journal = Journal::open(&path, Duration::ZERO).unwrap();
        // Each child's own tradeNos: the journal refuses one it holds already.
        let pid = std::process::id();
        let open_sale = journal.begin(sale(&format!("OPEN{pid}"), 1)).unwrap();
        tell(&format!("ACK {}", open_sale.id));
        tell("READY");
        for i in 0.. {
            let done = journal.begin(sale(&format!("DONE{pid}-{i}"), 2)).unwrap();
            journal
                .update(&Entry {
                    settled: true,
                    status: Status::Ok,
                    result: Some(TxnResult::Failed),
                    ..done
                })
                .unwrap();
            journal.compact().unwrap();
        }
        unreachable!();
    }
    let kills: usize = std::env::var("STARPOS_JOURNAL_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let dir = TempDir::new("kills");
    let path = dir.join("sales.journal");
    let mut seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut unsettled = Vec::new();
    for round in 0..kills {
        let mut child = spawn_child(TEST, "compact", &path);
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut text = String::new();
        while !text.ends_with("READY\n") {
            assert_ne!(out.read_line(&mut text).unwrap(), 0, "child died: {text}");
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_micros(seed % 20_000));
        child.kill().unwrap();
        child.wait().unwrap();
        out.read_to_string(&mut text).unwrap();
        unsettled.extend(parse_told(&text).0);

        let entries = Journal::open(&path, Duration::ZERO)
            .unwrap_or_else(|e| panic!("round {round}: {e}"))
            .entries()
            .unwrap();
        // A kill between a DONE sale's begin and its update leaves it unsettled too: the
        // OPEN ones are those every round must keep.
        let open: Vec<String> = entries
            .iter()
            .filter(|e| !e.settled && e.trade_no.starts_with("OPEN"))
            .map(|e| e.id.clone())
            .collect();
        assert_eq!(open, unsettled, "round {round}: every unsettled sale kept");
        assert!(entries.iter().all(|e| !e.settled || e.status == Status::Ok));
    }
}

/// True when this process runs as root (tmpfs mounts, ownership that file modes ignore).
fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A tmpfs mounted on a directory, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs with `options` on `dir`; `None` (the reason printed) when this process
    /// may not mount.
    fn mount(dir: &Path, options: &str) -> Option<Tmpfs> {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        if !is_root() {
            println!("skipped: mounting a small tmpfs needs root");
            return None;
        }
        let target = CString::new(dir.as_os_str().as_bytes()).unwrap();
        let options = CString::new(options).unwrap();
        // SAFETY: NUL-terminated strings that outlive the call.
        let mounted = unsafe {
            libc::mount(
                c"tmpfs".as_ptr(),
                target.as_ptr(),
                c"tmpfs".as_ptr(),
                0,
                options.as_ptr().cast(),
            )
        };
        if mounted != 0 {
            println!(
                "skipped: cannot mount a tmpfs on {}: {}",
                dir.display(),
                std::io::Error::last_os_error()
            );
            return None;
        }
        Some(Tmpfs(dir.to_owned()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        use std::os::unix::ffi::OsStrExt;
        if let Ok(target) = std::ffi::CString::new(self.0.as_os_str().as_bytes()) {
            // SAFETY: a NUL-terminated string that outlives the call.
            unsafe { libc::umount2(target.as_ptr(), libc::MNT_DETACH) };
        }
    }
}

/// Writes `filler` until the file system has no block left.
fn fill(filler: &Path) {
    let mut file = std::fs::File::create(filler).unwrap();
    let page = [0x55u8; 4096];
    loop {
        match file.write(&page) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.raw_os_error() == Some(libc::ENOSPC) => break,
            Err(e) => panic!("filling {}: {e}", filler.display()),
        }
    }
    // Whatever is left of the last page, byte by byte.
    while matches!(file.write(&[0x55]), Ok(1)) {}
}

#[test]
fn a_full_disk_skips_the_compaction_and_still_opens_records_recovers_and_lists() {
    let logged = logged();
    let dir = TempDir::new("full-tmpfs");
    let Some(_mounted) = Tmpfs::mount(&dir.0, "size=64k") else {
        return;
    };
    let sim = common::sim();
    let mut config = common::config(&sim);
    config.journal_path = Some(dir.join("sales.journal"));
    config.timeouts.total = Duration::from_secs(1);
    let path = dir.join("sales.journal");
    let journal = Journal::open(&path, DEFAULT_RETENTION).unwrap();
    // A sale left in doubt (its answer lost), and a settled one recorded twice: the second
    // record supersedes the first, so the next open wants to compact.
    sim.inject_for(Some("sdkBarcodePay"), 1, starpos_sim::Fault::NeverAnswer);
    let code = common::wechat_code('0');
    let lost = starpos::Client::new(config.clone())
        .unwrap()
        .barcode_pay(&starpos::BarcodePayRequest {
            auth_code: &code,
            amount: 66,
            total_amount: 66,
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(lost.status(), Status::Timeout, "{lost}");
    let kept = journal.begin(sale("KEPT", 1)).unwrap();
    journal
        .update(&Entry {
            status: Status::Ok,
            result: Some(TxnResult::Failed),
            settled: true,
            ..kept.clone()
        })
        .unwrap();
    drop(journal);
    let before = std::fs::read(&path).unwrap();
    assert!(
        // Two more records (about 650 bytes each) must fit in the 4 KiB the file has.
        before.len() < 2400,
        "room left in the journal's last page: {} bytes",
        before.len()
    );
    fill(&dir.join("filler"));

    // Open (as recovery and listing do) works, and so do a recovery and a sale.
    let journal = Journal::open(&path, DEFAULT_RETENTION)
        .unwrap_or_else(|e| panic!("open on a full disk: {e}"));
    assert!(
        !dir.join("sales.journal.tmp").exists(),
        "the partial copy removed"
    );
    assert!(std::fs::read(&path).unwrap().starts_with(&before));
    let client = starpos::Client::new(config).unwrap();
    let mut reported = Vec::new();
    let recovered = client
        .recover(Duration::from_secs(3), |e| reported.push(e.clone()))
        .unwrap_or_else(|e| panic!("recover on a full disk: {e}"));
    assert_eq!(recovered, 1, "{reported:?}");
    assert_eq!(reported[0].result, Some(TxnResult::Success), "{reported:?}");
    let new = journal.begin(sale("NEW", 3)).unwrap();
    let entries = client.journal_entries().unwrap();
    let trade_nos: Vec<&str> = entries.iter().map(|e| e.trade_no.as_str()).collect();
    assert_eq!(trade_nos, [lost.trade_no().unwrap(), "KEPT", "NEW"]);
    assert!(entries[0].settled && entries[1].settled && !entries[2].settled);
    assert_eq!(entries[2].id, new.id);
    let after = std::fs::read(&path).unwrap();
    assert!(after.starts_with(&before), "the old records are intact");
    let warnings = logged.lock().unwrap().join("\n");
    assert!(
        warnings.contains(&format!(
            "journal {}: cannot write the compacted copy",
            path.display()
        )) && warnings.contains("storage is full")
            && warnings.contains("compaction skipped"),
        "{warnings}"
    );
}

/// `<root>/data` (the persistent side) and `<root>/var` (where firmware keeps the link), in a
/// temp dir given by its real path.
fn link_dirs(dir: &TempDir) -> (PathBuf, PathBuf) {
    let root = dir.0.canonicalize().unwrap();
    let (data, var) = (root.join("data"), root.join("var"));
    std::fs::create_dir(&data).unwrap();
    std::fs::create_dir(&var).unwrap();
    (data, var)
}

#[test]
fn a_symlinked_journal_stays_a_link_through_compaction() {
    let dir = TempDir::new("symlink");
    let (data, var) = link_dirs(&dir);
    let target = data.join("sales.journal");
    let link = var.join("sales.journal");
    Journal::open(&target, Duration::ZERO).unwrap();
    std::os::unix::fs::symlink("../data/sales.journal", &link).unwrap();
    let journal = Journal::open(&link, Duration::ZERO).unwrap();
    let open_sale = journal.begin(sale("OPEN", 1)).unwrap();
    let done = journal.begin(sale("DONE", 2)).unwrap();
    journal
        .update(&Entry {
            settled: true,
            status: Status::Ok,
            result: Some(TxnResult::Failed),
            ..done
        })
        .unwrap();
    let grown = std::fs::read(&target).unwrap();
    journal.compact().unwrap();
    // And the compaction an open does, through the link.
    journal
        .update(&Entry {
            log_no: "L1".into(),
            ..open_sale.clone()
        })
        .unwrap();
    let reopened = Journal::open(&link, Duration::ZERO).unwrap();

    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.file_type().is_symlink(), "the link is still a link");
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("../data/sales.journal")
    );
    let compacted = std::fs::read(&target).unwrap();
    assert!(compacted.len() < grown.len(), "the target was compacted");
    assert_eq!(std::fs::read(&link).unwrap(), compacted);
    let entries = Journal::open(&target, Duration::ZERO)
        .unwrap()
        .entries()
        .unwrap();
    assert_eq!(ids(&entries), [open_sale.id.as_str()]);
    assert_eq!(entries[0].log_no, "L1");
    assert_eq!(reopened.entries().unwrap(), entries);
    assert_eq!(journal.path(), target, "the path it works on");
    assert!(data.join("sales.journal.lock").exists());
    for beside_the_link in ["sales.journal.lock", "sales.journal.tmp"] {
        assert!(
            std::fs::symlink_metadata(var.join(beside_the_link)).is_err(),
            "no {beside_the_link} beside the link"
        );
    }
}

#[test]
fn a_dangling_link_journal_is_created_at_its_target() {
    let dir = TempDir::new("symlink-new");
    let (data, var) = link_dirs(&dir);
    let target = data.join("sales.journal");
    let link = var.join("sales.journal");
    std::os::unix::fs::symlink("../data/sales.journal", &link).unwrap();
    let begun = Journal::open(&link, DEFAULT_RETENTION)
        .unwrap()
        .begin(sale("FIRST", 1))
        .unwrap();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::symlink_metadata(&target).unwrap().is_file());
    let entries = Journal::open(&target, DEFAULT_RETENTION)
        .unwrap()
        .entries()
        .unwrap();
    assert_eq!(ids(&entries), [begun.id]);
    assert!(data.join("sales.journal.lock").exists());
    assert!(std::fs::symlink_metadata(var.join("sales.journal.lock")).is_err());
}

#[test]
fn a_journal_opened_through_a_link_and_through_its_target_takes_one_lock() {
    let dir = TempDir::new("symlink-lock");
    let (data, var) = link_dirs(&dir);
    let target = data.join("sales.journal");
    let link = var.join("sales.journal");
    let via_target = Journal::open(&target, DEFAULT_RETENTION).unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let via_link = Journal::open(&link, DEFAULT_RETENTION).unwrap();
    assert!(std::fs::symlink_metadata(var.join("sales.journal.lock")).is_err());

    // Held as the target's handle holds it while it works: the link's handle waits.
    let holder = std::fs::File::open(data.join("sales.journal.lock")).unwrap();
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a descriptor this test owns.
    assert_eq!(unsafe { libc::flock(holder.as_raw_fd(), libc::LOCK_EX) }, 0);
    let (sent, received) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let _ = sent.send(via_link.begin(sale("WAITED", 1)));
    });
    // Nothing to await but the absence of an answer; the lock is waited for 10 s.
    assert!(
        received.recv_timeout(Duration::from_millis(300)).is_err(),
        "a sale through the link went ahead while the target's lock was held"
    );
    // SAFETY: as above.
    assert_eq!(unsafe { libc::flock(holder.as_raw_fd(), libc::LOCK_UN) }, 0);
    let begun = received.recv().unwrap().unwrap();
    waiter.join().unwrap();
    assert_eq!(ids(&via_target.entries().unwrap()), [begun.id]);
}

#[test]
fn a_header_torn_by_a_power_cut_is_logged_and_started_afresh() {
    let logged = logged();
    let dir = TempDir::new("torn-header");
    let path = dir.join("sales.journal");
    let mut torn = b"starpos-jour".to_vec();
    torn.resize(4096, 0);
    std::fs::write(&path, &torn).unwrap();
    let journal = Journal::open(&path, DEFAULT_RETENTION).unwrap();
    let begun = journal.begin(sale("AFTER", 1)).unwrap();
    assert_eq!(
        ids(&Journal::open(&path, DEFAULT_RETENTION)
            .unwrap()
            .entries()
            .unwrap()),
        [begun.id]
    );
    let warnings = logged.lock().unwrap().join("\n");
    assert!(
        warnings.contains(&format!(
            "journal {}: held only an unfinished header (12 bytes of it, then 4084 NUL bytes",
            path.display()
        )) && warnings.contains("started afresh"),
        "{warnings}"
    );
}
