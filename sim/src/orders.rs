//! The simulated orders: what the three pays (`pubSigPay`, `sdkBarcodePay`,
//! `sdkBarcodePosPay`) create, `sdkQryBarcodePay` reports and `sdkRefundBarcodePay` refunds,
//! with the payer's side (`confirm`, `cancel`), lazy settlement and QR expiry on the
//! simulator's own clock (real time plus whatever [`OrderBook::advance`] added).

use crate::clock;
use crate::codes::{self, Refusal};
use starpos::sign::md5_hex;
use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::time::{Duration, Instant};

/// How long a QR sale (`sdkBarcodePosPay`) waits for the payer before it is closed (`F`).
pub const QR_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// The most simulated time can run ahead of real time (a century: far beyond any test, and
/// still an `Instant` the platform can represent).
const MAX_SKEW: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// Which request created an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrderKind {
    /// `pubSigPay`: the payer pays in WeChat with the official account.
    OfficialAccount,
    /// `sdkBarcodePay`: the terminal scanned the payer's payment code.
    Barcode,
    /// `sdkBarcodePosPay`: the terminal shows a QR code for the payer to scan.
    Qr,
}

impl OrderKind {
    /// The endpoint that creates orders of this kind.
    pub fn endpoint(self) -> &'static str {
        match self {
            OrderKind::OfficialAccount => "pubSigPay",
            OrderKind::Barcode => "sdkBarcodePay",
            OrderKind::Qr => "sdkBarcodePosPay",
        }
    }
}

/// A snapshot of one simulated order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    /// The request that created it.
    pub kind: OrderKind,
    /// The `tradeNo` of the counter sale that created it (empty for `pubSigPay`).
    pub trade_no: String,
    /// The wallet: `WXPAY` for `pubSigPay`, as sent for the counter sales.
    pub pay_channel: String,
    /// The QR sale's `payCode` (empty for the other kinds).
    pub pay_code: String,
    /// For a barcode sale: how many pay requests arrived with its `authCode`, this one
    /// included (1 unless something sent the code again). 0 for the other kinds.
    pub auth_code_pays: u32,
    /// True when a QR sale was closed (`F`) because nobody paid within [`QR_LIFETIME`].
    pub expired: bool,
    /// `S` paid, `F` failed (the payer cancelled), `A` waiting for the payer, `Z` unknown,
    /// `D` revoked (by `RevokeBarcodepay`, or through
    /// [`Simulator::force_state`](crate::Simulator::force_state); `Z` only through the latter).
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
    /// The `RevokeBarcodepay` that made the order `D` (none while it is not revoked, or when
    /// [`Simulator::force_state`](crate::Simulator::force_state) made it `D`). Later revokes of
    /// the same order answer `S` again and change nothing here.
    pub revoke: Option<Revoke>,
    /// `subject` as sent (empty when absent).
    pub subject: String,
    /// `selOrderNo` as sent (empty when absent).
    pub sel_order_no: String,
    /// `goods_tag` as sent (empty when absent); answered as `goodsTag`.
    pub goods_tag: String,
    /// `attach` as sent (empty when absent).
    pub attach: String,
    /// `addField` as a counter sale sent it (empty when absent): every answer about the
    /// order carries it, unless the request asking carries its own.
    pub add_field: String,
    /// The OAuth `code` a `pubSigPay` used (empty when it used `openid`, and for the counter
    /// sales: their `authCode` is never kept in a snapshot).
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

/// The revoke that undid an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revoke {
    /// The revoke answer's serial number (`LogNo`).
    pub log_no: String,
    /// The `tradeNo` of the revoke request.
    pub trade_no: String,
    /// The fen given back to the payer: the order's `amount` when it was paid (`S`, or `Z`),
    /// 0 when it was still waiting for the payer (`A`: closed, nothing had moved).
    pub returned: u64,
    /// The state the order was in when revoked (`S`, `Z` or `A`).
    pub was: char,
}

/// What a revoke did to the order it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Revoked {
    /// The order is `D` now (this request revoked it, or an earlier one did): answer `S`.
    Done(Order),
    /// The order failed (`F`): nothing to revoke, answer `F`.
    Failed(Order),
}

/// What a valid pay request asks for.
#[derive(Clone, Debug)]
pub(crate) struct NewOrder {
    pub kind: OrderKind,
    pub trade_no: String,
    pub pay_channel: String,
    /// The barcode sale's scanned code (kept in the book only, never in a snapshot).
    pub auth_code: String,
    pub amount: u64,
    pub total_amount: u64,
    pub subject: String,
    pub sel_order_no: String,
    pub goods_tag: String,
    pub attach: String,
    pub add_field: String,
    pub code: String,
    pub openid: String,
    pub trm_no: String,
}

impl Default for NewOrder {
    fn default() -> Self {
        NewOrder {
            kind: OrderKind::OfficialAccount,
            trade_no: String::new(),
            pay_channel: "WXPAY".to_owned(),
            auth_code: String::new(),
            amount: 0,
            total_amount: 0,
            subject: String::new(),
            sel_order_no: String::new(),
            goods_tag: String::new(),
            attach: String::new(),
            add_field: String::new(),
            code: String::new(),
            openid: String::new(),
            trm_no: String::new(),
        }
    }
}

/// What a barcode sale answers and how its order starts, by the scanned code's last digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Payer {
    /// `1`: the payer must enter a password: `A` until confirmed (or `settle_after`).
    Password,
    /// `2`: the payer's wallet refuses: `F`.
    Refuses,
    /// `3`: the money moves (`S` in the book) but the gateway answers `Z`.
    LostInTransit,
    /// Any other: paid at once, `S`.
    PaysAtOnce,
}

impl Payer {
    /// The behaviour a scanned code asks for.
    pub fn of(auth_code: &str) -> Payer {
        match auth_code.chars().last() {
            Some('1') => Payer::Password,
            Some('2') => Payer::Refuses,
            Some('3') => Payer::LostInTransit,
            _ => Payer::PaysAtOnce,
        }
    }

    /// The `result` the sale's answer carries.
    pub fn answered(self) -> char {
        match self {
            Payer::Password => 'A',
            Payer::Refuses => 'F',
            Payer::LostInTransit => 'Z',
            Payer::PaysAtOnce => 'S',
        }
    }
}

struct Entry {
    order: Order,
    /// When it was booked, on the simulated clock.
    created: Instant,
    /// The China date (`yyyyMMdd`) it was booked on, by the simulated clock.
    created_day: String,
}

/// Every order, findable by any of its numbers.
pub(crate) struct OrderBook {
    orders: Vec<Entry>,
    /// logNo, every orderNo and selOrderNo → index in `orders`.
    index: HashMap<String, usize>,
    used_codes: HashSet<String>,
    /// Every `tradeNo` an sdk request has taken (unique per merchant).
    trade_nos: HashSet<String>,
    /// Barcode `authCode` → how many pay requests carried it.
    auth_code_pays: HashMap<String, u32>,
    /// Barcode `authCode` → the order it paid (a code works once).
    auth_code_orders: HashMap<String, usize>,
    seq: u64,
    settle_after: Option<Duration>,
    /// How far simulated time runs ahead of real time.
    skew: Duration,
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
            trade_nos: HashSet::new(),
            auth_code_pays: HashMap::new(),
            auth_code_orders: HashMap::new(),
            // Start somewhere that depends on the time, so numbers differ between runs.
            seq: (clock::unix_nanos() % 1_000_000_000) as u64,
            settle_after,
            skew: Duration::ZERO,
            hasher: RandomState::new(),
        }
    }

    /// Now on the simulated clock: real time plus everything [`OrderBook::advance`] added.
    fn now(&self) -> Instant {
        let real = Instant::now();
        real.checked_add(self.skew).unwrap_or(real)
    }

    /// Moves the simulated clock forward by `by` (at most a century in all); returns how far
    /// it is ahead of real time now.
    pub fn advance(&mut self, by: Duration) -> Duration {
        self.skew = self.skew.saturating_add(by).min(MAX_SKEW);
        self.skew
    }

    /// How far the simulated clock is ahead of real time.
    pub fn skew(&self) -> Duration {
        self.skew
    }

    /// Today's China date (`yyyyMMdd`) on the simulated clock.
    fn today(&self) -> String {
        let now = clock::unix_seconds().saturating_add(self.skew.as_secs());
        clock::format_cst(now)[..8].to_owned()
    }

    /// Takes `trade_no` for an sdk request; [`codes::DUPLICATE`] when some request had it.
    pub fn take_trade_no(&mut self, trade_no: &str) -> Result<(), Refusal> {
        if !self.trade_nos.insert(trade_no.to_owned()) {
            return Err(Refusal::new(
                codes::DUPLICATE,
                format!("交易流水号重复: tradeNo {trade_no} was already used by another request"),
            ));
        }
        Ok(())
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

    /// Settles an `A` order whose payer's time has come, or closes a QR sale nobody paid
    /// within [`QR_LIFETIME`], whichever came first.
    fn refresh(&mut self, idx: usize) {
        let now = self.now();
        let Some(entry) = self.orders.get(idx).filter(|e| e.order.state == 'A') else {
            return;
        };
        let elapsed = now.saturating_duration_since(entry.created);
        let settle = self.settle_after.filter(|after| elapsed >= *after);
        let expire =
            (entry.order.kind == OrderKind::Qr && elapsed >= QR_LIFETIME).then_some(QR_LIFETIME);
        match (settle, expire) {
            (Some(after), Some(lifetime)) if after > lifetime => self.expire(idx),
            (Some(_), _) => self.settle(idx),
            (None, Some(_)) => self.expire(idx),
            (None, None) => {}
        }
    }

    /// Closes an unpaid QR sale.
    fn expire(&mut self, idx: usize) {
        if let Some(entry) = self.orders.get_mut(idx) {
            entry.order.state = 'F';
            entry.order.expired = true;
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

    /// Books a `pubSigPay` (state `A`), or refuses it: a used OAuth code, a repeated
    /// `selOrderNo`.
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
        if !new.code.is_empty() {
            self.used_codes.insert(new.code.clone());
        }
        let idx = self.insert(new, prepay_id, String::new());
        if let Some(sel) = self.orders.get(idx).map(|e| e.order.sel_order_no.clone()) {
            if !sel.is_empty() {
                self.index.insert(sel, idx);
            }
        }
        Ok(self.orders[idx].order.clone())
    }

    /// Books a barcode sale, or refuses it. Every call with a well-formed request counts as a
    /// pay attempt with its `authCode`, refused or not; then the `tradeNo` must be new
    /// ([`codes::DUPLICATE`]) and the code unused ([`codes::CODE_USED`]). The order starts as
    /// the code's last digit says ([`Payer`]); the answer's `result` is
    /// [`Payer::answered`].
    pub fn barcode_pay(&mut self, new: NewOrder) -> Result<(Order, Payer), Refusal> {
        let attempts = {
            let count = self
                .auth_code_pays
                .entry(new.auth_code.clone())
                .or_insert(0);
            *count = count.saturating_add(1);
            *count
        };
        if let Some(&idx) = self.auth_code_orders.get(&new.auth_code) {
            self.orders[idx].order.auth_code_pays = attempts;
        }
        self.take_trade_no(&new.trade_no)?;
        if self.auth_code_orders.contains_key(&new.auth_code) {
            return Err(Refusal::new(
                codes::CODE_USED,
                "付款码已使用: authCode was already used by an earlier pay (a code pays once)",
            ));
        }
        let payer = Payer::of(&new.auth_code);
        let auth_code = new.auth_code.clone();
        let idx = self.insert(new, String::new(), String::new());
        self.auth_code_orders.insert(auth_code, idx);
        self.orders[idx].order.auth_code_pays = attempts;
        match payer {
            Payer::Password => {}
            Payer::Refuses => self.orders[idx].order.state = 'F',
            Payer::LostInTransit | Payer::PaysAtOnce => self.settle(idx),
        }
        Ok((self.orders[idx].order.clone(), payer))
    }

    /// Books a QR sale (state `A`, closed after [`QR_LIFETIME`]), or refuses a repeated
    /// `tradeNo`. `pay_code` is the text the terminal shows as the QR code.
    pub fn qr_pay(&mut self, new: NewOrder, pay_code: String) -> Result<Order, Refusal> {
        self.take_trade_no(&new.trade_no)?;
        let idx = self.insert(new, String::new(), pay_code);
        Ok(self.orders[idx].order.clone())
    }

    /// Adds an order in state `A`, indexed by its `logNo` and its sale's `tradeNo`.
    fn insert(&mut self, new: NewOrder, prepay_id: String, pay_code: String) -> usize {
        let log_no = self.new_log_no();
        let order = Order {
            kind: new.kind,
            trade_no: new.trade_no,
            pay_channel: new.pay_channel,
            pay_code,
            auth_code_pays: 0,
            expired: false,
            state: 'A',
            log_no: log_no.clone(),
            order_no: log_no.clone(),
            channel_order_no: None,
            amount: new.amount,
            total_amount: new.total_amount,
            refunded: 0,
            refunds: Vec::new(),
            revoke: None,
            subject: new.subject,
            sel_order_no: new.sel_order_no,
            goods_tag: new.goods_tag,
            attach: new.attach,
            add_field: new.add_field,
            code: new.code,
            openid: new.openid,
            trm_no: new.trm_no,
            prepay_id,
        };
        let idx = self.orders.len();
        if !order.trade_no.is_empty() {
            self.index.insert(order.trade_no.clone(), idx);
        }
        self.index.insert(log_no, idx);
        let created = self.now();
        let created_day = self.today();
        self.orders.push(Entry {
            order,
            created,
            created_day,
        });
        idx
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

    /// Revokes the order known by `no` (any of its numbers): a paid (`S`) or unknown (`Z`)
    /// order gives the payer's money back and becomes `D`; a waiting one (`A`) is closed and
    /// becomes `D`, so the payer can no longer pay it (confirm, `settle_after` and QR expiry
    /// only act on `A`). An order already `D` stays as it is ([`Revoked::Done`], no second
    /// return); an `F` order is [`Revoked::Failed`]. Refused: an unknown order
    /// ([`codes::ORDER_NOT_FOUND`]), an order with refunds ([`codes::ORDER_STATE`]: a revoke
    /// undoes whole payments only), an order booked on an earlier China day by the simulated
    /// clock ([`codes::REVOKE_NOT_TODAY`]). The caller has taken `trade_no` already.
    pub fn revoke(&mut self, no: &str, trade_no: &str) -> Result<Revoked, Refusal> {
        let Some(idx) = self.find(no) else {
            return Err(Refusal::new(
                codes::ORDER_NOT_FOUND,
                format!("订单不存在: no order has number {no}"),
            ));
        };
        let today = self.today();
        let entry = &self.orders[idx];
        let order = &entry.order;
        match order.state {
            'D' => return Ok(Revoked::Done(order.clone())),
            'F' => return Ok(Revoked::Failed(order.clone())),
            _ => {}
        }
        if !order.refunds.is_empty() {
            return Err(Refusal::new(
                codes::ORDER_STATE,
                format!(
                    "订单已退款不允许撤销: the order has {} fen refunded; a revoke undoes whole payments only, refund the rest instead",
                    order.refunded
                ),
            ));
        }
        if entry.created_day != today {
            return Err(Refusal::new(
                codes::REVOKE_NOT_TODAY,
                format!(
                    "非当日交易不允许撤销: the order was made on {} and today is {today} (China time); only same-day sales can be revoked, refund it instead",
                    entry.created_day
                ),
            ));
        }
        let was = order.state;
        let returned = if was == 'A' { 0 } else { order.amount };
        let revoke = Revoke {
            log_no: self.new_log_no(),
            trade_no: trade_no.to_owned(),
            returned,
            was,
        };
        let order = &mut self.orders[idx].order;
        order.state = 'D';
        order.revoke = Some(revoke);
        Ok(Revoked::Done(order.clone()))
    }

    /// Refunds `amount` fen (all that remains when `None`) of the paid order known by `no`.
    /// The caller has taken `trade_no` ([`OrderBook::take_trade_no`]) already.
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
        book.take_trade_no("t2").unwrap();
        let (after, refund) = book.refund(&paid.order_no, Some(30), "t2").unwrap();
        assert_eq!((after.refunded, refund.amount), (30, 30));
        assert_eq!(book.take_trade_no("t2").unwrap_err().code, codes::DUPLICATE);
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

    fn sale(kind: OrderKind, trade_no: &str, auth_code: &str) -> NewOrder {
        NewOrder {
            kind,
            trade_no: trade_no.into(),
            auth_code: auth_code.into(),
            ..new_order("", 10)
        }
    }

    #[test]
    fn barcode_payers_and_attempts() {
        let mut book = OrderBook::new(None);
        let cases = [
            ("131", 'A', 'A'),
            ("132", 'F', 'F'),
            ("133", 'Z', 'S'),
            ("130", 'S', 'S'),
        ];
        for (code, answered, state) in cases {
            let (order, payer) = book
                .barcode_pay(sale(OrderKind::Barcode, &format!("t{code}"), code))
                .unwrap();
            assert_eq!((payer.answered(), order.state), (answered, state), "{code}");
            assert_eq!(order.auth_code_pays, 1);
            assert!(order.code.is_empty());
        }
        let again = book.barcode_pay(sale(OrderKind::Barcode, "t-again", "130"));
        assert_eq!(again.unwrap_err().code, codes::CODE_USED);
        let reused = book.barcode_pay(sale(OrderKind::Barcode, "t130", "999"));
        assert_eq!(reused.unwrap_err().code, codes::DUPLICATE);
        assert_eq!(book.get("t130").unwrap().auth_code_pays, 2);
        assert!(book.confirm("t131"));
        assert_eq!(book.get("t131").unwrap().state, 'S');
    }

    #[test]
    fn qr_sales_expire_on_the_simulated_clock() {
        let mut book = OrderBook::new(None);
        let qr = book
            .qr_pay(sale(OrderKind::Qr, "q1", ""), "https://qr".into())
            .unwrap();
        book.advance(QR_LIFETIME - Duration::from_secs(1));
        assert_eq!(book.get("q1").unwrap().state, 'A');
        book.advance(Duration::from_secs(1));
        let closed = book.get(&qr.log_no).unwrap();
        assert_eq!((closed.state, closed.expired), ('F', true));
        // settle_after shorter than the QR lifetime: the payer pays first.
        let mut book = OrderBook::new(Some(Duration::from_secs(60)));
        book.qr_pay(sale(OrderKind::Qr, "q2", ""), "p".into())
            .unwrap();
        book.advance(QR_LIFETIME * 2);
        assert_eq!(book.get("q2").unwrap().state, 'S');
        assert_eq!(book.advance(Duration::MAX), MAX_SKEW);
    }
}
