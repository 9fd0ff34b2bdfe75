//! How answers and failures are printed: `key  value` lines for a person, or one JSON object
//! with the wire field names for a program. Secrets are masked unless asked for.

use crate::console::{errln, outln, Lost};
use starpos::{Error, Status};

/// Fields never printed in clear without `--show-secrets` (`openId`: the payer's openid in
/// WeChat, in a barcode pay's answer).
const SECRETS: &[&str] = &["appIdKey", "key", "openId", "signValue"];

/// Amounts, in fen: numbers under `--json` in every answer (the wire carries them as text).
const FEN_FIELDS: &[&str] = &["amount", "total_amount", "txnAmt", "refAmt"];

/// A field's value under `--json`: an amount of whole fen as a number, any other as text.
fn json_value(name: &str, value: String) -> serde_json::Value {
    if FEN_FIELDS.contains(&name) {
        if let Ok(fen) = value.parse::<u64>() {
            return fen.into();
        }
    }
    value.into()
}

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
    /// Draw with ANSI colours (the QR code): stdout is a terminal, `NO_COLOR` is not set and
    /// `--no-color` was not given, or `--color always`.
    pub color: bool,
    /// The gateway's URL the command used, if it calls one: CONNECT failures name it.
    pub gateway: Option<String>,
    /// A sale journal (`--journal`) records the command's sales: a cancelled sale stays open
    /// in it.
    pub journal: bool,
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
            .map(|(n, v)| {
                let name = n.as_ref();
                (name.to_owned(), json_value(name, self.shown(name, v)))
            })
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
                        "payChannel": e.pay_channel,
                        "oprId": e.opr_id,
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
                        "state": state(e).0,
                    })
                })
                .collect();
            outln!("{}", serde_json::json!({ "entries": list }))?;
            return Ok(());
        }
        if entries.is_empty() {
            outln!("(no sales)")?;
        }
        if starpos::unversioned::clock::clock_is_plainly_wrong() {
            outln!(
                "(this terminal's clock reads {}, before this release: it was never set; \
                 txnTime and the recorded times are wrong, the gateway's sysTime is shown \
                 where known)",
                starpos::unversioned::clock::local_txn_time()
            )?;
        }
        for e in entries {
            let no = if e.trade_no.is_empty() {
                &e.log_no
            } else {
                &e.trade_no
            };
            let (key, words) = state(e);
            // A QR order made and not yet paid has no outcome to show: its status is only the
            // journal's "outcome unknown" (TIMEOUT), which nothing timed out to earn.
            let status = if key == QR_UNPAID {
                "-"
            } else {
                e.status.name()
            };
            outln!(
                "{:<11} {:<28} {:<6} {:<9} {} {:>10} fen  {words}{}",
                e.kind.as_str(),
                no,
                if e.pay_channel.is_empty() {
                    "-"
                } else {
                    &e.pay_channel
                },
                status,
                e.result.map_or('-', |r| r.as_char()),
                e.amount,
                // The library's words for such an entry say the same ("QR order made ...").
                if e.error.is_empty() || key == QR_UNPAID {
                    String::new()
                } else {
                    format!("  {}", e.error)
                }
            )?;
        }
        Ok(())
    }

    /// Prints the closing summary: a table, one line per kind and channel, then a total line
    /// and the open sales by tradeNo; with `--json` one object, amounts as numbers of fen.
    pub fn summary(&self, rows: &[starpos::journal::SummaryRow]) -> Result<(), Lost> {
        if self.json {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "kind": r.kind.as_str(),
                        "payChannel": r.pay_channel,
                        "count": r.count,
                        "paidFen": r.paid_fen,
                        "refundedFen": r.refunded_fen,
                        "revokedFen": r.revoked_fen,
                        "open": r.open.len(),
                        "openTradeNos": r.open,
                    })
                })
                .collect();
            outln!("{}", serde_json::json!({ "summary": list }))?;
            return Ok(());
        }
        if rows.is_empty() {
            outln!("(no sales)")?;
            return Ok(());
        }
        outln!(
            "{:<11} {:<7} {:>6} {:>12} {:>12} {:>12} {:>5}",
            "kind",
            "channel",
            "count",
            "paid fen",
            "refunded fen",
            "revoked fen",
            "open"
        )?;
        let line = |kind: &str,
                    channel: &str,
                    n: u64,
                    paid: u64,
                    refunded: u64,
                    revoked: u64,
                    open: usize| {
            outln!(
                "{kind:<11} {channel:<7} {n:>6} {paid:>12} {refunded:>12} {revoked:>12} {open:>5}"
            )
        };
        let mut total = (0u64, 0u64, 0u64, 0u64, 0usize);
        for r in rows {
            let channel = if r.pay_channel.is_empty() {
                "-"
            } else {
                &r.pay_channel
            };
            line(
                r.kind.as_str(),
                channel,
                u64::from(r.count),
                r.paid_fen,
                r.refunded_fen,
                r.revoked_fen,
                r.open.len(),
            )?;
            total.0 += u64::from(r.count);
            total.1 = total.1.saturating_add(r.paid_fen);
            total.2 = total.2.saturating_add(r.refunded_fen);
            total.3 = total.3.saturating_add(r.revoked_fen);
            total.4 += r.open.len();
        }
        line("total", "", total.0, total.1, total.2, total.3, total.4)?;
        for r in rows.iter().filter(|r| !r.open.is_empty()) {
            outln!(
                "open {} {}: {} (query them: starpos recover)",
                r.kind.as_str(),
                if r.pay_channel.is_empty() {
                    "-"
                } else {
                    &r.pay_channel
                },
                r.open.join(" ")
            )?;
        }
        Ok(())
    }

    /// Prints a QR pay's answer. With `--json` as [`Printer::fields`]. For a person, on an
    /// 80×24 terminal what is needed stays on the screen: the other fields first, then the QR
    /// code of `pay_code`, then last the `tradeNo`, the `payCode` and the `starpos wait`
    /// command that follows the order.
    pub fn qr_answer(
        &self,
        fields: &[(&str, String)],
        pay_code: &str,
        trade_no: &str,
    ) -> Result<(), Lost> {
        if self.json {
            return self.fields(fields);
        }
        let last = ["tradeNo", "payCode"];
        let first: Vec<(&str, String)> = fields
            .iter()
            .filter(|(n, _)| !last.contains(n))
            .cloned()
            .collect();
        self.fields(&first)?;
        if !pay_code.is_empty() {
            self.qr_code(pay_code)?;
        }
        let width = fields.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        for (name, value) in [("tradeNo", trade_no), ("payCode", pay_code)] {
            if !value.is_empty() {
                outln!("{name:width$}  {value}")?;
            }
        }
        if !trade_no.is_empty() && !pay_code.is_empty() {
            outln!("next: starpos wait --qry-no {trade_no}   (until the payer has paid)")?;
        }
        Ok(())
    }

    /// Draws `text` as a QR code for a person to scan from the screen: dark modules on a light
    /// background, as scanners expect, two modules per character cell, with a quiet zone of
    /// [`QR_QUIET_ZONE`] modules. With colour ([`Printer::color`]) the background and the
    /// modules are set by ANSI escapes (black on bright white), so it decodes on a light or a
    /// dark terminal theme alike; without, the dark modules are block characters and the
    /// light ones spaces (right on a light background, paper, a log). Nothing with `--json`.
    pub fn qr_code(&self, text: &str) -> Result<(), Lost> {
        if self.json {
            return Ok(());
        }
        match qrcode::QrCode::new(text.as_bytes()) {
            Ok(code) => outln!("{}", draw_qr(&code, self.color).trim_end_matches('\n'))?,
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
        let hint = hint(e, effect, self.gateway.as_deref(), self.journal);
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

/// Light modules around the code. The standard asks 4; 2 is what screen scanners need and
/// keeps a payCode's code (about 20 lines) and the lines after it on a 24-line terminal.
pub const QR_QUIET_ZONE: usize = 2;

/// `code` as lines of characters: `▀` `▄` `█` and space, each cell the module above and the one
/// below; with `color`, each line starts black on bright white and ends with a reset.
fn draw_qr(code: &qrcode::QrCode, color: bool) -> String {
    let width = code.width();
    let modules = code.to_colors();
    let side = width + 2 * QR_QUIET_ZONE;
    let dark = |x: usize, y: usize| {
        x >= QR_QUIET_ZONE
            && y >= QR_QUIET_ZONE
            && x < QR_QUIET_ZONE + width
            && y < QR_QUIET_ZONE + width
            && modules[(y - QR_QUIET_ZONE) * width + (x - QR_QUIET_ZONE)] == qrcode::Color::Dark
    };
    let mut out = String::new();
    for y in (0..side).step_by(2) {
        if color {
            out.push_str("\x1b[30;107m");
        }
        for x in 0..side {
            out.push(match (dark(x, y), y + 1 < side && dark(x, y + 1)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        if color {
            out.push_str("\x1b[0m");
        }
        out.push('\n');
    }
    out
}

/// [`state`] of a QR order made (the payer has a code to scan) and not paid yet.
const QR_UNPAID: &str = "qr_made_not_paid";

/// Where a journal entry stands: a key for `--json` (`"state"`) and words for a person.
fn state(e: &starpos::journal::Entry) -> (&'static str, &'static str) {
    if e.settled {
        ("settled", "settled")
    } else if e.attention {
        ("needs_a_person", "OPEN, NEEDS A PERSON")
    } else if e.kind == starpos::journal::Kind::QrPay && !e.log_no.is_empty() && e.result.is_none()
    {
        (QR_UNPAID, "OPEN: QR order made, not paid yet")
    } else {
        ("open", "OPEN")
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
    /// The gateway did nothing: `call` of an endpoint it does not have (HTTP 404).
    NotDone,
}

/// What to do after `e`, if there is anything to say. `gateway`: the URL the command tried.
fn hint(e: &Error, effect: Effect, gateway: Option<&str>, journal: bool) -> Option<String> {
    const KEY_HINT: &str = "the likely cause is a wrong merchant key: check --key / STARPOS_KEY";
    if let (Status::Connect, Some(url)) = (e.status(), gateway) {
        return Some(format!(
            "the gateway at {url} could not be reached: check --gateway (STARPOS_GATEWAY), \
             the network, and that the gateway is up."
        ));
    }
    match (e.status(), effect) {
        (Status::Cancelled, Effect::MayMoveMoney) => {
            return Some(format!(
                "cancelled (Ctrl-C): the order may still be paid (the payer may confirm later). \
                 Follow it: starpos wait --qry-no {}; never pay it again. {}",
                e.trade_no().unwrap_or("<tradeNo>"),
                if journal {
                    "The sale journal keeps it open until it is final (starpos journal; \
                     starpos recover)."
                } else {
                    "No sale journal (--journal) holds it: keep the tradeNo."
                }
            ))
        }
        (Status::Cancelled, _) => {
            return Some(
                "the wait was cancelled (Ctrl-C); the order may still be paid: run the same \
                 starpos wait again to follow it."
                    .to_owned(),
            )
        }
        (Status::CancelledNotSent, _) => {
            return Some("cancelled (Ctrl-C) before anything was sent: no money moved.".to_owned())
        }
        _ => {}
    }
    match effect {
        Effect::NotDone => Some(
            "nothing was done: check the endpoint's name as the gateway's spec spells it \
             (e.g. pubSigQry, sdkQryBarcodePay) and the --gateway URL's path."
                .to_owned(),
        ),
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
