//! An outgoing request: its validated wire fields (wiped when dropped) and, beside them, what
//! it says about money as typed values ([`Money`]), which binding (`model::bind`) and the
//! journal (`ledger`) read instead of parsing the wire text back. The `tradeNo` is read from
//! the wire field itself ([`Outgoing::trade_no`]): one copy, not one per reader.

/// A request ready to sign: wire fields in order, and its money facts typed.
pub(crate) struct Outgoing {
    /// The request's own wire fields (the common ones are added when it is sent).
    pub fields: Vec<(&'static str, String)>,
    /// What it says about money.
    pub money: Money,
}

impl Outgoing {
    /// `fields` and `money`.
    pub fn new(fields: Vec<(&'static str, String)>, money: Money) -> Outgoing {
        Outgoing { fields, money }
    }

    /// The request's `tradeNo` ("" = it has none, `pubSigQry`, `pubSigPay`, or the client has
    /// not numbered it yet).
    pub fn trade_no(&self) -> &str {
        Outgoing::trade_no_of(self.fields.iter().map(|(n, v)| (*n, v.as_str())))
    }

    /// The `tradeNo` among wire `fields` (the last one, as the gateway reads a repeated name;
    /// "" when absent).
    pub fn trade_no_of<'a>(fields: impl DoubleEndedIterator<Item = (&'a str, &'a str)>) -> &'a str {
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

impl Drop for Outgoing {
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
pub(crate) struct Money {
    /// `amount` in fen, when sent.
    pub amount: Option<u64>,
    /// `total_amount` in fen, when sent.
    pub total_amount: Option<u64>,
    /// `txnAmt` in fen, when sent (a refund of part of an order).
    pub txn_amt: Option<u64>,
    /// `selOrderNo` ("" = not sent).
    pub sel_order_no: String,
    /// `payChannel` ("" = not sent).
    pub pay_channel: String,
    /// The order the request is about: a refund's `orderNo`, a query's or a revoke's `qryNo`
    /// ("" for a sale, which is its own).
    pub of_order: String,
}

impl Money {
    /// The money facts of fields that come as text from the caller (`Client::call`,
    /// `starpos_call`, whose fields are JSON): read once, here. An amount that is not a
    /// number of fen is left out (the gateway refuses it; nothing to bind it to).
    pub fn of_wire(fields: &[(&str, &str)]) -> Money {
        let text = |name: &str| {
            fields
                .iter()
                .rev()
                .find(|(n, _)| *n == name)
                .map_or("", |(_, v)| *v)
        };
        let fen = |name: &str| text(name).parse::<u64>().ok();
        let of_order = match text("orderNo") {
            "" => text("qryNo"),
            order => order,
        };
        Money {
            amount: fen("amount"),
            total_amount: fen("total_amount"),
            txn_amt: fen("txnAmt"),
            sel_order_no: text("selOrderNo").to_owned(),
            pay_channel: text("payChannel").to_owned(),
            of_order: of_order.to_owned(),
        }
    }
}
