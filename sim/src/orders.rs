//! The simulated orders: what `pubSigPay` creates, `sdkQryBarcodePay` reports and
//! `sdkRefundBarcodePay` refunds, with the payer's side (`confirm`, `cancel`) and lazy
//! settlement.

use crate::clock;
use crate::codes::{self, Refusal};
use starpos::sign::md5_hex;
use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::time::{Duration, Instant};

/// A snapshot of one simulated order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    /// `S` paid, `F` failed (the payer cancelled), `A` waiting for the payer, `Z` unknown,
    /// `D` revoked (`Z` and `D` only through [`Simulator::force_state`](crate::Simulator::force_state)).
    pub state: char,
    /// The gateway serial number `pubSigPay` answered.
    pub log_no: String,
    /// The order number the query reports now: equal to `log_no` while the order is not paid,
    /// the channel's own number (`4200…`, 28 digits) once it is `S`.
    pub order_no: String,
    /// The channel order number, once the order has been paid.
    pub channel_order_no: Option<String>,
    /// The amount paid, in fen.
    pub amount: u64,
    /// The order total, in fen.
    pub total_amount: u64,
    /// How much has been refunded so far, in fen.
    pub refunded: u64,
    /// The refunds, oldest first.
    pub refunds: Vec<Refund>,
    /// `subject` as sent (empty when absent).
    pub subject: String,
    /// `selOrderNo` as sent (empty when absent).
    pub sel_order_no: String,
    /// `goods_tag` as sent (empty when absent); answered as `goodsTag`.
    pub goods_tag: String,
    /// `attach` as sent (empty when absent).
    pub attach: String,
    /// The OAuth `code` the payment used (empty when it used `openid`).
    pub code: String,
    /// The `openid` the payment used (empty when it used `code`).
    pub openid: String,
    /// The terminal that sent the payment.
    pub trm_no: String,
    /// The `PrepayId` answered.
    pub prepay_id: String,
}

impl Order {
    /// How much can still be refunded, in fen.
    pub fn refundable(&self) -> u64 {
        self.amount.saturating_sub(self.refunded)
    }
}

/// One refund booked on an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refund {
    /// The refund's own serial number (`logNo` of the refund answer).
    pub log_no: String,
    /// The `tradeNo` of the refund request.
    pub trade_no: String,
    /// The amount refunded, in fen.
    pub amount: u64,
}

/// What a valid `pubSigPay` asks for.
#[derive(Clone, Debug, Default)]
pub(crate) struct NewOrder {
    pub amount: u64,
    pub total_amount: u64,
    pub subject: String,
    pub sel_order_no: String,
    pub goods_tag: String,
    pub attach: String,
    pub code: String,
    pub openid: String,
    pub trm_no: String,
}

struct Entry {
    order: Order,
    created: Instant,
}

/// Every order, findable by any of its numbers.
pub(crate) struct OrderBook {
    orders: Vec<Entry>,
    /// logNo, every orderNo and selOrderNo → index in `orders`.
    index: HashMap<String, usize>,
    used_codes: HashSet<String>,
    refund_trade_nos: HashSet<String>,
    seq: u64,
    settle_after: Option<Duration>,
    hasher: RandomState,
}

const TEN_DIGITS: u64 = 10_000_000_000;

impl OrderBook {
    /// An empty book whose `A` orders become `S` once `settle_after` has passed.
    pub fn new(settle_after: Option<Duration>) -> Self {
        OrderBook {
            orders: Vec::new(),
            index: HashMap::new(),
            used_codes: HashSet::new(),
            refund_trade_nos: HashSet::new(),
            // Start somewhere that depends on the time, so numbers differ between runs.
            seq: (clock::unix_nanos() % 1_000_000_000) as u64,
            settle_after,
            hasher: RandomState::new(),
        }
    }

    fn next_seq(&mut self) -> u64 {
        self.seq = (self.seq + 1) % TEN_DIGITS;
        self.seq
    }

    /// A new gateway serial number: the China date and ten digits (18 digits, like the sandbox).
    pub fn new_log_no(&mut self) -> String {
        let seq = self.next_seq();
        format!("{}{seq:010}", &clock::sys_time()[..8])
    }

    /// A new channel order number in WeChat's shape: `4200`, then 24 digits.
    fn new_channel_no(&mut self) -> String {
        let seq = self.next_seq();
        format!(
            "4200{:06}{}{seq:010}",
            seq % 1_000_000,
            &clock::sys_time()[..8]
        )
    }

    /// 32 lower-case hex characters that are hard to guess (a nonce, a prepay id's tail).
    pub fn token(&mut self) -> String {
        let seq = self.next_seq();
        let salt = self.hasher.hash_one((seq, clock::unix_nanos()));
        md5_hex(format!("{seq}:{salt}:{}", clock::unix_nanos()).as_bytes())
    }

    fn find(&mut self, no: &str) -> Option<usize> {
        let idx = *self.index.get(no)?;
        self.refresh(idx);
        Some(idx)
    }

    /// Settles an `A` order whose time has come.
    fn refresh(&mut self, idx: usize) {
        let Some(after) = self.settle_after else {
            return;
        };
        let due = self
            .orders
            .get(idx)
            .is_some_and(|e| e.order.state == 'A' && e.created.elapsed() >= after);
        if due {
            self.settle(idx);
        }
    }

    /// Marks the order paid and gives it its channel order number.
    fn settle(&mut self, idx: usize) {
        let channel = self.new_channel_no();
        if let Some(entry) = self.orders.get_mut(idx) {
            entry.order.state = 'S';
            entry.order.order_no = channel.clone();
            entry.order.channel_order_no = Some(channel.clone());
            self.index.insert(channel, idx);
        }
    }

    /// Books a payment (state `A`), or refuses it: a used OAuth code, a repeated `selOrderNo`.
    pub fn pay(&mut self, new: NewOrder, prepay_id: String) -> Result<Order, Refusal> {
        if !new.code.is_empty() && self.used_codes.contains(&new.code) {
            return Err(Refusal::new(
                codes::CODE_USED,
                "授权码已使用: code was already used (OAuth codes are single-use)",
            ));
        }
        if !new.sel_order_no.is_empty() && self.index.contains_key(&new.sel_order_no) {
            return Err(Refusal::new(
                codes::DUPLICATE,
                "订单号重复: selOrderNo was already used",
            ));
        }
        let log_no = self.new_log_no();
        let order = Order {
            state: 'A',
            log_no: log_no.clone(),
            order_no: log_no.clone(),
            channel_order_no: None,
            amount: new.amount,
            total_amount: new.total_amount,
            refunded: 0,
            refunds: Vec::new(),
            subject: new.subject,
            sel_order_no: new.sel_order_no,
            goods_tag: new.goods_tag,
            attach: new.attach,
            code: new.code,
            openid: new.openid,
            trm_no: new.trm_no,
            prepay_id,
        };
        let idx = self.orders.len();
        if !order.code.is_empty() {
            self.used_codes.insert(order.code.clone());
        }
        if !order.sel_order_no.is_empty() {
            self.index.insert(order.sel_order_no.clone(), idx);
        }
        self.index.insert(log_no, idx);
        self.orders.push(Entry {
            order: order.clone(),
            created: Instant::now(),
        });
        Ok(order)
    }

    /// The refund whose `tradeNo` or `logNo` is `no`, with its order: how a terminal learns
    /// the outcome of a refund whose answer it never got.
    pub fn find_refund(&mut self, no: &str) -> Option<(Order, Refund)> {
        self.orders.iter().find_map(|entry| {
            let refund = entry
                .order
                .refunds
                .iter()
                .find(|r| r.trade_no == no || r.log_no == no)?;
            Some((entry.order.clone(), refund.clone()))
        })
    }

    /// The order known by `no` (any of its numbers), settled if its time has come.
    pub fn get(&mut self, no: &str) -> Option<Order> {
        let idx = self.find(no)?;
        self.orders.get(idx).map(|e| e.order.clone())
    }

    /// Every order, oldest first.
    pub fn all(&mut self) -> Vec<Order> {
        for idx in 0..self.orders.len() {
            self.refresh(idx);
        }
        self.orders.iter().map(|e| e.order.clone()).collect()
    }

    /// The payer pays: `A` → `S`. False when unknown or not `A`.
    pub fn confirm(&mut self, no: &str) -> bool {
        match self.find(no) {
            Some(idx) if self.orders[idx].order.state == 'A' => {
                self.settle(idx);
                true
            }
            _ => false,
        }
    }

    /// The payer cancels: `A` → `F`. False when unknown or not `A`.
    pub fn cancel(&mut self, no: &str) -> bool {
        match self.find(no) {
            Some(idx) if self.orders[idx].order.state == 'A' => {
                self.orders[idx].order.state = 'F';
                true
            }
            _ => false,
        }
    }

    /// Sets any state. Going to `S` gives the order its channel number, as settling does.
    pub fn force_state(&mut self, no: &str, state: char) -> bool {
        let Some(idx) = self.find(no) else {
            return false;
        };
        if state == 'S' && self.orders[idx].order.channel_order_no.is_none() {
            self.settle(idx);
        } else {
            self.orders[idx].order.state = state;
        }
        true
    }

    /// Refunds `amount` fen (all that remains when `None`) of the paid order known by `no`.
    pub fn refund(
        &mut self,
        no: &str,
        amount: Option<u64>,
        trade_no: &str,
    ) -> Result<(Order, Refund), Refusal> {
        let Some(idx) = self.find(no) else {
            return Err(Refusal::new(
                codes::ORDER_NOT_FOUND,
                format!("订单不存在: no order has orderNo {no}"),
            ));
        };
        let order = &self.orders[idx].order;
        if order.state != 'S' {
            return Err(Refusal::new(
                codes::ORDER_STATE,
                format!(
                    "订单状态不允许退款: order is {}, only a paid order (S) can be refunded",
                    order.state
                ),
            ));
        }
        let remaining = order.refundable();
        let amount = amount.unwrap_or(remaining);
        if remaining == 0 {
            return Err(Refusal::new(
                codes::REFUND_TOO_LARGE,
                "退款金额超限: the order is already fully refunded",
            ));
        }
        if amount > remaining {
            return Err(Refusal::new(
                codes::REFUND_TOO_LARGE,
                format!("退款金额超限: txnAmt {amount} exceeds the {remaining} fen that remain refundable"),
            ));
        }
        if self.refund_trade_nos.contains(trade_no) {
            return Err(Refusal::new(
                codes::DUPLICATE,
                "交易流水号重复: tradeNo was already used by a refund",
            ));
        }
        self.refund_trade_nos.insert(trade_no.to_owned());
        let refund = Refund {
            log_no: self.new_log_no(),
            trade_no: trade_no.to_owned(),
            amount,
        };
        let order = &mut self.orders[idx].order;
        order.refunded += amount;
        order.refunds.push(refund.clone());
        Ok((order.clone(), refund))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_order(code: &str, amount: u64) -> NewOrder {
        NewOrder {
            amount,
            total_amount: amount,
            code: code.into(),
            ..NewOrder::default()
        }
    }

    #[test]
    fn pay_confirm_refund() {
        let mut book = OrderBook::new(None);
        let order = book.pay(new_order("c1", 100), "p".into()).unwrap();
        assert_eq!(order.state, 'A');
        assert_eq!(order.order_no, order.log_no);
        assert_eq!(order.log_no.len(), 18);
        assert!(book.pay(new_order("c1", 100), "p".into()).is_err());
        assert!(book.refund(&order.log_no, None, "t0").is_err());
        assert!(book.confirm(&order.log_no));
        assert!(!book.confirm(&order.log_no));
        let paid = book.get(&order.log_no).unwrap();
        assert_eq!(paid.state, 'S');
        assert_ne!(paid.order_no, paid.log_no);
        assert_eq!(paid.order_no.len(), 28);
        assert!(paid.order_no.starts_with("4200"));
        assert_eq!(book.get(&paid.order_no).unwrap().log_no, order.log_no);
        assert_eq!(
            book.refund(&paid.order_no, Some(101), "t1")
                .unwrap_err()
                .code,
            codes::REFUND_TOO_LARGE
        );
        let (after, refund) = book.refund(&paid.order_no, Some(30), "t2").unwrap();
        assert_eq!((after.refunded, refund.amount), (30, 30));
        assert_eq!(
            book.refund(&paid.order_no, None, "t2").unwrap_err().code,
            codes::DUPLICATE
        );
        let (after, refund) = book.refund(&paid.order_no, None, "t3").unwrap();
        assert_eq!((after.refunded, refund.amount), (100, 70));
        assert_eq!(
            book.refund(&paid.order_no, None, "t4").unwrap_err().code,
            codes::REFUND_TOO_LARGE
        );
    }

    #[test]
    fn cancel_and_settle() {
        let mut book = OrderBook::new(Some(Duration::ZERO));
        let a = book.pay(new_order("a", 1), "p".into()).unwrap();
        assert_eq!(book.get(&a.log_no).unwrap().state, 'S');
        let mut book = OrderBook::new(None);
        let b = book.pay(new_order("b", 1), "p".into()).unwrap();
        assert!(book.cancel(&b.log_no));
        assert_eq!(book.get(&b.log_no).unwrap().state, 'F');
        assert!(!book.confirm(&b.log_no));
        assert!(!book.cancel("nope"));
    }
}
