//! An outgoing request: its validated wire fields (wiped when dropped) and, beside them, what
//! it says about money as typed values ([`Money`]), which binding (`model::bind`) and the
//! journal (`ledger`) read instead of parsing the wire text back. The `tradeNo` is read from
//! the wire field itself ([`Outgoing::trade_no`]): one copy, not one per reader.

/// A request ready to sign: wire fields in order, and its money facts typed.
pub(crate) struct Outgoing<'a> {
    /// The request's own wire fields (the common ones are added when it is sent).
    pub fields: Vec<(&'static str, String)>,
    /// What it says about money, borrowed from the request.
    pub money: Money<'a>,
}

impl<'a> Outgoing<'a> {
    /// `fields` and `money`.
    pub fn new(fields: Vec<(&'static str, String)>, money: Money<'a>) -> Outgoing<'a> {
        Outgoing { fields, money }
    }

    /// The request's `tradeNo` ("" = it has none, `pubSigQry`, `pubSigPay`, or the client has
    /// not numbered it yet).
    pub fn trade_no(&self) -> &str {
        Outgoing::trade_no_of(self.fields.iter().map(|(n, v)| (*n, v.as_str())))
    }

    /// The `tradeNo` among wire `fields` (the last one, as the gateway reads a repeated name;
    /// "" when absent).
    pub fn trade_no_of<'f>(fields: impl DoubleEndedIterator<Item = (&'f str, &'f str)>) -> &'f str {
        fields
            .rev()
            .find(|(n, _)| *n == "tradeNo")
            .map_or("", |(_, v)| v)
    }

    /// The request's `tradeNo` set to `trade_no` (moved into the wire field, not copied).
    pub fn set_trade_no(&mut self, trade_no: String) {
        if let Some((_, value)) = self.fields.iter_mut().find(|(n, _)| *n == "tradeNo") {
            crate::wipe::string(value);
            *value = trade_no;
        }
    }

    /// The wire fields, taken out (for `wire_fields`).
    pub fn into_fields(mut self) -> Vec<(&'static str, String)> {
        std::mem::take(&mut self.fields)
    }
}

impl Drop for Outgoing<'_> {
    /// Every value is wiped: a request may carry a payment code or an OAuth code.
    fn drop(&mut self) {
        for (_, value) in &mut self.fields {
            crate::wipe::string(value);
        }
    }
}

/// What a request says about money, typed: the values binding checks an answer against
/// (spec section 9) and the journal records, beside the request's `tradeNo`
/// ([`Outgoing::trade_no`], [`Outgoing::trade_no_of`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Money<'a> {
    /// `amount` in fen, when sent.
    pub amount: Option<u64>,
    /// `total_amount` in fen, when sent.
    pub total_amount: Option<u64>,
    /// `txnAmt` in fen, when sent (a refund of part of an order).
    pub txn_amt: Option<u64>,
    /// `selOrderNo` ("" = not sent).
    pub sel_order_no: &'a str,
    /// `payChannel` ("" = not sent).
    pub pay_channel: &'a str,
    /// The order the request is about: a refund's `orderNo`, a query's or a revoke's `qryNo`
    /// ("" for a sale, which is its own).
    pub of_order: &'a str,
}

impl<'a> Money<'a> {
    /// Records the text value of the wire field `wire` if it is one of the money facts
    /// (`selOrderNo`, `payChannel`, the order: `orderNo` or `qryNo`).
    pub fn set(&mut self, wire: &str, value: &'a str) {
        match wire {
            "selOrderNo" => self.sel_order_no = value,
            "payChannel" => self.pay_channel = value,
            "orderNo" | "qryNo" => self.of_order = value,
            _ => {}
        }
    }

    /// Records the amount of the wire field `wire` if it is one (`amount`, `total_amount`,
    /// `txnAmt`).
    pub fn set_fen(&mut self, wire: &str, fen: u64) {
        if let Some(slot) = self.fen_slot(wire) {
            *slot = Some(fen);
        }
    }

    /// Where the amount sent as `wire` is kept, if it is one.
    fn fen_slot(&mut self, wire: &str) -> Option<&mut Option<u64>> {
        match wire {
            "amount" => Some(&mut self.amount),
            "total_amount" => Some(&mut self.total_amount),
            "txnAmt" => Some(&mut self.txn_amt),
            _ => None,
        }
    }

    /// The money facts of fields that come as text from the caller (`Client::call`,
    /// `starpos_call`, whose fields are JSON): read once, here. An amount that is not a
    /// number of fen is left out (the gateway refuses it; nothing to bind it to).
    pub fn of_wire(fields: &[(&str, &'a str)]) -> Money<'a> {
        let mut money = Money::default();
        // In order, so that the last of a repeated name is kept: the one the gateway reads.
        for (name, value) in fields {
            if let Some(slot) = money.fen_slot(name) {
                *slot = value.parse().ok();
            } else if *name != "qryNo" {
                money.set(name, value);
            }
        }
        // A request names its order by `orderNo` (a refund), else by `qryNo`.
        if money.of_order.is_empty() {
            if let Some((_, qry_no)) = fields.iter().rev().find(|(n, _)| *n == "qryNo") {
                money.of_order = qry_no;
            }
        }
        money
    }
}
