//! The end of the day: what a cashier prints at closing, added up from the journal's entries.

use super::{Entry, Kind};
use crate::error::Status;
use crate::model::TxnResult;

/// One line of the closing summary: the sales of one kind on one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    /// What the sales are.
    pub kind: Kind,
    /// Their `payChannel` ([`Entry::pay_channel`]); empty while the channel is not known.
    pub pay_channel: String,
    /// How many sales the journal holds for this row: paid, failed, refused and open alike.
    pub count: u32,
    /// Fen paid: the amounts of the settled pays whose result is `S` (a QR order made but not
    /// yet paid is not paid).
    pub paid_fen: u64,
    /// Fen refunded: the amounts of the settled refunds whose result is `S`.
    pub refunded_fen: u64,
    /// Fen revoked: the amounts of the settled revokes whose result is `S` (the sales they
    /// revoked, which the journal then records as `D`: not in `paid_fen`).
    pub revoked_fen: u64,
    /// The sales still open (not settled: outcome unknown, or a QR order not paid yet), each
    /// by its `tradeNo` (a `pubSigPay`'s `logNo`, else its journal id), oldest first. Query
    /// them (`recover`) before closing.
    pub open: Vec<String>,
}

/// True when the entry is final with the money moved: settled, status OK, result `S`.
fn succeeded(entry: &Entry) -> bool {
    entry.settled && entry.status == Status::Ok && entry.result == Some(TxnResult::Success)
}

/// The key a person looks an open sale up by.
fn handle(entry: &Entry) -> &str {
    [&entry.trade_no, &entry.log_no, &entry.id]
        .into_iter()
        .find(|s| !s.is_empty())
        .map_or("", |s| s.as_str())
}

/// The closing summary of `entries` (as [`super::Journal::entries`] lists them): one row per
/// (kind, channel) that has a sale, in the order of [`Kind::ALL`], then of the channel's name.
/// Pure: reads nothing, sends nothing.
pub fn summary(entries: &[Entry]) -> Vec<SummaryRow> {
    let mut rows: Vec<SummaryRow> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let r = match rows
            .iter()
            .position(|r| r.kind == entry.kind && r.pay_channel == entry.pay_channel)
        {
            Some(i) => i,
            None => {
                rows.push(SummaryRow {
                    kind: entry.kind,
                    pay_channel: entry.pay_channel.clone(),
                    count: 0,
                    paid_fen: 0,
                    refunded_fen: 0,
                    revoked_fen: 0,
                    open: Vec::new(),
                });
                rows.len() - 1
            }
        };
        let row = &mut rows[r];
        row.count = row.count.saturating_add(1);
        // A sale revoked twice (a second revoke the gateway also answered S) gave its money
        // back once.
        let repeated = entry.kind == Kind::Revoke
            && entries[..i]
                .iter()
                .any(|e| e.kind == Kind::Revoke && succeeded(e) && e.order_no == entry.order_no);
        if succeeded(entry) && !repeated {
            let total = match entry.kind {
                Kind::Refund => &mut row.refunded_fen,
                Kind::Revoke => &mut row.revoked_fen,
                _ => &mut row.paid_fen,
            };
            *total = total.saturating_add(entry.amount);
        }
        if !entry.settled {
            row.open.push(handle(entry).to_owned());
        }
    }
    let rank = |kind: Kind| Kind::ALL.iter().position(|k| *k == kind);
    rows.sort_by(|a, b| (rank(a.kind), &a.pay_channel).cmp(&(rank(b.kind), &b.pay_channel)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: Kind, channel: &str, no: &str, amount: u64) -> Entry {
        Entry {
            id: format!("id-{no}"),
            trade_no: no.into(),
            amount,
            total_amount: amount,
            pay_channel: channel.into(),
            ..Entry::new(kind)
        }
    }

    /// Final with `result` (status OK, settled).
    fn settled(mut e: Entry, result: TxnResult) -> Entry {
        e.status = Status::Ok;
        e.result = Some(result);
        e.settled = true;
        e
    }

    fn row<'a>(rows: &'a [SummaryRow], kind: Kind, channel: &str) -> &'a SummaryRow {
        rows.iter()
            .find(|r| r.kind == kind && r.pay_channel == channel)
            .unwrap_or_else(|| panic!("no row {kind:?} {channel}: {rows:?}"))
    }

    #[test]
    fn nothing_sums_to_no_rows() {
        assert_eq!(summary(&[]), Vec::new());
    }

    #[test]
    fn mixed_kinds_and_channels_each_get_a_row() {
        let entries = [
            settled(
                entry(Kind::BarcodePay, "WXPAY", "B1", 100),
                TxnResult::Success,
            ),
            settled(
                entry(Kind::BarcodePay, "ALIPAY", "B2", 200),
                TxnResult::Success,
            ),
            settled(
                entry(Kind::BarcodePay, "WXPAY", "B3", 300),
                TxnResult::Success,
            ),
            settled(entry(Kind::Refund, "WXPAY", "R1", 40), TxnResult::Success),
            settled(entry(Kind::Pay, "", "", 7), TxnResult::Success),
        ];
        let rows = summary(&entries);
        // Kind::ALL's order, then the channel's name.
        let keys: Vec<(Kind, &str)> = rows
            .iter()
            .map(|r| (r.kind, r.pay_channel.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                (Kind::Pay, ""),
                (Kind::BarcodePay, "ALIPAY"),
                (Kind::BarcodePay, "WXPAY"),
                (Kind::Refund, "WXPAY"),
            ]
        );
        let wx = row(&rows, Kind::BarcodePay, "WXPAY");
        assert_eq!((wx.count, wx.paid_fen, wx.refunded_fen), (2, 400, 0));
        assert!(wx.open.is_empty());
        let refunds = row(&rows, Kind::Refund, "WXPAY");
        assert_eq!(
            (refunds.count, refunds.paid_fen, refunds.refunded_fen),
            (1, 0, 40)
        );
        assert_eq!(row(&rows, Kind::BarcodePay, "ALIPAY").paid_fen, 200);
        assert_eq!(row(&rows, Kind::Pay, "").paid_fen, 7);
        assert!(rows.iter().all(|r| r.revoked_fen == 0));
    }

    #[test]
    fn failed_refused_and_open_sales_count_but_pay_nothing() {
        let mut refused = entry(Kind::BarcodePay, "ALIPAY", "B3", 30);
        refused.status = Status::Gateway;
        refused.settled = true;
        let mut waiting = entry(Kind::BarcodePay, "ALIPAY", "B4", 40);
        waiting.result = Some(TxnResult::Waiting);
        let mut pay_lost = entry(Kind::Pay, "", "", 50);
        pay_lost.id = "18c-2a-0".into();
        let mut pay_answered = entry(Kind::Pay, "", "", 60);
        pay_answered.log_no = "L6".into();
        let entries = [
            settled(
                entry(Kind::BarcodePay, "ALIPAY", "B1", 10),
                TxnResult::Success,
            ),
            settled(
                entry(Kind::BarcodePay, "ALIPAY", "B2", 20),
                TxnResult::Failed,
            ),
            refused,
            waiting,
            settled(entry(Kind::Refund, "ALIPAY", "R1", 5), TxnResult::Failed),
            entry(Kind::Refund, "ALIPAY", "R2", 6),
            pay_lost,
            pay_answered,
        ];
        let rows = summary(&entries);
        let ali = row(&rows, Kind::BarcodePay, "ALIPAY");
        assert_eq!((ali.count, ali.paid_fen), (4, 10));
        assert_eq!(ali.open, ["B4"]);
        let refunds = row(&rows, Kind::Refund, "ALIPAY");
        assert_eq!((refunds.count, refunds.refunded_fen), (2, 0));
        assert_eq!(refunds.open, ["R2"]);
        // Without a tradeNo, a pubSigPay is listed by its logNo, else its journal id.
        assert_eq!(row(&rows, Kind::Pay, "").open, ["18c-2a-0", "L6"]);
    }

    #[test]
    fn a_qr_order_made_is_open_until_paid() {
        // Answered S to the pay: only the order was made (no result, not settled).
        let mut made = entry(Kind::QrPay, "WXPAY", "Q1", 500);
        made.error = "QR order made (answered S), not paid yet".into();
        let paid = settled(entry(Kind::QrPay, "WXPAY", "Q2", 800), TxnResult::Success);
        let rows = summary(&[made, paid]);
        let qr = row(&rows, Kind::QrPay, "WXPAY");
        assert_eq!((qr.count, qr.paid_fen), (2, 800));
        assert_eq!(qr.open, ["Q1"]);
    }

    #[test]
    fn an_s_not_settled_is_not_money() {
        // A result S on an entry still open (e.g. a newer library's record) is not counted.
        let mut odd = entry(Kind::BarcodePay, "WXPAY", "B1", 100);
        odd.result = Some(TxnResult::Success);
        let rows = summary(&[odd]);
        assert_eq!(row(&rows, Kind::BarcodePay, "WXPAY").paid_fen, 0);
    }

    #[test]
    fn a_revoked_sale_is_revoked_not_paid_and_counts_once() {
        // The sale the revoke undid is recorded D; two revokes of it both answered S.
        let sale = settled(
            entry(Kind::BarcodePay, "WXPAY", "B1", 900),
            TxnResult::Revoked,
        );
        let mut first = settled(entry(Kind::Revoke, "WXPAY", "V1", 900), TxnResult::Success);
        first.order_no = "B1".into();
        let mut again = settled(entry(Kind::Revoke, "WXPAY", "V2", 900), TxnResult::Success);
        again.order_no = "B1".into();
        let mut refused = entry(Kind::Revoke, "WXPAY", "V3", 300);
        refused.order_no = "B7".into();
        refused.status = Status::Gateway;
        refused.settled = true;
        let mut open = entry(Kind::Revoke, "WXPAY", "V4", 400);
        open.order_no = "B8".into();
        let rows = summary(&[sale, first, again, refused, open]);
        let sales = row(&rows, Kind::BarcodePay, "WXPAY");
        assert_eq!((sales.paid_fen, sales.revoked_fen), (0, 0));
        let revokes = row(&rows, Kind::Revoke, "WXPAY");
        assert_eq!(
            (revokes.count, revokes.paid_fen, revokes.revoked_fen),
            (4, 0, 900)
        );
        assert_eq!(revokes.open, ["V4"]);
        assert_eq!(rows.last().map(|r| r.kind), Some(Kind::Revoke));
    }
}
