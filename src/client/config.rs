//! What a [`Client`](super::Client) is made of: [`Config`], and the checks that make it valid.

use crate::cancel::Cancel;
use crate::error::Error;
use crate::fields;
use crate::transport::{self, Timeouts};
use std::path::PathBuf;
use std::time::Duration;

/// The production gateway (plain HTTP, as documented).
pub const PRODUCTION_URL: &str = "http://gateway.starpos.com.cn/adpweb/ehpspos3/";
/// The sandbox seen in integrations.
pub const SANDBOX_URL: &str = "http://sandbox.starpos.com.cn/adpweb/ehpspos3/";

/// Where and as whom to call the gateway.
#[derive(Clone)]
pub struct Config {
    /// Base URL ending in `/`; empty = [`PRODUCTION_URL`].
    pub base_url: String,
    /// `orgNo`: the institution number (≤ 15 letters/digits).
    pub org_no: String,
    /// `mercId`: the merchant number (≤ 15 letters/digits).
    pub merc_id: String,
    /// `trmNo`: the terminal number (1–8 letters/digits).
    pub trm_no: String,
    /// The merchant key that signs every call. Never printed.
    pub key: String,
    /// Connect and whole-call timeouts; a zero duration means the default.
    pub timeouts: Timeouts,
    /// Keep connections open between calls (the default); off opens one per call.
    pub keep_alive: bool,
    /// https only: a PEM file of CA certificates to trust instead of the built-in roots.
    pub ca_file: Option<PathBuf>,
    /// How request bodies are encoded: UTF-8 (the default) or GBK, the gateway's documented
    /// transport encoding. The signature is computed over the UTF-8 text either way.
    pub body_charset: BodyCharset,
    /// `trmTyp`, sent with every `sdk*` call when not empty: `P` smart POS (scanAPI), `I`
    /// smart POS (the iOS SDK's appendix), `A` app, `C` PC, `T` table sign.
    pub trm_typ: String,
    /// `oprId`, sent with every `sdk*` call when not empty: the cashier (≤ 6 letters/digits).
    pub opr_id: String,
    /// `latitude`, sent with every `sdk*` call when not empty: degrees from -90 to 90 as a
    /// decimal number with 1 to 5 decimals, ≤ 15 characters (`31.23042`, `-31.5`), as the
    /// vendor's SDK docs define it; anything else is refused by [`Client::new`](super::Client::new).
    pub latitude: String,
    /// `longitude`, sent with every `sdk*` call when not empty: degrees from -180 to 180, in
    /// the form of `latitude` (`121.47370`, `-121.5`).
    pub longitude: String,
    /// The sale journal's file; `None` = no journal.
    pub journal_path: Option<PathBuf>,
    /// How long a settled sale stays in the journal; zero = 7 days.
    pub journal_retention: Duration,
    /// Ends waits ([`Client::wait`](super::Client::wait), `barcode_sale`, `recover`) from
    /// another thread within milliseconds, and stops any call it is fired before sending
    /// (CANCELLED_NOT_SENT); `None` = not cancellable ([`Cancel`]).
    pub cancel: Option<Cancel>,
    /// Called on the waiting thread once before a wait's first query and after each query's
    /// answer or failure, with where the wait stands ([`Progress`]); `None` = not told.
    pub progress: Option<ProgressFn>,
    /// The closed loop (WeChat Pay's guidance for payment-code sales): when
    /// [`Client::barcode_sale`](super::Client::barcode_sale) or
    /// [`Client::wait`](super::Client::wait) (a QR order's, by its `tradeNo`) gives up with
    /// the outcome still unknown (its deadline passed, or `cancel` fired), it revokes the sale
    /// and follows the revoke to its end, so that a payer is never charged for a sale the till
    /// gave up on, and a QR code shown can no longer be paid.
    /// `false` (the default): the sale is left in doubt for the caller (or `recover`).
    pub revoke_on_give_up: bool,
}

/// Where a wait stands, as [`Config::progress`] is told.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// The order being followed (the `qry_no` of the wait, the sale's `tradeNo`).
    pub trade_no: &'a str,
    /// The last answer's result, `None` before any came.
    pub result: Option<crate::model::TxnResult>,
    /// Queries sent so far in this wait.
    pub queries: u32,
    /// Since the wait began.
    pub elapsed: Duration,
    /// When the next query goes, from now (zero when none will: the wait ends).
    pub next_query: Duration,
}

/// A progress callback: called on the waiting thread, it should return quickly; it may fire
/// the wait's [`Cancel`] and may call the library (the wait holds no lock while it runs).
pub type ProgressFn = std::sync::Arc<dyn Fn(&Progress<'_>) + Send + Sync>;

/// The `trmTyp` values the gateway's docs name: `P` smart POS (scanAPI's common parameters),
/// `I` smart POS (the iOS SDK's appendix), `A` app, `C` PC, `T` table sign.
const TRM_TYPS: [&str; 5] = ["P", "I", "A", "C", "T"];

/// The character set of request bodies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BodyCharset {
    /// `application/json;charset=UTF-8`.
    #[default]
    Utf8,
    /// `application/json;charset=GBK` (needs the `gbk` feature).
    Gbk,
}

impl Config {
    /// A configuration for the production gateway with default timeouts and keep-alive.
    pub fn new(org_no: &str, merc_id: &str, trm_no: &str, key: &str) -> Config {
        Config {
            base_url: String::new(),
            org_no: org_no.to_owned(),
            merc_id: merc_id.to_owned(),
            trm_no: trm_no.to_owned(),
            key: key.to_owned(),
            timeouts: Timeouts::DEFAULT,
            keep_alive: true,
            ca_file: None,
            body_charset: BodyCharset::Utf8,
            trm_typ: String::new(),
            opr_id: String::new(),
            latitude: String::new(),
            longitude: String::new(),
            journal_path: None,
            journal_retention: Duration::ZERO,
            cancel: None,
            progress: None,
            revoke_on_give_up: false,
        }
    }

    /// The same configuration with another base URL.
    pub fn with_base_url(mut self, base_url: &str) -> Config {
        self.base_url = base_url.to_owned();
        self
    }

    /// The same configuration with other timeouts.
    pub fn with_timeouts(mut self, connect: Duration, total: Duration) -> Config {
        self.timeouts = Timeouts { connect, total };
        self
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("org_no", &self.org_no)
            .field("merc_id", &self.merc_id)
            .field("trm_no", &self.trm_no)
            .field("key", &"***")
            .field("timeouts", &self.timeouts)
            .field("keep_alive", &self.keep_alive)
            .field("ca_file", &self.ca_file)
            .field("body_charset", &self.body_charset)
            .field("trm_typ", &self.trm_typ)
            .field("opr_id", &self.opr_id)
            .field("latitude", &self.latitude)
            .field("longitude", &self.longitude)
            .field("journal_path", &self.journal_path)
            .field("journal_retention", &self.journal_retention)
            .field("cancel", &self.cancel.as_ref().map(Cancel::is_requested))
            .field("progress", &self.progress.is_some())
            .field("revoke_on_give_up", &self.revoke_on_give_up)
            .finish()
    }
}

/// How long a settled sale stays in the journal by default: 7 days.
pub const DEFAULT_JOURNAL_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);

/// `config` checked, every field named in the error, with its defaults filled in.
pub(super) fn validated(mut config: Config) -> Result<Config, Error> {
    if config.base_url.is_empty() {
        config.base_url = PRODUCTION_URL.to_owned();
    }
    fields::base_url(&config.base_url)?;
    let https = config.base_url.starts_with("https://");
    if https && !transport::TLS_SUPPORTED {
        return Err(Error::invalid(
            "base_url",
            "is https, but this build has no TLS (build with the `tls` feature)",
        ));
    }
    if !https
        || config
            .ca_file
            .as_ref()
            .is_some_and(|p| p.as_os_str().is_empty())
    {
        // A CA file only matters for https.
        config.ca_file = None;
    }
    if !config.base_url.ends_with('/') {
        config.base_url.push('/');
    }
    fields::alnum("org_no", &config.org_no, 15)?;
    fields::alnum("merc_id", &config.merc_id, 15)?;
    fields::alnum("trm_no", &config.trm_no, 8)?;
    fields::key(&config.key)?;
    if config.body_charset == BodyCharset::Gbk && !crate::charset::GBK_SUPPORTED {
        return Err(Error::invalid(
            "flags",
            "a GBK body needs a build with the `gbk` feature",
        ));
    }
    if !config.trm_typ.is_empty() && !TRM_TYPS.contains(&config.trm_typ.as_str()) {
        return Err(Error::invalid(
            "trm_typ",
            format!(
                "must be P or I (smart POS), A (app), C (PC) or T (table sign), got {:?}",
                config.trm_typ
            ),
        ));
    }
    if !config.opr_id.is_empty() {
        fields::alnum("opr_id", &config.opr_id, 6)?;
    }
    fields::coordinate("latitude", &config.latitude, 90)?;
    fields::coordinate("longitude", &config.longitude, 180)?;
    if config
        .journal_path
        .as_ref()
        .is_some_and(|p| p.as_os_str().is_empty())
    {
        config.journal_path = None;
    }
    if config.journal_retention.is_zero() {
        config.journal_retention = DEFAULT_JOURNAL_RETENTION;
    }
    if config.timeouts.connect.is_zero() {
        config.timeouts.connect = Timeouts::DEFAULT.connect;
    }
    if config.timeouts.total.is_zero() {
        config.timeouts.total = Timeouts::DEFAULT.total;
    }
    Ok(config)
}
