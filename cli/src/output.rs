//! How answers and failures are printed: `key  value` lines for a person, or one JSON object
//! with the wire field names for a program. Secrets are masked unless asked for.

use crate::console::{errln, outln, Lost};
use starpos::{Error, Status};

/// Fields never printed in clear without `--show-secrets` (`openId`: the payer's openid in
/// WeChat, in a barcode pay's answer).
const SECRETS: &[&str] = &["appIdKey", "key", "openId", "signValue"];

/// Masks `value` unless `show`: keeps a hint of the length, not the content.
pub fn mask_if(value: &str, show: bool) -> String {
    if show || value.is_empty() {
        value.to_owned()
    } else {
        format!(
            "**** ({} characters, --show-secrets to see)",
            value.chars().count()
        )
    }
}

/// Prints answers the way the command line asked.
pub struct Printer {
    /// One JSON object instead of lines.
    pub json: bool,
    /// Print secrets in clear.
    pub show_secrets: bool,
}

impl Printer {
    /// Prints an answer's fields (empty ones left out in the human form).
    pub fn fields<N: AsRef<str>>(&self, fields: &[(N, String)]) -> Result<(), Lost> {
        if self.json {
            outln!("{}", serde_json::Value::Object(self.json_fields(fields)))?;
            return Ok(());
        }
        let width = fields
            .iter()
            .map(|(n, _)| n.as_ref().len())
            .max()
            .unwrap_or(0);
        for (name, value) in fields {
            if !value.is_empty() {
                outln!(
                    "{:width$}  {}",
                    name.as_ref(),
                    self.shown(name.as_ref(), value)
                )?;
            }
        }
        Ok(())
    }

    /// An answer's fields as one JSON object, secrets masked.
    fn json_fields<N: AsRef<str>>(
        &self,
        fields: &[(N, String)],
    ) -> serde_json::Map<String, serde_json::Value> {
        fields
            .iter()
            .map(|(n, v)| (n.as_ref().to_owned(), self.shown(n.as_ref(), v).into()))
            .collect()
    }

    /// A field's value as printed: secrets masked unless `--show-secrets`.
    fn shown(&self, name: &str, value: &str) -> String {
        if SECRETS.contains(&name) && !self.show_secrets && !value.is_empty() {
            if self.json {
                "****".to_owned()
            } else {
                mask_if(value, false)
            }
        } else {
            value.to_owned()
        }
    }

    /// Prints journal entries: one line each (kind, tradeNo, status, result, fen, settled,
    /// words), or `{"entries": [...]}` with `--json`.
    pub fn entries(&self, entries: &[starpos::journal::Entry]) -> Result<(), Lost> {
        if self.json {
            let list: Vec<serde_json::Value> = entries
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "kind": e.kind.as_str(),
                        "tradeNo": e.trade_no,
                        "selOrderNo": e.sel_order_no,
                        "logNo": e.log_no,
                        "orderNo": e.order_no,
                        "txnTime": e.txn_time,
                        "amount": e.amount,
                        "total_amount": e.total_amount,
                        "status": e.status.name(),
                        "result": e.result.map(|r| r.as_char().to_string()).unwrap_or_default(),
                        "settled": e.settled,
                        "createdUnixMs": e.created_unix_ms,
                        "sysTime": e.sys_time,
                        "notFound": e.not_found,
                        "recoveries": e.recoveries,
                        "attention": e.attention,
                        "error": e.error,
                    })
                })
                .collect();
            outln!("{}", serde_json::json!({ "entries": list }))?;
            return Ok(());
        }
        if entries.is_empty() {
            outln!("(no sales)")?;
        }
        if starpos::clock::clock_is_plainly_wrong() {
            outln!(
                "(this terminal's clock reads {}, before this release: it was never set; \
                 txnTime and the recorded times are wrong, the gateway's sysTime is shown \
                 where known)",
                starpos::clock::local_txn_time()
            )?;
        }
        for e in entries {
            let no = if e.trade_no.is_empty() {
                &e.log_no
            } else {
                &e.trade_no
            };
            outln!(
                "{:<11} {:<28} {:<9} {} {:>10} fen  {}{}",
                e.kind.as_str(),
                no,
                e.status.name(),
                e.result.map_or('-', |r| r.as_char()),
                e.amount,
                match (e.settled, e.attention) {
                    (true, _) => "settled",
                    (false, true) => "OPEN, NEEDS A PERSON",
                    (false, false) => "OPEN",
                },
                if e.error.is_empty() {
                    String::new()
                } else {
                    format!("  {}", e.error)
                }
            )?;
        }
        Ok(())
    }

    /// Draws `text` as a QR code made of characters (two modules per character cell, dark on
    /// light, with its quiet zone), for a person to scan from the screen. Nothing with `--json`.
    pub fn qr_code(&self, text: &str) -> Result<(), Lost> {
        if self.json {
            return Ok(());
        }
        match qrcode::QrCode::new(text.as_bytes()) {
            Ok(code) => outln!(
                "{}",
                code.render::<qrcode::render::unicode::Dense1x2>()
                    .dark_color(qrcode::render::unicode::Dense1x2::Light)
                    .light_color(qrcode::render::unicode::Dense1x2::Dark)
                    .build()
            )?,
            Err(e) => errln!("starpos: the payCode cannot be drawn as a QR code: {e}")?,
        }
        Ok(())
    }

    /// Prints a failure: `{"status": ..., "error": ..., "in_doubt": ...}` on stdout with
    /// `--json`, else words on stderr, with what to do next. `effect` says whether the command
    /// could have moved money: a read-only call that failed changed nothing. `last_answer`
    /// (a wait that ended unfinished) is where the order stood: under `"last_answer"` with
    /// `--json`, else its fields on stdout as a successful answer prints them.
    pub fn error(
        &self,
        e: &Error,
        effect: Effect,
        last_answer: Option<&[(&str, String)]>,
    ) -> Result<(), Lost> {
        let in_doubt = e.in_doubt() && effect == Effect::MayMoveMoney;
        let hint = hint(e, effect);
        if self.json {
            let mut map = serde_json::Map::new();
            map.insert("status".into(), e.status().name().into());
            map.insert("error".into(), e.detail().into());
            map.insert("in_doubt".into(), in_doubt.into());
            if let Some(refusal) = e.refusal() {
                map.insert("returnCode".into(), refusal.text("returnCode").into());
                map.insert("message".into(), refusal.text("message").into());
            }
            if let Some(trade_no) = e.trade_no() {
                map.insert("tradeNo".into(), trade_no.into());
            }
            if let Some(hint) = hint {
                map.insert("hint".into(), hint.into());
            }
            if let Some(fields) = last_answer {
                map.insert("last_answer".into(), self.json_fields(fields).into());
            }
            outln!("{}", serde_json::Value::Object(map))?;
        } else {
            // The words on stderr matter more (the tradeNo to query): written even when the
            // last answer could not be.
            let shown = last_answer.map_or(Ok(()), |fields| self.fields(fields));
            errln!("starpos: {}: {}", e.status(), e.detail())?;
            if let (Some(trade_no), true) = (e.trade_no(), in_doubt) {
                errln!("starpos: the tradeNo to query: {trade_no}")?;
            }
            if let Some(hint) = hint {
                errln!("starpos: {hint}")?;
            }
            return shown;
        }
        Ok(())
    }

    /// Prints a command line that could not be used: `{"status": "USAGE", "error": ...}` on
    /// stdout with `--json`, else `text` as it is on stderr.
    pub fn usage(&self, message: &str, text: &str) -> Result<(), Lost> {
        if self.json {
            let mut map = serde_json::Map::new();
            map.insert("status".into(), USAGE_STATUS.into());
            map.insert("error".into(), message.into());
            map.insert("in_doubt".into(), false.into());
            outln!("{}", serde_json::Value::Object(map))?;
        } else {
            crate::console::write(crate::console::Stream::Stderr, format_args!("{text}"))?;
        }
        Ok(())
    }
}

impl Printer {
    /// Prints why `sim` cannot listen: `{"status": "CANNOT_LISTEN", "error": ...}` on stdout
    /// with `--json`, else `starpos: <message>` on stderr.
    pub fn cannot_listen(&self, message: &str) -> Result<(), Lost> {
        if self.json {
            let mut map = serde_json::Map::new();
            map.insert("status".into(), CANNOT_LISTEN_STATUS.into());
            map.insert("error".into(), message.into());
            map.insert("in_doubt".into(), false.into());
            outln!("{}", serde_json::Value::Object(map))?;
        } else {
            errln!("starpos: {message}")?;
        }
        Ok(())
    }
}

/// The `status` of `sim`'s "cannot listen" under `--json`.
pub const CANNOT_LISTEN_STATUS: &str = "CANNOT_LISTEN";

/// The `status` of a usage error under `--json`.
pub const USAGE_STATUS: &str = "USAGE";

/// Whether a command can move money, which decides what a failure means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// `qry`, `query`, `wait`: the call only reads; a failure changed nothing.
    ReadOnly,
    /// `pay`, `refund`, `call`, `demo`: an in-doubt failure may have moved money.
    MayMoveMoney,
}

/// What to do after `e`, if there is anything to say.
fn hint(e: &Error, effect: Effect) -> Option<String> {
    const KEY_HINT: &str = "the likely cause is a wrong merchant key: check --key / STARPOS_KEY";
    match effect {
        Effect::ReadOnly if e.status() == Status::Signature => Some(format!(
            "nothing changed (this call only reads). The answer's signature did not verify; \
             {KEY_HINT}."
        )),
        Effect::ReadOnly if e.in_doubt() => {
            Some("nothing changed (this call only reads); it is safe to run again.".to_owned())
        }
        Effect::MayMoveMoney if e.in_doubt() => Some(format!(
            "the outcome is unknown: a pay or refund may have gone through. \
             Query the order; do not send it again.{}",
            if e.status() == Status::Signature {
                format!(" (If every answer fails its signature, {KEY_HINT}.)")
            } else {
                String::new()
            }
        )),
        _ => None,
    }
}
