//! Secrets do not linger in memory (issue 17, point 6): after a barcode pay (`authCode`) and
//! two official-account pays (OAuth `code`, `openid`) through the C ABI, a scan of this
//! process's writable private memory (`/proc/self/maps` + `/proc/self/mem`) finds no copy of
//! any of them. The gateway (the simulator, which keeps what it was sent) runs in a child
//! process, and this binary holds this one test, so no other memory interferes. The test holds
//! each secret XOR-masked, never as its plain bytes, except in the C string it hands to the
//! library, which it wipes before the scan.

mod common;

use common::{c_config_at, text, zeroed};
use starpos::ffi::*;
use std::ffi::CString;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::process::{Command, Stdio};
use std::ptr;
use zeroize::Zeroize;

const TEST_NAME: &str = "after_the_calls_no_copy_of_their_secrets_is_left_in_memory";
/// Set in the child: serve a simulator instead of testing.
const GATEWAY_ROLE: &str = "STARPOS_WIPE_TEST_GATEWAY";
/// What every byte of a secret is XORed with while the test holds it.
const MASK: u8 = 0xA5;

/// A secret held XOR-masked.
struct Masked(Vec<u8>);

impl Masked {
    /// `prefix`, then `len - prefix.len()` characters of `alphabet` drawn from `seed`.
    fn random(prefix: &[u8], len: usize, alphabet: &[u8], seed: &mut u64) -> Masked {
        let mut masked: Vec<u8> = prefix.iter().map(|b| b ^ MASK).collect();
        while masked.len() < len {
            // xorshift64*
            *seed ^= *seed >> 12;
            *seed ^= *seed << 25;
            *seed ^= *seed >> 27;
            let r = seed.wrapping_mul(0x2545_F491_4F6C_DD1D);
            let pick = usize::try_from(r >> 33).unwrap_or(0) % alphabet.len();
            masked.push(alphabet[pick] ^ MASK);
        }
        Masked(masked)
    }

    /// The plain C string for the library, built in one allocation that is not reallocated.
    fn plain(&self) -> CString {
        let mut bytes = Vec::with_capacity(self.0.len() + 1);
        bytes.extend(self.0.iter().map(|b| b ^ MASK));
        bytes.push(0);
        CString::from_vec_with_nul(bytes).expect("no NUL inside")
    }

    /// How often the plain secret occurs in `hay`.
    fn count_in(&self, hay: &[u8]) -> usize {
        let n = self.0.len();
        if hay.len() < n {
            return 0;
        }
        (0..=hay.len() - n)
            .filter(|&i| {
                hay[i] ^ MASK == self.0[0]
                    && hay[i..i + n]
                        .iter()
                        .zip(&self.0)
                        .all(|(h, m)| h ^ MASK == *m)
            })
            .count()
    }
}

/// Wipes a C string the test handed to the library.
fn wipe(c: CString) {
    c.into_bytes_with_nul().zeroize();
}

/// Occurrences of each secret in the writable private mappings of this process.
fn scan(secrets: &[&Masked]) -> Vec<usize> {
    let maps = std::fs::read_to_string("/proc/self/maps").expect("/proc/self/maps");
    let mut mem = std::fs::File::open("/proc/self/mem").expect("/proc/self/mem");
    const CHUNK: usize = 1 << 20;
    let overlap = secrets.iter().map(|s| s.0.len()).max().unwrap_or(1) - 1;
    let mut buf = vec![0u8; CHUNK];
    let mut found = vec![0; secrets.len()];
    for line in maps.lines() {
        let mut parts = line.split_whitespace();
        let (Some(range), Some(perms)) = (parts.next(), parts.next()) else {
            continue;
        };
        if !(perms.starts_with("rw") && perms.ends_with('p')) {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (u64::from_str_radix(start, 16), u64::from_str_radix(end, 16))
        else {
            continue;
        };
        let mut at = start;
        while at < end {
            let want = usize::try_from(end - at).unwrap_or(CHUNK).min(CHUNK);
            if mem.seek(SeekFrom::Start(at)).is_err() {
                break;
            }
            let got = match mem.read(&mut buf[..want]) {
                Ok(0) | Err(_) => break,
                Ok(got) => got,
            };
            for (count, secret) in found.iter_mut().zip(secrets) {
                *count += secret.count_in(&buf[..got]);
            }
            if at + (got as u64) >= end {
                break;
            }
            // Step back so a secret across two chunks is seen (and not counted twice: a match
            // needs its first byte before the overlap).
            at += (got - overlap.min(got - 1)) as u64;
        }
    }
    buf.zeroize();
    found
}

/// The child: a simulator on loopback, its URL on stdout, until stdin closes.
fn serve_gateway() {
    let sim =
        starpos_sim::Simulator::start(starpos_sim::SimConfig::default()).expect("simulator starts");
    let mut out = std::io::stdout().lock();
    writeln!(out, "\nGATEWAY {}", sim.base_url()).expect("stdout");
    out.flush().expect("stdout");
    drop(out);
    let mut rest = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut rest);
}

#[test]
fn after_the_calls_no_copy_of_their_secrets_is_left_in_memory() {
    if std::env::var_os(GATEWAY_ROLE).is_some() {
        return serve_gateway();
    }
    let mut gateway = Command::new(std::env::current_exe().expect("this test binary"))
        .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
        .env(GATEWAY_ROLE, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the gateway child starts");
    let mut lines = BufReader::new(gateway.stdout.take().expect("piped"));
    let url = loop {
        let mut line = String::new();
        assert!(
            lines.read_line(&mut line).expect("the child's stdout") > 0,
            "the gateway child ended without a URL"
        );
        // libtest may have written `test NAME ... ` on the same line first.
        if let Some((_, url)) = line.trim().split_once("GATEWAY ") {
            break url.to_owned();
        }
    };
    let cfg = c_config_at(&url);

    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1)
        ^ (u64::from(std::process::id()) << 32)
        | 1;
    const DIGITS: &[u8] = b"0123456789";
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    // A WeChat payment code (18 digits from 13) the simulator pays at once (last digit 0).
    let mut auth = Masked::random(b"13", 17, DIGITS, &mut seed);
    auth.0.push(b'0' ^ MASK);
    let oauth = Masked::random(b"0a1B", 32, ALNUM, &mut seed);
    let openid = Masked::random(b"oUpF8u", 28, ALNUM, &mut seed);

    let auth_code = auth.plain();
    let mut barcode: starpos_barcode_pay_request = zeroed();
    barcode.auth_code = auth_code.as_ptr();
    barcode.amount = 8;
    barcode.total_amount = 8;
    let mut paid: starpos_barcode_pay_response = zeroed();
    let st = unsafe { starpos_barcode_pay(&cfg.raw, &barcode, &mut paid) };
    assert_eq!(st, starpos_status::STARPOS_OK, "{}", text(&paid.error));
    assert_eq!(paid.result, b'S' as std::os::raw::c_char);
    wipe(auth_code);

    for (code, openid) in [(Some(&oauth), None), (None, Some(&openid))] {
        let code = code.map(Masked::plain);
        let openid = openid.map(Masked::plain);
        let request = starpos_pay_request {
            txn_time: ptr::null(),
            version: ptr::null(),
            code: code.as_ref().map_or(ptr::null(), |c| c.as_ptr()),
            openid: openid.as_ref().map_or(ptr::null(), |c| c.as_ptr()),
            amount: 9,
            total_amount: 9,
            subject: ptr::null(),
            sel_order_no: ptr::null(),
            goods_tag: ptr::null(),
            attach: ptr::null(),
        };
        let mut out: starpos_pay_response = zeroed();
        let st = unsafe { starpos_pay(&cfg.raw, &request, &mut out) };
        assert_eq!(st, starpos_status::STARPOS_OK, "{}", text(&out.error));
        code.into_iter().chain(openid).for_each(wipe);
    }

    let found = scan(&[&auth, &oauth, &openid]);
    drop(gateway.stdin.take());
    let _ = gateway.wait();
    assert_eq!(
        found,
        [0, 0, 0],
        "copies of the authCode, the OAuth code and the openid left in writable memory"
    );
}
