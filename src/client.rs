//! Layer 4: the Rust API. A [`Client`] holds a validated [`Config`] and makes the gateway's
//! calls: validate → sign → POST → verify → typed answer. The C layer, the CLI, the simulator's
//! tests and the examples all go through here.

use crate::error::{Error, Status};
use crate::journal::Kind;
use crate::log::{log, Level};
use crate::model::{
    bind, BarcodePayRequest, BarcodePayResponse, CounterPayResponse, PayRequest, PayResponse,
    QrPayRequest, QrPayResponse, QryRequest, QryResponse, QueryRequest, QueryResponse,
    RefundRequest, RefundResponse, TxnResult,
};
use crate::recover::{Learned, Told};
use crate::transport::{self, Reply, Timeouts};
use crate::wipe::{self, Zeroizing};
use crate::wire::{self, Answer};
use crate::{clock, fields, redact};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use zeroize::Zeroize;

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
    /// vendor's SDK docs define it; anything else is refused by [`Client::new`].
    pub latitude: String,
    /// `longitude`, sent with every `sdk*` call when not empty: degrees from -180 to 180, in
    /// the form of `latitude` (`121.47370`, `-121.5`).
    pub longitude: String,
    /// The sale journal's file; `None` = no journal.
    pub journal_path: Option<PathBuf>,
    /// How long a settled sale stays in the journal; zero = 7 days.
    pub journal_retention: Duration,
}

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
            .finish()
    }
}

/// How long a settled sale stays in the journal by default: 7 days.
pub const DEFAULT_JOURNAL_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);

/// Why [`Client::wait`] stopped without a final answer: the error, and the last answer the
/// gateway gave (still `A` or `Z`) if any came.
#[derive(Debug, Clone)]
pub struct WaitError {
    /// TIMEOUT when the deadline passed; otherwise the error that ended the wait.
    pub error: Error,
    /// The last query answer received, if any.
    pub last_answer: Option<Box<QueryResponse>>,
}

/// Sends one signed request body to a URL and returns the answer: the HTTP transport by
/// default, or a stand-in (benchmarks, tests) given to [`Client::with_exchange`].
pub type Exchange = Arc<dyn Fn(&str, &[u8]) -> Result<Reply, Error> + Send + Sync>;

/// A gateway client. Cheap to create; all clients share one connection pool.
#[derive(Clone)]
pub struct Client {
    config: Config,
    exchange: Option<Exchange>,
}

impl Drop for Client {
    /// The key's copy in this client is wiped (every clone holds and wipes its own).
    fn drop(&mut self) {
        self.config.key.zeroize();
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Validates `config` (every field named in the error) and makes a client.
    pub fn new(mut config: Config) -> Result<Client, Error> {
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
        Ok(Client {
            config,
            exchange: None,
        })
    }

    /// The same client sending through `exchange` instead of HTTP: everything else (validation,
    /// signing, verification) is unchanged. For benchmarks and tests without a network.
    pub fn with_exchange(mut self, exchange: Exchange) -> Client {
        self.exchange = Some(exchange);
        self
    }

    /// The validated configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// `pubSigQry`: the merchant's WeChat official account (`appId`, `appIdKey`).
    pub fn qry(&self, request: &QryRequest) -> Result<QryResponse, Error> {
        let own = request.wire_fields()?;
        let answer = self.exchange(QryRequest::ENDPOINT, request.txn_time, &own, &[], None)?;
        QryResponse::from_answer(&answer)
    }

    /// `pubSigPay`: pay with an OAuth code. The answer is `A` or `Z`: follow with
    /// [`Client::wait`]. On an in-doubt error ([`Error::in_doubt`]) query, never resend.
    pub fn pay(&self, request: &PayRequest) -> Result<PayResponse, Error> {
        let own = wipe::Fields(request.wire_fields()?);
        self.journaled(
            Kind::Pay,
            &own,
            request.txn_time,
            |txn_time| {
                let answer = self.exchange(PayRequest::ENDPOINT, txn_time, &own, &[], None)?;
                PayResponse::from_answer(&answer)
            },
            |a| Learned {
                result: a.result,
                settled: a.result.is_some_and(TxnResult::is_final),
                log_no: &a.log_no,
                order_no: &a.order_no,
                amount: 0,
                sys_time: &a.sys_time,
            },
        )
    }

    /// `sdkBarcodePay`: charge the payment code scanned from the payer's phone. `S` is paid,
    /// `F` failed; `A` (password) and `Z` mean: query the answer's `trade_no` until final
    /// ([`Client::wait`]), or use [`Client::barcode_sale`], which does all of it. On an
    /// in-doubt error the money may have moved: query [`Error::trade_no`], never pay again
    /// (a second pay with the same code can charge twice).
    pub fn barcode_pay(&self, request: &BarcodePayRequest) -> Result<BarcodePayResponse, Error> {
        let own = wipe::Fields(self.numbered(request.wire_fields()?));
        self.counter_pay(Kind::BarcodePay, &own, request.txn_time)
    }

    /// `sdkBarcodePosPay`: make a QR order for the payer to scan. `S` means the order was
    /// made: show `pay_code`, then query `trade_no` until final ([`Client::wait`]).
    pub fn qr_pay(&self, request: &QrPayRequest) -> Result<QrPayResponse, Error> {
        let own = self.numbered(request.wire_fields()?);
        self.counter_pay(Kind::QrPay, &own, request.txn_time)
    }

    /// A counter sale (`kind` is [`Kind::BarcodePay`] or [`Kind::QrPay`]) of the validated
    /// wire fields `own`, journaled; every error carries the sale's `tradeNo`.
    fn counter_pay(
        &self,
        kind: Kind,
        own: &[(&'static str, String)],
        txn_time: Option<&str>,
    ) -> Result<CounterPayResponse, Error> {
        let qr = kind == Kind::QrPay;
        let endpoint = if qr {
            QrPayRequest::ENDPOINT
        } else {
            BarcodePayRequest::ENDPOINT
        };
        let trade_no = trade_no_of(own);
        let channel = field_of(own, "payChannel");
        self.journaled(
            kind,
            own,
            txn_time,
            |txn_time| {
                self.exchange_sdk(endpoint, txn_time, own, None)
                    .and_then(|answer| {
                        CounterPayResponse::from_answer(&answer, &trade_no, &channel, qr)
                    })
            },
            |a| Learned {
                result: a.result,
                // A QR pay's S only made the order: the payer has not paid yet.
                settled: if qr {
                    a.result == Some(TxnResult::Failed)
                } else {
                    a.result.is_some_and(TxnResult::is_final)
                },
                log_no: &a.log_no,
                order_no: &a.order_no,
                amount: 0,
                sys_time: &a.sys_time,
            },
        )
        .map_err(|e| e.with_trade_no(&trade_no))
    }

    /// The whole barcode sale: pay once, then follow an `A`, a `Z` or an in-doubt failure by
    /// querying the sale's own `tradeNo` (never paying again) every `interval` until `S`, `F`
    /// or `D`, or until `deadline` (zero durations: 3 s and 60 s) has passed since the pay
    /// was answered.
    ///
    /// `Ok`: the sale is final; `result` says which way, and `trade_no` is the sale's. `Err`:
    /// a refusal or bad input (nothing moved), or an in-doubt status (still unknown: query
    /// [`Error::trade_no`] later), with the last non-final answer if one came.
    pub fn barcode_sale(
        &self,
        request: &BarcodePayRequest,
        interval: Duration,
        deadline: Duration,
    ) -> Result<QueryResponse, WaitError> {
        let no_answer = |error| WaitError {
            error,
            last_answer: None,
        };
        let own_trade_no;
        let request = match request.trade_no.filter(|t| !t.is_empty()) {
            Some(_) => request.clone(),
            None => {
                own_trade_no = clock::new_trade_no(&self.config.trm_no);
                BarcodePayRequest {
                    trade_no: Some(&own_trade_no),
                    ..request.clone()
                }
            }
        };
        let trade_no = request.trade_no.unwrap_or_default();
        let mut untrusted = None;
        let paid = match self.barcode_pay(&request) {
            Ok(paid) if paid.result.is_some_and(TxnResult::is_final) => {
                return Ok(QueryResponse::from_sale(paid));
            }
            Ok(paid) => Some(paid),
            Err(e) if e.in_doubt() => {
                log(Level::Warn, || {
                    format!("barcode sale {trade_no}: the pay is in doubt ({e}); querying it")
                });
                // An answer came but could not be trusted (an unproven refusal, a bad
                // signature): if the queries fare no better, the sale ends early (`follow`).
                if e.status() == Status::Signature || e.refusal().is_some() {
                    untrusted = Some(e);
                }
                None
            }
            Err(e) => return Err(no_answer(e)),
        };
        match self.follow(trade_no, interval, deadline, untrusted) {
            Ok(mut done) => {
                done.trade_no = trade_no.to_owned();
                Ok(done)
            }
            Err(mut waited) => {
                if waited.last_answer.is_none() {
                    waited.last_answer = paid.map(|p| Box::new(QueryResponse::from_sale(p)));
                }
                if let Some(answer) = waited.last_answer.as_mut() {
                    answer.trade_no = trade_no.to_owned();
                }
                waited.error = waited.error.with_trade_no(trade_no);
                Err(waited)
            }
        }
    }

    /// `sdkQryBarcodePay`: the order's state now. Safe to repeat.
    pub fn query(&self, request: &QueryRequest) -> Result<QueryResponse, Error> {
        self.query_within(request, None)
    }

    /// The query within `budget` (at most the configured timeout); what it learns goes into
    /// the journal's open sales.
    pub(crate) fn query_within(
        &self,
        request: &QueryRequest,
        budget: Option<Duration>,
    ) -> Result<QueryResponse, Error> {
        let own = self.numbered(request.wire_fields()?);
        let trade_no = trade_no_of(&own);
        let read = self
            .exchange_sdk(QueryRequest::ENDPOINT, request.txn_time, &own, budget)
            .and_then(|answer| {
                let reported = answer.get("refAmt").is_some();
                QueryResponse::from_answer(&answer, &trade_no).map(|a| (a, reported))
            });
        match read {
            Ok((answer, ref_amt_reported)) => {
                self.learn(
                    request.qry_no,
                    Told::Answer {
                        answer: &answer,
                        ref_amt_reported,
                    },
                );
                Ok(answer)
            }
            Err(e) => {
                // A refusal signed and echoing this query's own tradeNo is the gateway's word
                // that it does not know the order (or will not say now): evidence, never proof
                // alone (`recover`).
                if let Some(refusal) = e.refusal().filter(|r| {
                    e.status() == Status::Gateway
                        && r.verified()
                        && r.get("tradeNo") == Some(trade_no.as_str())
                }) {
                    self.learn(
                        request.qry_no,
                        Told::Refused {
                            sys_time: refusal.text("sysTime"),
                        },
                    );
                }
                Err(e.with_trade_no(&trade_no))
            }
        }
    }

    /// `sdkRefundBarcodePay`: give money back. Not safe to repeat blindly: after an in-doubt
    /// error, query the refund's `tradeNo` first.
    pub fn refund(&self, request: &RefundRequest) -> Result<RefundResponse, Error> {
        let own = self.numbered(request.wire_fields()?);
        let trade_no = trade_no_of(&own);
        self.journaled(
            Kind::Refund,
            &own,
            request.txn_time,
            |txn_time| {
                self.exchange_sdk(RefundRequest::ENDPOINT, txn_time, &own, None)
                    .and_then(|answer| RefundResponse::from_answer(&answer, &trade_no))
            },
            |a| Learned {
                result: a.result,
                settled: a.result.is_some_and(TxnResult::is_final),
                log_no: &a.log_no,
                order_no: "",
                // Sent without txnAmt (all that remained), the answer says how much.
                amount: a.txn_amt,
                sys_time: &a.sys_time,
            },
        )
        .map_err(|e| e.with_trade_no(&trade_no))
    }

    /// Queries `qry_no` every `interval` until the order is final (`S`, `F`, `D`) or `deadline`
    /// has passed (then TIMEOUT). Only INVALID_ARGUMENT ends the wait early: a failed poll
    /// (network, bad answer) and a refusal do not, since right after a pay the gateway may
    /// refuse ("order not found") until the order reaches its query service (spec section 5).
    /// When the deadline passes with no answer but refusals, the error is TIMEOUT (in doubt:
    /// the order may still appear) carrying the last refusal ([`Error::refusal`]), even if a
    /// later query got no answer in time: a failure to get an answer never hides a refusal. Zero
    /// durations mean 3 s and 60 s.
    ///
    /// The queries send `V1.0.1`, so the answer's `ref_amt` is the gateway's report of the fen
    /// refunded so far.
    pub fn wait(
        &self,
        qry_no: &str,
        interval: Duration,
        deadline: Duration,
    ) -> Result<QueryResponse, WaitError> {
        self.follow(qry_no, interval, deadline, None)
    }

    /// [`Client::wait`], for a sale whose own answer came but could not be trusted when
    /// `untrusted` is that answer's error (an unproven refusal, a bad signature): then, once
    /// [`UNTRUSTED_QUERIES`] queries over at least [`UNTRUSTED_SPAN`] have fared no better
    /// (each refused, or failing the signature check) and none told a state, the sale ends
    /// early in doubt with `untrusted` (the journal keeps it open), instead of at the deadline.
    fn follow(
        &self,
        qry_no: &str,
        interval: Duration,
        deadline: Duration,
        untrusted: Option<Error>,
    ) -> Result<QueryResponse, WaitError> {
        let interval = if interval.is_zero() {
            Duration::from_secs(3)
        } else {
            interval
        };
        let deadline = if deadline.is_zero() {
            Duration::from_secs(60)
        } else {
            deadline
        };
        let start = Instant::now();
        let mut last_answer: Option<Box<QueryResponse>> = None;
        // A refusal says more than a failure to get any answer (a query cut short by the
        // deadline itself, say), so a later failure never hides an earlier refusal.
        let mut last_refusal: Option<Error> = None;
        let mut last_failure: Option<Error> = None;
        // Queries that fared no better than an untrusted answer: (refused, bad signature).
        let mut no_better = (0u32, 0u32);
        loop {
            let remaining = deadline.saturating_sub(start.elapsed());
            if remaining.is_zero() {
                break;
            }
            let request = QueryRequest {
                qry_no,
                version: Some(crate::model::EXTENDED_VERSION),
                ..QueryRequest::default()
            };
            match self.query_within(&request, Some(remaining)) {
                Ok(answer) if answer.result.is_some_and(|r| r.is_final()) => return Ok(answer),
                Ok(answer) => last_answer = Some(Box::new(answer)),
                Err(error) if error.status() == Status::InvalidArgument => {
                    return Err(WaitError { error, last_answer });
                }
                Err(error) if error.status() == Status::Gateway => {
                    no_better.0 += 1;
                    last_refusal = Some(error);
                }
                Err(error) => {
                    if error.status() == Status::Signature {
                        no_better.1 += 1;
                    }
                    last_failure = Some(error);
                }
            }
            if let Some(pay) = untrusted.as_ref().filter(|_| {
                last_answer.is_none()
                    && no_better.0 + no_better.1 >= UNTRUSTED_QUERIES
                    && start.elapsed() >= UNTRUSTED_SPAN
            }) {
                return Err(WaitError {
                    error: untrusted_end(pay, qry_no, no_better),
                    last_answer: None,
                });
            }
            let remaining = deadline.saturating_sub(start.elapsed());
            if remaining.is_zero() {
                break;
            }
            std::thread::sleep(interval.min(remaining));
        }
        let error = match (&last_answer, last_refusal.or(last_failure)) {
            (Some(answer), _) => Error::new(
                Status::Timeout,
                format!(
                    "order {qry_no} still not final after {} ms (last result {})",
                    millis(deadline),
                    answer.result.map_or('-', |r| r.as_char())
                ),
            ),
            (None, Some(error)) if error.status() == Status::Gateway => {
                let refused = Error::new(
                    Status::Timeout,
                    format!(
                        "order {qry_no} not found final within {} ms: every answered query was \
                         refused, the last: {} (the order may still appear: query again later)",
                        millis(deadline),
                        error.detail()
                    ),
                );
                match error.refusal() {
                    Some(answer) => refused.with_refusal(answer.clone()),
                    None => refused,
                }
            }
            (None, Some(error)) => error.context(&format!(
                "no answer to any query of {qry_no} within {} ms; the last failure",
                millis(deadline)
            )),
            (None, None) => Error::new(
                Status::Timeout,
                format!(
                    "no query of {qry_no} could be made within {} ms",
                    millis(deadline)
                ),
            ),
        };
        Err(WaitError { error, last_answer })
    }

    /// Any endpoint: `fields_json` is a JSON object of the endpoint's own fields; `orgNo`,
    /// `mercId`, `trmNo`, `txnTime`, `signType` and `version` (`V1.0.0`, as the typed calls
    /// send) are added when absent. The answer comes back verified, `message` decoded.
    pub fn call(&self, endpoint: &str, fields_json: &str) -> Result<Answer, Error> {
        if endpoint.is_empty()
            || endpoint.len() > 64
            || !endpoint.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(Error::invalid(
                "endpoint",
                "must be 1 to 64 ASCII letters and digits",
            ));
        }
        let own = wire::call_fields(fields_json)?;
        let txn_time = own
            .iter()
            .find(|(n, _)| n == "txnTime")
            .map(|(_, v)| v.clone());
        let txn_time = match txn_time {
            Some(t) => {
                fields::txn_time("txnTime", &t)?;
                t
            }
            None => clock::local_txn_time(),
        };
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(own.len() + 6);
        for (name, value) in [
            ("orgNo", self.config.org_no.as_str()),
            ("mercId", &self.config.merc_id),
            ("trmNo", &self.config.trm_no),
            ("txnTime", &txn_time),
            ("signType", "MD5"),
            ("version", fields::VERSIONS[0]),
        ] {
            if !own.iter().any(|(n, _)| n == name) {
                all.push((name, value));
            }
        }
        all.extend(own.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        self.send(endpoint, &all, None)
    }

    /// `own` with an empty `tradeNo` replaced by a new one of this terminal's
    /// ([`clock::new_trade_no`]): never repeated across terminals, boots and processes.
    fn numbered(&self, mut own: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
        for (name, value) in own.iter_mut() {
            if *name == "tradeNo" && value.is_empty() {
                *value = clock::new_trade_no(&self.config.trm_no);
            }
        }
        own
    }

    /// [`Client::exchange`] for an `sdk*` endpoint: the terminal's optional common parameters
    /// (`trmTyp`, `oprId`, `latitude`, `longitude`) are added when configured.
    fn exchange_sdk(
        &self,
        endpoint: &str,
        txn_time: Option<&str>,
        own: &[(&'static str, String)],
        budget: Option<Duration>,
    ) -> Result<Answer, Error> {
        let terminal = [
            ("trmTyp", self.config.trm_typ.as_str()),
            ("oprId", &self.config.opr_id),
            ("latitude", &self.config.latitude),
            ("longitude", &self.config.longitude),
        ];
        self.exchange(endpoint, txn_time, own, &terminal, budget)
    }

    /// Adds the merchant's fields (and `extra`, where not empty) to `own`, signs, sends and
    /// verifies.
    fn exchange(
        &self,
        endpoint: &str,
        txn_time: Option<&str>,
        own: &[(&'static str, String)],
        extra: &[(&'static str, &str)],
        budget: Option<Duration>,
    ) -> Result<Answer, Error> {
        let txn_time = resolve_txn_time(txn_time)?;
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(own.len() + extra.len() + 5);
        all.extend([
            ("orgNo", self.config.org_no.as_str()),
            ("mercId", &self.config.merc_id),
            ("trmNo", &self.config.trm_no),
            ("txnTime", &txn_time),
            ("signType", "MD5"),
        ]);
        all.extend(own.iter().map(|(n, v)| (*n, v.as_str())));
        all.extend(extra.iter().filter(|(_, v)| !v.is_empty()).copied());
        self.send(endpoint, &all, budget)
    }

    fn send(
        &self,
        endpoint: &str,
        fields: &[(&str, &str)],
        budget: Option<Duration>,
    ) -> Result<Answer, Error> {
        // `characterSet` names the body's bytes (spec section 1): `00` (GBK) is true of an
        // ASCII body and of a GBK one; a UTF-8 body with any other text says `01`.
        let utf8_text = self.config.body_charset == BodyCharset::Utf8
            && fields.iter().any(|(_, v)| !v.is_ascii());
        let relabelled: Vec<(&str, &str)>;
        let fields = if utf8_text && fields.iter().any(|(n, _)| *n == "characterSet") {
            relabelled = fields
                .iter()
                .map(|&(n, v)| {
                    if n == "characterSet" {
                        (n, "01")
                    } else {
                        (n, v)
                    }
                })
                .collect();
            &relabelled[..]
        } else {
            fields
        };
        // The signed body holds the request's secrets: wiped when the call ends.
        let utf8 = Zeroizing::new(wire::encode_request(fields, &self.config.key));
        let (body, content_type) = match self.config.body_charset {
            BodyCharset::Utf8 => (utf8, "application/json;charset=UTF-8"),
            BodyCharset::Gbk => (
                // encode_request writes UTF-8 JSON, so this is text.
                Zeroizing::new(crate::charset::utf8_to_gbk(&Zeroizing::new(
                    String::from_utf8_lossy(&utf8).into_owned(),
                ))?),
                "application/json;charset=GBK",
            ),
        };
        let url = format!("{}{endpoint}.json", self.config.base_url);
        let mut timeouts = self.config.timeouts;
        if let Some(budget) = budget {
            timeouts.total = timeouts.total.min(budget).max(Duration::from_millis(1));
        }
        log(Level::Debug, || {
            format!(
                "{endpoint}: POST {url} ({} bytes, timeout {} ms)",
                body.len(),
                millis(timeouts.total)
            )
        });
        let started = Instant::now();
        let reply = match &self.exchange {
            Some(exchange) => exchange(&url, &body),
            // base_url was checked in `new`; an endpoint is letters and digits (a constant, or
            // checked in `call`), so the URL needs no second check.
            None => transport::post_checked(
                &url,
                &body,
                content_type,
                timeouts,
                &transport::Connection {
                    keep_alive: self.config.keep_alive,
                    ca_file: self.config.ca_file.as_deref(),
                },
            ),
        };
        let result = reply.and_then(|reply| {
            let text = wire::answer_utf8(&reply.body, reply.charset.as_deref())?;
            match wire::decode_answer(&text, &self.config.key) {
                Ok(answer) => bind::check(fields, &answer, false).map(|()| answer),
                Err(e) => Err(bind::refusal(endpoint, fields, e)),
            }
        });
        let ms = millis(started.elapsed());
        // What the gateway says back can echo the request: its secrets and any payment code
        // are masked here, once, so every consumer (journal, CLI, C structs) gets masked text.
        let secrets = redact::Secrets::of_request(fields, &self.config.key);
        let result = result
            .map(|answer| answer.with_masked_message(&secrets))
            .map_err(|e| e.masked(&secrets));
        // The payer's openId an answer (or a refusal) carries is the caller's, never the log's.
        let open_id = match &result {
            Ok(answer) => answer.text("openId"),
            Err(e) => e.refusal().map_or("", |a| a.text("openId")),
        };
        let log = |level, message: &dyn Fn() -> String| {
            log(level, || {
                let masked = secrets.mask(&message()).into_owned();
                if open_id.is_empty() {
                    masked
                } else {
                    masked.replace(open_id, redact::MASK)
                }
            });
        };
        match &result {
            Ok(answer) => log(Level::Info, &|| {
                let serials: String = ["logNo", "orderNo", "tradeNo", "result"]
                    .iter()
                    .filter_map(|n| {
                        answer
                            .get(n)
                            .filter(|v| !v.is_empty())
                            .map(|v| format!(", {n} {v}"))
                    })
                    .collect();
                format!(
                    "{endpoint}: OK in {ms} ms (returnCode {}{serials})",
                    answer.text("returnCode")
                )
            }),
            Err(e) => {
                let level = if e.in_doubt() {
                    Level::Error
                } else {
                    Level::Warn
                };
                log(level, &|| {
                    let doubt = if e.in_doubt() {
                        " [in doubt: query before retrying]"
                    } else {
                        ""
                    };
                    format!(
                        "{endpoint}: {} after {ms} ms: {}{doubt}",
                        e.status(),
                        e.detail()
                    )
                })
            }
        }
        result
    }
}

/// How many queries must fare no better than a sale's untrusted answer before the sale ends
/// early ([`Client::barcode_sale`]).
pub const UNTRUSTED_QUERIES: u32 = 3;

/// The least time those queries must span: the query service may lag a pay by a second or
/// two (spec section 5).
pub const UNTRUSTED_SPAN: Duration = Duration::from_secs(2);

/// The error a sale ends with when its own answer could not be trusted (`pay`) and the
/// queries of `trade_no` fared no better (`no_better`: how many were refused, how many failed
/// the signature check): `pay`'s status (in doubt) and refusal, with words that say what is
/// known and what to do.
fn untrusted_end(pay: &Error, trade_no: &str, no_better: (u32, u32)) -> Error {
    let (refused, bad_signature) = no_better;
    let advice = if bad_signature > 0 && refused == 0 {
        format!(
            "the pay's answer and {bad_signature} queries since all failed the signature check: \
             the merchant key is most likely wrong (check the key configured for this \
             terminal against the one the acquirer issued). Money moved only if the gateway \
             accepted the request: with the right key, query tradeNo {trade_no} (or run \
             recovery) before selling again"
        )
    } else {
        format!(
            "{} queries of tradeNo {trade_no} since were refused or failed the signature check \
             and none told the order's state: most likely nothing moved, but that is not \
             proven; the journal keeps the sale open and recovery settles it (query it again \
             in a few minutes); never pay this code again",
            refused + bad_signature
        )
    };
    let mut error = Error::new(pay.status(), format!("{}; {advice}", pay.detail()));
    if let Some(answer) = pay.refusal() {
        error = error.with_refusal(answer.clone());
    }
    error
}

/// `duration` in whole milliseconds for messages, as a u64 (saturating at u64::MAX, some 584
/// million years): formatting a u128 would link in code of its own (armv7 code size).
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The `txnTime` to send: the caller's, checked, or the terminal's local time now.
pub(crate) fn resolve_txn_time(txn_time: Option<&str>) -> Result<String, Error> {
    match txn_time {
        Some(t) if !t.is_empty() => {
            fields::txn_time("txn_time", t)?;
            Ok(t.to_owned())
        }
        _ => Ok(clock::local_txn_time()),
    }
}

fn trade_no_of(fields: &[(&'static str, String)]) -> String {
    field_of(fields, "tradeNo")
}

fn field_of(fields: &[(&'static str, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// The logger is one for the process: the tests that set it take turns.
    static LOGGER: Mutex<()> = Mutex::new(());

    #[test]
    fn a_refusal_echoing_the_code_is_logged_without_it() {
        let _turn = LOGGER
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        static LOGGED: Mutex<Vec<String>> = Mutex::new(Vec::new());
        let key = "0123456789ABCDEF0123456789ABCDEF";
        let client = Client::new(Config::new("489", "800290000007906", "XB006439", key))
            .unwrap()
            .with_exchange(Arc::new(move |_url: &str, body: &[u8]| {
                let sent: serde_json::Value = serde_json::from_slice(body).unwrap();
                let message = format!("code {} already used", sent["code"].as_str().unwrap());
                let fields = [("returnCode", "100007"), ("message", message.as_str())];
                Ok(Reply {
                    body: wire::encode_answer(&fields, key),
                    charset: None,
                })
            }));
        crate::log::set_logger(Some(Arc::new(|_, m: &str| {
            LOGGED.lock().unwrap().push(m.into())
        })));
        let code = "SECRETCODE4242";
        let e = client
            .pay(&PayRequest {
                code: Some(code),
                amount: 1,
                total_amount: 1,
                ..Default::default()
            })
            .unwrap_err();
        crate::log::set_logger(None);
        assert_eq!(e.status(), Status::Gateway);
        let logged = LOGGED.lock().unwrap().join("\n");
        assert!(logged.contains("code *** already used"), "{logged}");
        assert!(!logged.contains(code), "{logged}");
    }

    #[test]
    fn the_payers_open_id_is_never_logged() {
        let _turn = LOGGER
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        static LOGGED: Mutex<Vec<String>> = Mutex::new(Vec::new());
        let key = "0123456789ABCDEF0123456789ABCDEF";
        let open_id = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";
        let client = Client::new(Config::new("489", "800290000007906", "XB006439", key))
            .unwrap()
            .with_exchange(Arc::new(move |_url: &str, _body: &[u8]| {
                let message = format!("payer {open_id} may not pay here");
                let fields = [
                    ("returnCode", "100009"),
                    ("message", message.as_str()),
                    ("tradeNo", "T1"),
                    ("openId", open_id),
                ];
                Ok(Reply {
                    body: wire::encode_answer(&fields, key),
                    charset: None,
                })
            }));
        crate::log::set_logger(Some(Arc::new(|_, m: &str| {
            LOGGED.lock().unwrap().push(m.into())
        })));
        let e = client
            .barcode_pay(&BarcodePayRequest {
                trade_no: Some("T1"),
                auth_code: "130219205322723729",
                amount: 1,
                total_amount: 1,
                ..Default::default()
            })
            .unwrap_err();
        crate::log::set_logger(None);
        assert_eq!(e.status(), Status::Gateway, "{e}");
        let logged = LOGGED.lock().unwrap().join("\n");
        assert!(logged.contains("payer *** may not pay here"), "{logged}");
        assert!(!logged.contains(open_id), "{logged}");
        // Debug masks the field, in the answer and in a response.
        let answer = format!("{:?}", e.refusal());
        assert!(answer.contains(r#""openId": "***""#), "{answer}");
        let paid = CounterPayResponse {
            open_id: open_id.to_owned(),
            ..CounterPayResponse::default()
        };
        assert!(!format!("{paid:?}").contains(open_id));
    }
}
