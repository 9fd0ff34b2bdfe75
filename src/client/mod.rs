//! Layer 4: the Rust API. A [`Client`] holds a validated [`Config`] and makes the gateway's
//! calls: validate → sign → POST → verify → typed answer. The C layer, the CLI, the simulator's
//! tests and the examples all go through here.
//!
//! One type, split by concern: `config` (what a client is made of, and its checks), `send`
//! (the common fields, signing, the exchange and how an answer is judged), `follow` (waiting
//! for a final state: [`Client::wait`], [`Client::barcode_sale`]), `journal` (the client's use
//! of the [sale journal](crate::journal) through the ledger, `src/ledger.rs`, and recovery). Data flows
//! one way: the client calls the ledger, the model and the transport; none of them calls it.

mod config;
mod follow;
mod journal;
mod send;

pub use config::{
    BodyCharset, Config, Progress, ProgressFn, DEFAULT_JOURNAL_RETENTION, PRODUCTION_URL,
    SANDBOX_URL,
};
pub use follow::WaitError;
pub(crate) use send::resolve_txn_time;

use crate::answer::Answer;
use crate::error::{Error, Status};
use crate::journal::Kind;
use crate::ledger::{Learned, Told};
use crate::model::{
    bind, BarcodePayRequest, BarcodePayResponse, CounterPayResponse, PayRequest, PayResponse,
    QrPayRequest, QrPayResponse, QryRequest, QryResponse, QueryRequest, QueryResponse,
    RefundRequest, RefundResponse, RevokeRequest, RevokeResponse, TxnResult,
};
use crate::model::{Money, Outgoing};
use crate::transport::Reply;
use crate::{clock, fields, wire};
use std::sync::Arc;
use std::time::Duration;

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
        crate::wipe::string(&mut self.config.key);
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
    pub fn new(config: Config) -> Result<Client, Error> {
        Ok(Client {
            config: config::validated(config)?,
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
        let own = request.outgoing()?;
        let answer = self.exchange(QryRequest::ENDPOINT, request.txn_time, &own, &[], None)?;
        QryResponse::from_answer(&answer)
    }

    /// `pubSigPay`: pay with an OAuth code. The answer is `A` or `Z`: follow with
    /// [`Client::wait`]. On an in-doubt error ([`Error::in_doubt`]) query, never resend.
    pub fn pay(&self, request: &PayRequest) -> Result<PayResponse, Error> {
        let own = request.outgoing()?;
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
                pay_channel: "",
            },
        )
    }

    /// `sdkBarcodePay`: charge the payment code scanned from the payer's phone. `S` is paid,
    /// `F` failed; `A` (password) and `Z` mean: query the answer's `trade_no` until final
    /// ([`Client::wait`]), or use [`Client::barcode_sale`], which does all of it. On an
    /// in-doubt error the money may have moved: query [`Error::trade_no`], never pay again
    /// (a second pay with the same code can charge twice).
    pub fn barcode_pay(&self, request: &BarcodePayRequest) -> Result<BarcodePayResponse, Error> {
        let own = self.numbered(request.outgoing()?);
        self.counter_pay(Kind::BarcodePay, &own, request.txn_time)
    }

    /// `sdkBarcodePosPay`: make a QR order for the payer to scan. `S` means the order was
    /// made: show `pay_code`, then query `trade_no` until final ([`Client::wait`]).
    pub fn qr_pay(&self, request: &QrPayRequest) -> Result<QrPayResponse, Error> {
        let own = self.numbered(request.outgoing()?);
        self.counter_pay(Kind::QrPay, &own, request.txn_time)
    }

    /// A counter sale (`kind` is [`Kind::BarcodePay`] or [`Kind::QrPay`]) of the validated
    /// wire fields `own`, journaled; every error carries the sale's `tradeNo`.
    fn counter_pay(
        &self,
        kind: Kind,
        own: &Outgoing,
        txn_time: Option<&str>,
    ) -> Result<CounterPayResponse, Error> {
        let qr = kind == Kind::QrPay;
        let endpoint = if qr {
            QrPayRequest::ENDPOINT
        } else {
            BarcodePayRequest::ENDPOINT
        };
        let trade_no = own.trade_no();
        let channel = own.money.pay_channel;
        self.journaled(
            kind,
            own,
            txn_time,
            |txn_time| {
                self.exchange_sdk(endpoint, txn_time, own, None)
                    .and_then(|answer| {
                        CounterPayResponse::from_answer(&answer, trade_no, channel, qr)
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
                pay_channel: &a.pay_channel,
            },
        )
        .map_err(|e| e.with_trade_no(trade_no))
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
        let own = self.numbered(request.outgoing()?);
        let trade_no = own.trade_no();
        let read = self
            .exchange_sdk(QueryRequest::ENDPOINT, request.txn_time, &own, budget)
            .and_then(|answer| {
                let reported = answer.get("refAmt").is_some();
                QueryResponse::from_answer(&answer, trade_no).map(|a| (a, reported))
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
                // that it does not know the order: evidence, never proof alone (`recover`).
                // One that says to try again ("system busy") says nothing of the order.
                if let Some(refusal) = e.refusal().filter(|r| {
                    e.status() == Status::Gateway
                        && r.verified()
                        && r.get("tradeNo") == Some(trade_no)
                        && !bind::says_try_again(r)
                }) {
                    self.learn(
                        request.qry_no,
                        Told::Refused {
                            sys_time: refusal.text("sysTime"),
                        },
                    );
                }
                Err(e.with_trade_no(trade_no))
            }
        }
    }

    /// `sdkRefundBarcodePay`: give money back. Not safe to repeat blindly: after an in-doubt
    /// error, query the refund's `tradeNo` first.
    pub fn refund(&self, request: &RefundRequest) -> Result<RefundResponse, Error> {
        let own = self.numbered(request.outgoing()?);
        let trade_no = own.trade_no();
        self.journaled(
            Kind::Refund,
            &own,
            request.txn_time,
            |txn_time| {
                self.exchange_sdk(RefundRequest::ENDPOINT, txn_time, &own, None)
                    .and_then(|answer| RefundResponse::from_answer(&answer, trade_no))
            },
            |a| Learned {
                result: a.result,
                settled: a.result.is_some_and(TxnResult::is_final),
                log_no: &a.log_no,
                order_no: "",
                // Sent without txnAmt (all that remained), the answer says how much.
                amount: a.txn_amt,
                sys_time: &a.sys_time,
                pay_channel: "",
            },
        )
        .map_err(|e| e.with_trade_no(trade_no))
    }

    /// `RevokeBarcodepay`: undo the counter sale whose `tradeNo` is `request.qry_no`, the same
    /// day (acquirers may not support it: the gateway then refuses it, and nothing moved).
    /// `S`: revoked, the sale's order now queries `D` (a paid sale's money goes back; an
    /// unpaid one can no longer be paid), and the journal records the sale `D`. `Z` or an
    /// in-doubt error: query the sale until final (`D` means the revoke went through); never
    /// assume either way. Journaled like a refund (kind `revoke`).
    pub fn revoke(&self, request: &RevokeRequest) -> Result<RevokeResponse, Error> {
        let own = self.numbered(request.outgoing()?);
        let trade_no = own.trade_no();
        self.journaled(
            Kind::Revoke,
            &own,
            request.txn_time,
            |txn_time| {
                self.exchange_sdk(RevokeRequest::ENDPOINT, txn_time, &own, None)
                    .and_then(|answer| RevokeResponse::from_answer(&answer, trade_no))
            },
            |a| Learned {
                result: a.result,
                settled: a.result.is_some_and(|r| r != TxnResult::Unknown),
                log_no: &a.log_no,
                order_no: "",
                amount: a.amount,
                sys_time: &a.sys_time,
                pay_channel: &a.pay_channel,
            },
        )
        .map_err(|e| e.with_trade_no(trade_no))
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
        self.send(endpoint, &all, &Money::of_wire(&all), None)
    }
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
