//! An outgoing request: its validated wire fields (wiped when dropped) and, beside them, what
//! it says about money as typed values ([`Money`]), which binding (`model::bind`) and the
//! journal (`ledger`) read instead of parsing the wire text back.

use zeroize::Zeroize;

/// A request ready to sign: wire fields in order, and its money facts typed.
pub(crate) struct Outgoing {
    /// The request's own wire fields (the common ones are added when it is sent).
    pub fields: Vec<(&'static str, String)>,
    /// What it says about money.
    pub money: Money,
}

impl Outgoing {
    /// `fields` and `money`, whose `trade_no` is taken from the fields' `tradeNo` (empty until
    /// the client numbers the request).
    pub fn new(fields: Vec<(&'static str, String)>, mut money: Money) -> Outgoing {
        if let Some((_, t)) = fields.iter().find(|(n, _)| *n == "tradeNo") {
            money.trade_no.clone_from(t);
        }
        Outgoing { fields, money }
    }

    /// The request's `tradeNo` set to `trade_no` on the wire and in [`Money`] alike.
    pub fn set_trade_no(&mut self, trade_no: String) {
        for (name, value) in self.fields.iter_mut() {
            if *name == "tradeNo" {
                value.clone_from(&trade_no);
            }
        }
        self.money.trade_no = trade_no;
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
            value.zeroize();
        }
    }
}

/// What a request says about money, typed: the values binding checks an answer against
/// (spec section 9) and the journal records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Money {
    /// `tradeNo` ("" = the request has none: `pubSigQry`, `pubSigPay`).
    pub trade_no: String,
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
            trade_no: text("tradeNo").to_owned(),
            amount: fen("amount"),
            total_amount: fen("total_amount"),
            txn_amt: fen("txnAmt"),
            sel_order_no: text("selOrderNo").to_owned(),
            pay_channel: text("payChannel").to_owned(),
            of_order: of_order.to_owned(),
        }
    }
}
