//! The journal on files in a temporary directory: round trip, fold, damage, versions,
//! compaction, threads. Process-level cases (full disk, read-only, several processes, kills)
//! are in `tests/journal_store.rs`.

use super::*;
use std::sync::atomic::AtomicUsize;

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "starpos-journal-unit-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self) -> PathBuf {
        self.0.join("sales.journal")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const WEEK: Duration = DEFAULT_RETENTION;

fn sale(trade_no: &str, amount: u64) -> Entry {
    Entry {
        trade_no: trade_no.into(),
        amount,
        total_amount: amount,
        txn_time: "20261201120000".into(),
        ..Entry::new(Kind::Pay)
    }
}

fn trade_nos(journal: &Journal) -> Vec<String> {
    journal
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.trade_no)
        .collect()
}

#[test]
fn a_begun_sale_reads_back_from_a_new_handle() {
    let dir = TempDir::new("roundtrip");
    let journal = Journal::open(&dir.file(), WEEK).unwrap();
    let begun = journal.begin(sale("T1", 100)).unwrap();
    assert!(!begun.id.is_empty());
    assert!(begun.created_unix_ms > 0);
    assert_eq!(begun.created_unix_ms, begun.updated_unix_ms);
    let reopened = Journal::open(&dir.file(), WEEK).unwrap();
    assert_eq!(reopened.entries().unwrap(), std::slice::from_ref(&begun));
    // The first handle sees nothing new and nothing lost either.
    assert_eq!(journal.entries().unwrap(), [begun]);
}

#[test]
fn updates_fold_to_the_latest_state_in_begin_order() {
    let dir = TempDir::new("fold");
    let journal = Journal::open(&dir.file(), WEEK).unwrap();
    let first = journal.begin(sale("T1", 100)).unwrap();
    let second = journal.begin(sale("T2", 200)).unwrap();
    let settled = Entry {
        status: Status::Ok,
        result: Some(TxnResult::Success),
        log_no: "L1".into(),
        settled: true,
        ..first.clone()
    };
    journal.update(&settled).unwrap();
    let entries = Journal::open(&dir.file(), WEEK).unwrap().entries().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].id, first.id, "still in begin order");
    assert_eq!(entries[0].result, Some(TxnResult::Success));
    assert_eq!(entries[0].log_no, "L1");
    assert!(entries[0].settled);
    assert!(entries[0].updated_unix_ms >= first.updated_unix_ms);
    assert_eq!(entries[1], second);
    assert_eq!(
        journal.update(&Entry::new(Kind::Pay)).unwrap_err().status(),
        Status::InvalidArgument
    );
}

#[test]
fn a_torn_last_record_loses_only_itself_at_every_offset() {
    let dir = TempDir::new("torn");
    let path = dir.file();
    let journal = Journal::open(&path, WEEK).unwrap();
    journal.begin(sale("T1", 1)).unwrap();
    journal.begin(sale("T2", 2)).unwrap();
    let before = std::fs::read(&path).unwrap();
    journal.begin(sale("T3", 3)).unwrap();
    let full = std::fs::read(&path).unwrap();
    drop(journal);
    // Every cut short of the whole line, the newline being the last byte written.
    for cut in before.len()..full.len() {
        std::fs::write(&path, &full[..cut]).unwrap();
        let journal = Journal::open(&path, WEEK).unwrap();
        assert_eq!(trade_nos(&journal), ["T1", "T2"], "cut at byte {cut}");
        journal.begin(sale("T4", 4)).unwrap();
        let reopened = Journal::open(&path, WEEK).unwrap();
        assert_eq!(
            trade_nos(&reopened),
            ["T1", "T2", "T4"],
            "append after a cut at byte {cut}"
        );
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.ends_with(b"\n"));
    }
}

#[test]
fn a_corrupted_middle_record_loses_only_itself() {
    let dir = TempDir::new("corrupt");
    let path = dir.file();
    let journal = Journal::open(&path, WEEK).unwrap();
    for (i, t) in ["T1", "T2", "T3"].iter().enumerate() {
        journal.begin(sale(t, i as u64)).unwrap();
    }
    drop(journal);
    let mut bytes = std::fs::read(&path).unwrap();
    let second = bytes.windows(4).position(|w| w == b"\"T2\"").unwrap();
    bytes[second + 1] = b'X';
    std::fs::write(&path, &bytes).unwrap();
    let journal = Journal::open(&path, WEEK).unwrap();
    assert_eq!(trade_nos(&journal), ["T1", "T3"]);
    journal.begin(sale("T4", 4)).unwrap();
    assert_eq!(trade_nos(&journal), ["T1", "T3", "T4"]);
}

#[test]
fn newer_versions_are_read_and_left_uncompacted() {
    let dir = TempDir::new("version");
    let path = dir.file();
    let payload = r#"{"rec":"sale","id":"x1","kind":"refund","trade_no":"R1","status":"TIMEOUT","settled":true,"updated_unix_ms":1,"future":[1,2]}"#;
    let unknown = r#"{"rec":"checkpoint","upto":"x1"}"#;
    let text = format!(
        "starpos-journal 2 zstd\n{:08x} {payload}\n{:08x} {unknown}\n",
        record::crc32(payload.as_bytes()),
        record::crc32(unknown.as_bytes())
    );
    std::fs::write(&path, &text).unwrap();
    // Retention zero: a version-1 file would lose the settled sale here.
    let journal = Journal::open(&path, Duration::ZERO).unwrap();
    journal.compact().unwrap();
    let entries = journal.entries().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].trade_no, "R1");
    assert_eq!(entries[0].kind, Kind::Refund);
    assert!(std::fs::read_to_string(&path).unwrap().starts_with(&text));
}

#[test]
fn unknown_records_and_fields_survive_compaction() {
    let dir = TempDir::new("unknown");
    let path = dir.file();
    let payload = r#"{"rec":"sale","id":"x1","kind":"pay","trade_no":"P1","status":"TIMEOUT","settled":false,"future":true}"#;
    let unknown = r#"{"rec":"checkpoint","upto":"x1"}"#;
    let lines = format!(
        "{:08x} {payload}\n{:08x} {unknown}\n",
        record::crc32(payload.as_bytes()),
        record::crc32(unknown.as_bytes())
    );
    std::fs::write(&path, format!("starpos-journal 1\n{lines}")).unwrap();
    let journal = Journal::open(&path, WEEK).unwrap();
    journal.compact().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(payload), "{text}");
    assert!(text.contains(unknown), "{text}");
    assert_eq!(trade_nos(&journal), ["P1"]);
}

#[test]
fn a_file_that_is_not_a_journal_is_refused_untouched() {
    let dir = TempDir::new("foreign");
    let path = dir.file();
    for content in ["{\"some\":\"config\"}\n", "binary\u{1}garbage"] {
        std::fs::write(&path, content).unwrap();
        let e = Journal::open(&path, WEEK).err().unwrap();
        assert_eq!(e.status(), Status::Journal);
        assert!(e.detail().contains("not a journal file"), "{e}");
        assert!(e.detail().contains(&*path.to_string_lossy()), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
    }
    // A header cut short by a crash while creating the file is finished, not refused.
    std::fs::write(&path, "starpos-jour").unwrap();
    let journal = Journal::open(&path, WEEK).unwrap();
    journal.begin(sale("T1", 1)).unwrap();
    assert_eq!(trade_nos(&Journal::open(&path, WEEK).unwrap()), ["T1"]);
}

#[test]
fn compaction_drops_only_settled_sales_past_the_retention() {
    let dir = TempDir::new("compact");
    let path = dir.file();
    let journal = Journal::open(&path, Duration::ZERO).unwrap();
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
    journal
        .update(&Entry {
            error: "queried once, still waiting".into(),
            ..open_sale
        })
        .unwrap();
    let grown = std::fs::metadata(&path).unwrap().len();
    // A week's retention keeps the settled sale, dropping only superseded records.
    Journal::open(&path, WEEK).unwrap();
    assert_eq!(
        trade_nos(&Journal::open(&path, WEEK).unwrap()),
        ["OPEN", "DONE"]
    );
    assert!(std::fs::metadata(&path).unwrap().len() < grown);
    // Retention zero drops it; the unsettled sale stays, in its latest state.
    journal.compact().unwrap();
    let entries = Journal::open(&path, WEEK).unwrap().entries().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].error, "queried once, still waiting");
    assert!(!path.with_extension("journal.tmp").exists());
    // The first handle follows the replaced file.
    journal.begin(sale("NEXT", 3)).unwrap();
    assert_eq!(
        trade_nos(&Journal::open(&path, WEEK).unwrap()),
        ["OPEN", "NEXT"]
    );
}

#[test]
fn a_growing_file_compacts_itself() {
    let dir = TempDir::new("grow");
    let path = dir.file();
    let journal = Journal::open(&path, WEEK).unwrap();
    let mut entry = journal.begin(sale("T1", 1)).unwrap();
    let mut largest = 0;
    for i in 0..400 {
        entry.error = format!("query {i}: still waiting {}", "*".repeat(200));
        journal.update(&entry).unwrap();
        largest = largest.max(std::fs::metadata(&path).unwrap().len());
    }
    assert!(
        largest <= COMPACT_MIN_BYTES + 1024,
        "grew to {largest} bytes"
    );
    let entries = journal.entries().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].error, entry.error);
}

#[test]
fn threads_and_handles_share_one_file_with_unique_ids() {
    let dir = TempDir::new("threads");
    let path = dir.file();
    let journal = Journal::open(&path, WEEK).unwrap();
    let other = Journal::open(&path, WEEK).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let journal = if t % 2 == 0 {
                journal.clone()
            } else {
                other.clone()
            };
            std::thread::spawn(move || {
                (0..25)
                    .map(|i| journal.begin(sale(&format!("T{t}-{i}"), i)).unwrap().id)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut ids: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 100);
    let mut read: Vec<String> = Journal::open(&path, WEEK)
        .unwrap()
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    read.sort();
    assert_eq!(read, ids);
}

#[test]
fn kinds_have_stable_names() {
    for kind in Kind::ALL {
        assert_eq!(kind.as_str().parse::<Kind>().unwrap(), kind);
    }
    assert_eq!(Kind::BarcodePay.as_str(), "barcode_pay");
    assert_eq!(
        "cash".parse::<Kind>().unwrap_err().status(),
        Status::InvalidArgument
    );
}

#[test]
fn compaction_keeps_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("mode");
    let path = dir.file();
    let journal = Journal::open(&path, WEEK).unwrap();
    journal.begin(sale("T1", 1)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let before = inode(&path);
    journal.compact().unwrap();
    assert_ne!(inode(&path), before, "a new file was renamed in");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn a_read_only_handle_reads_what_writers_wrote_and_writes_nothing() {
    let dir = TempDir::new("read-only");
    let path = dir.file();
    // Nothing yet: the file must exist to be read.
    let e = Journal::open_read_only(&path).err().unwrap();
    assert_eq!(e.status(), Status::Journal, "{e}");
    let writer = Journal::open(&path, WEEK).unwrap();
    let reader = Journal::open_read_only(&path).unwrap();
    assert!(trade_nos(&reader).is_empty(), "a new journal holds nothing");
    writer.begin(sale("T1", 1)).unwrap();
    writer.begin(sale("T2", 2)).unwrap();
    // A record a crash cut short at the end is not read, and not cut off by a reader.
    let mut torn = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut torn, b"{\"crc\":1,\"kind\":\"pa").unwrap();
    let before = std::fs::read(&path).unwrap();
    assert_eq!(trade_nos(&reader), ["T1", "T2"]);
    for refused in [
        reader.begin(sale("T3", 3)).map(|_| ()),
        reader.update(&writer.entries().unwrap()[0]),
        reader.compact(),
    ] {
        let e = refused.unwrap_err();
        assert_eq!(e.status(), Status::Journal);
        assert!(e.detail().contains("opened read-only"), "{e}");
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the reader wrote nothing"
    );
    // A writer's compaction replaces the file: the reader follows it.
    writer.begin(sale("T3", 3)).unwrap();
    writer.compact().unwrap();
    assert_eq!(trade_nos(&reader), ["T1", "T2", "T3"]);
}

#[test]
fn a_header_torn_by_a_power_cut_is_started_afresh() {
    let dir = TempDir::new("torn-header");
    let path = dir.file();
    let header = record::header().into_bytes();
    let mut torn: Vec<Vec<u8>> = vec![Vec::new(), vec![0; 1], vec![0; 18], vec![0; 4096]];
    for n in [1, 8, 16, header.len() - 1] {
        torn.push(header[..n].to_vec());
        for zeros in [1, 4096 - n] {
            let mut bytes = header[..n].to_vec();
            bytes.resize(n + zeros, 0);
            torn.push(bytes);
        }
    }
    for bytes in torn {
        std::fs::write(&path, &bytes).unwrap();
        let journal = Journal::open(&path, WEEK).unwrap_or_else(|e| {
            panic!(
                "{} bytes {:?}: {e}",
                bytes.len(),
                &bytes[..bytes.len().min(20)]
            )
        });
        assert!(trade_nos(&journal).is_empty());
        journal.begin(sale("T1", 1)).unwrap();
        assert_eq!(trade_nos(&Journal::open(&path, WEEK).unwrap()), ["T1"]);
        assert!(std::fs::read(&path).unwrap().starts_with(&header));
    }
}

#[test]
fn other_content_without_a_record_is_refused_and_never_written() {
    let dir = TempDir::new("not-torn");
    let path = dir.file();
    let mut random = vec![0u8; 300];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for b in random.iter_mut() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        *b = (seed >> 24) as u8 | 1; // no NUL: NULs alone are what a torn header leaves
    }
    let mut refused: Vec<Vec<u8>> = vec![
        random,
        b"hello, this is not a journal".to_vec(),
        b"[settings]\nbeep=1\n".to_vec(),
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec(),
        b"starpos-journal 1x".to_vec(),
        b"starpos-jXurnal".to_vec(),
        b"\0\0\0\0starpos-journal 1".to_vec(),
        b"starp\0\0\0os-journal".to_vec(),
        b"\0\0\0\n".to_vec(),
    ];
    let mut text_after_zeros = vec![0u8; 4000];
    text_after_zeros.extend_from_slice(b"x");
    refused.push(text_after_zeros);
    for bytes in refused {
        std::fs::write(&path, &bytes).unwrap();
        for e in [
            Journal::open(&path, WEEK).err(),
            Journal::open_read_only(&path).err(),
        ] {
            let e = e.unwrap_or_else(|| panic!("opened {:?}", String::from_utf8_lossy(&bytes)));
            assert_eq!(e.status(), Status::Journal);
            assert!(e.detail().contains("not a journal file"), "{e}");
            assert!(e.detail().contains("move it away"), "{e}");
        }
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "left untouched");
    }
}

#[test]
fn the_journal_its_copy_and_its_lock_are_created_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("modes");
    let path = dir.file();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // SAFETY: umask only sets this process's mask; 022 is the usual one, put back below.
    let umask = unsafe { libc::umask(0o022) };
    let journal = Journal::open(&path, WEEK);
    let tmp = file::sidecar(&path, ".tmp");
    let copy = file::create_tmp(&tmp);
    // SAFETY: as above.
    unsafe { libc::umask(umask) };
    let journal = journal.unwrap();
    drop(copy.unwrap());
    assert_eq!(mode(&path), 0o600, "the journal");
    assert_eq!(mode(&file::sidecar(&path, ".lock")), 0o600, "the lock file");
    assert_eq!(mode(&tmp), 0o600, "the compaction's copy");
    journal.begin(sale("T1", 1)).unwrap();
    journal.compact().unwrap();
    assert_eq!(mode(&path), 0o600, "the compacted journal");
}

#[test]
fn a_planted_tmp_link_is_never_written_through() {
    let dir = TempDir::new("planted-tmp");
    let path = dir.file();
    let victim = dir.0.join("victim");
    std::fs::write(&victim, "precious").unwrap();
    let journal = Journal::open(&path, WEEK).unwrap();
    let mut entry = journal.begin(sale("T1", 1)).unwrap();
    let tmp = file::sidecar(&path, ".tmp");
    let nowhere = dir.0.join("created-through-the-link");
    for planted in [&victim, &nowhere] {
        std::os::unix::fs::symlink(planted, &tmp).unwrap();
        entry.log_no.push('L');
        journal.update(&entry).unwrap();
        journal.compact().unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(!nowhere.exists(), "nothing created through the link");
        assert!(std::fs::symlink_metadata(&tmp).is_err(), "the link is gone");
        assert!(std::fs::symlink_metadata(&path).unwrap().is_file());
        let entries = Journal::open(&path, WEEK).unwrap().entries().unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(
            entries[0].log_no, entry.log_no,
            "the compacted journal is read"
        );
    }
}

#[test]
fn a_planted_lock_link_is_refused_naming_it() {
    let dir = TempDir::new("planted-lock");
    let path = dir.file();
    let lock = file::sidecar(&path, ".lock");
    let victim = dir.0.join("victim");
    std::fs::write(&victim, "precious").unwrap();
    let nowhere = dir.0.join("created-through-the-link");
    for planted in [&victim, &nowhere] {
        std::os::unix::fs::symlink(planted, &lock).unwrap();
        for e in [
            Journal::open(&path, WEEK).err(),
            Journal::open_read_only(&path).err(),
        ] {
            let e = e.expect("refused");
            assert_eq!(e.status(), Status::Journal, "{e}");
            assert!(e.detail().contains(&*lock.to_string_lossy()), "{e}");
            assert!(e.detail().contains("symbolic link"), "{e}");
            assert!(e.detail().contains("remove the link"), "{e}");
        }
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(!nowhere.exists(), "nothing created through the link");
        std::fs::remove_file(&lock).unwrap();
    }
}
