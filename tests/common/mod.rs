//! Shared test helpers: a simulator, a client for it, C views of both, and unique codes.
#![allow(dead_code)]

pub mod answerer;
pub mod clock_shim;
pub mod process;

use starpos::ffi::starpos_config;
use starpos::{Client, Config};
use starpos_sim::{SimConfig, Simulator};
use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, Once, PoisonError};
use std::time::Duration;

/// A simulator whose orders stay `A` until the test plays the payer.
pub fn sim() -> Simulator {
    install_secret_guard();
    Simulator::start(SimConfig::default()).expect("simulator starts")
}

/// A simulator whose orders settle by themselves after `ms`.
pub fn sim_settling(ms: u64) -> Simulator {
    install_secret_guard();
    Simulator::start(SimConfig {
        settle_after: Some(Duration::from_millis(ms)),
        ..SimConfig::default()
    })
    .expect("simulator starts")
}

/// Secrets the tests hand to the library: OAuth codes (registered by [`unique`]) besides the
/// simulator's key and `appIdKey`.
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Why `message` must not be logged, if it must not.
pub fn leaked_secret(message: &str) -> Option<String> {
    let fixed = [starpos_sim::DEFAULT_KEY, starpos_sim::DEFAULT_APP_ID_KEY];
    if let Some(s) = fixed.iter().find(|s| message.contains(*s)) {
        return Some(format!("a key ({s})"));
    }
    if message.contains(starpos_sim::OPEN_ID_PREFIX) {
        return Some("a payer's openId".to_owned());
    }
    let secrets = SECRETS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(s) = secrets.iter().find(|s| message.contains(s.as_str())) {
        return Some(format!("an OAuth or payment code ({s})"));
    }
    // Signatures (signValue, apiPaysign) and other tests' keys: runs of 32 hex digits.
    let bytes = message.as_bytes();
    let mut run = 0;
    for (i, b) in bytes.iter().enumerate() {
        run = if b.is_ascii_hexdigit() { run + 1 } else { 0 };
        let next_is_hex = bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit);
        if run == 32 && !next_is_hex {
            return Some(format!(
                "a 32-hex-digit secret ({})",
                &message[i + 1 - 32..=i]
            ));
        }
    }
    None
}

/// Routes everything the library logs, in every test of this binary, through a check that no
/// secret ever appears: a leak panics inside the logging call, which fails that test (a C call
/// then ends INTERNAL instead of the status the test expects).
pub fn install_secret_guard() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        starpos::log::set_logger(Some(Arc::new(|_level, message: &str| {
            if let Some(what) = leaked_secret(message) {
                panic!("the library logged {what}: {message}");
            }
        })));
    });
}

/// The Rust configuration for `sim`.
pub fn config(sim: &Simulator) -> Config {
    let c = sim.config();
    Config::new(&c.org_no, &c.merc_id, starpos_sim::DEFAULT_TRM_NO, &c.key)
        .with_base_url(&sim.base_url())
        .with_timeouts(Duration::from_secs(2), Duration::from_secs(5))
}

/// A client for `sim`.
pub fn client(sim: &Simulator) -> Client {
    Client::new(config(sim)).expect("the simulator's configuration is valid")
}

/// A fresh value for codes and order numbers (the simulator accepts each only once). Values
/// made for `code` are OAuth codes: the secret guard checks that none is ever logged.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let value = format!(
        "{prefix}{}x{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    if prefix == "code" {
        SECRETS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(value.clone());
    }
    value
}

/// A fresh payment code of `len` digits: `prefix`, unique digits, then `last` (the
/// simulator's payer: `1` password, `2` refused, `3` answered Z but paid, else paid at once).
/// Registered as a secret: the secret guard fails any test whose library logs it.
pub fn payment_code(prefix: &str, len: usize, last: char) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let middle = format!(
        "{:07}{:06}",
        std::process::id() % 10_000_000,
        N.fetch_add(1, Ordering::Relaxed) % 1_000_000
    );
    let fill = len - prefix.len() - 1;
    let middle = if middle.len() >= fill {
        middle[middle.len() - fill..].to_owned()
    } else {
        format!("{middle:0>fill$}")
    };
    let code = format!("{prefix}{middle}{last}");
    SECRETS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(code.clone());
    code
}

/// A WeChat payment code (18 digits from 13) whose payer behaves as `last` says.
pub fn wechat_code(last: char) -> String {
    payment_code("13", 18, last)
}

/// A C configuration and the strings it points into.
pub struct CConfig {
    _strings: Vec<CString>,
    pub raw: starpos_config,
}

/// The C configuration for `sim`.
pub fn c_config(sim: &Simulator) -> CConfig {
    let c = config(sim);
    c_config_of([&c.base_url, &c.org_no, &c.merc_id, &c.trm_no, &c.key])
}

/// The C configuration for the simulator's default merchant at `base_url`: a simulator in
/// another process, or another server that speaks the protocol.
pub fn c_config_at(base_url: &str) -> CConfig {
    c_config_of([
        base_url,
        starpos_sim::DEFAULT_ORG_NO,
        starpos_sim::DEFAULT_MERC_ID,
        starpos_sim::DEFAULT_TRM_NO,
        starpos_sim::DEFAULT_KEY,
    ])
}

/// base URL, org_no, merc_id, trm_no, key; 2 s to connect, 5 s per call.
fn c_config_of(fields: [&str; 5]) -> CConfig {
    let strings: Vec<CString> = fields.iter().map(|s| CString::new(*s).unwrap()).collect();
    let raw = starpos_config {
        base_url: strings[0].as_ptr(),
        org_no: strings[1].as_ptr(),
        merc_id: strings[2].as_ptr(),
        trm_no: strings[3].as_ptr(),
        key: strings[4].as_ptr(),
        connect_timeout_ms: 2000,
        timeout_ms: 5000,
        flags: 0,
        ..zeroed()
    };
    CConfig {
        _strings: strings,
        raw,
    }
}

/// A C string that lives as long as the test needs it.
pub fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// The text in a fixed C buffer.
pub fn text(buf: &[c_char]) -> String {
    let bytes: Vec<u8> = buf
        .iter()
        .take_while(|b| **b != 0)
        .map(|b| *b as u8)
        .collect();
    String::from_utf8(bytes).expect("buffers hold UTF-8")
}

/// A static C string from the library.
pub fn static_text(ptr: *const c_char) -> String {
    assert!(!ptr.is_null());
    unsafe { CStr::from_ptr(ptr) }.to_str().unwrap().to_owned()
}

/// A zeroed response struct (what C's `= {0}` gives).
pub fn zeroed<T>() -> T {
    // SAFETY: the response structs are plain C data for which all-zero bytes is valid.
    unsafe { std::mem::zeroed() }
}

/// A fresh directory under the system temp dir, removed when dropped.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    /// Makes `starpos-<name>-<pid>-<n>` under the temp dir.
    pub fn new(name: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "starpos-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    /// A path inside it.
    pub fn join(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
