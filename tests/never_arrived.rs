//! "Never arrived, no money moved" only on proof: two cases the crash loop can reach only by
//! chance, made certain (both failed before the fixes of issue 16's review):
//!
//! - a gateway too busy to answer queries for ten minutes says nothing of a sale's money: the
//!   sale's pay was booked (and paid) but its answer never came, and every query for the next
//!   12 minutes of the gateway's clock is refused with the gateway's signed "busy"
//!   (`SYSTEM_BUSY`) echoing the query's `tradeNo` — the gateway's word that it will not say
//!   now, not that it does not know the sale;
//! - two refunds of one order open at once (one journaled when the power went, never sent; a
//!   later one whose answer was lost): the order's `refAmt` must not be given to the wrong one.

mod common;

use common::*;
use starpos::{BarcodePayRequest, Status};
use starpos_sim::Fault;
use std::time::Duration;

#[test]

fn busy_queries_never_prove_a_sale_never_arrived() {
    let sim = sim();
    let dir = TempDir::new("busy-spell");
    let mut config = config(&sim).with_timeouts(Duration::from_secs(1), Duration::from_millis(400));
    config.journal_path = Some(dir.join("sales.journal"));
    let client = starpos::Client::new(config).unwrap();
    sim.inject_for(Some("sdkBarcodePay"), 1, Fault::NeverAnswer);
    let code = wechat_code('0');
    let lost = client
        .barcode_pay(&BarcodePayRequest {
            auth_code: &code,
            amount: 7,
            total_amount: 7,
            ..Default::default()
        })
        .unwrap_err();
    assert!(lost.in_doubt(), "{lost}");
    let trade_no = lost.trade_no().unwrap().to_owned();
    assert_eq!(sim.order(&trade_no).unwrap().state, 'S');

    sim.inject_for(Some("sdkQryBarcodePay"), 1000, Fault::Busy);
    for _ in 0..3 {
        client.recover(Duration::from_millis(1200), |_| {}).unwrap();
        sim.advance(Duration::from_secs(6 * 60));
    }
    let entry = client
        .journal_entries()
        .unwrap()
        .into_iter()
        .find(|e| e.trade_no == trade_no)
        .unwrap();
    assert!(
        !(entry.settled && entry.status != Status::Ok),
        "{trade_no} is paid at the gateway, but the journal says no money moved: {entry:?}"
    );
}

/// Two refunds of one order open at once: one journaled when the power went (never sent), a
/// later one of the whole order whose answer was lost. The order's `refAmt` is the later one's:
/// recovery must not take it as the first's and settle the booked one "never arrived".
#[test]

fn a_lost_refund_is_not_mistaken_for_an_older_unsent_one() {
    use starpos::journal::{Entry, Journal, Kind, DEFAULT_RETENTION};
    let sim = sim();
    let dir = TempDir::new("two-refunds");
    let path = dir.join("sales.journal");
    let mut config = config(&sim).with_timeouts(Duration::from_secs(1), Duration::from_millis(400));
    config.journal_path = Some(path.clone());
    let client = starpos::Client::new(config).unwrap();
    let code = wechat_code('0');
    let paid = client
        .barcode_pay(&BarcodePayRequest {
            auth_code: &code,
            amount: 20,
            total_amount: 20,
            ..Default::default()
        })
        .unwrap();
    let order_no = sim.order(&paid.trade_no).unwrap().order_no;
    // A refund of half, journaled when the power went: never sent.
    let mut unsent = Entry::new(Kind::Refund);
    unsent.trade_no = starpos::unversioned::clock::new_trade_no(starpos_sim::DEFAULT_TRM_NO);
    unsent.order_no = order_no.clone();
    unsent.amount = 10;
    unsent.txn_time = starpos::unversioned::clock::local_txn_time();
    Journal::open(&path, DEFAULT_RETENTION)
        .unwrap()
        .begin(unsent.clone())
        .unwrap();
    // The whole order refunded, its answer lost.
    sim.inject_for(Some("sdkRefundBarcodePay"), 1, Fault::NeverAnswer);
    let lost = client
        .refund(&starpos::RefundRequest {
            order_no: &order_no,
            txn_amt: 20,
            ..Default::default()
        })
        .unwrap_err();
    let booked = lost.trade_no().unwrap().to_owned();
    assert_eq!(sim.order(&order_no).unwrap().refunded, 20);
    for _ in 0..3 {
        client.recover(Duration::from_millis(1200), |_| {}).unwrap();
        sim.advance(Duration::from_secs(6 * 60));
    }
    let entries = client.journal_entries().unwrap();
    let of = |no: &str| entries.iter().find(|e| e.trade_no == no).unwrap().clone();
    let (unsent, booked) = (of(&unsent.trade_no), of(&booked));
    assert!(
        !(booked.settled && booked.status != Status::Ok),
        "the refund booked at the gateway is said to move no money: {booked:?}"
    );
    assert!(
        !(unsent.settled && unsent.result == Some(starpos::TxnResult::Success)),
        "the refund never sent is settled refunded: {unsent:?}"
    );
}
