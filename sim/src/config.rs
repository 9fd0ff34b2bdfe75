//! The simulator's configuration: the one merchant it knows and how its orders settle.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

/// The institution number (`orgNo`) the simulator knows by default.
pub const DEFAULT_ORG_NO: &str = "489";
/// The merchant number (`mercId`) the simulator knows by default.
pub const DEFAULT_MERC_ID: &str = "800290000007906";
/// A terminal number (`trmNo`) for clients to send; the simulator accepts any well-formed one.
pub const DEFAULT_TRM_NO: &str = "XB006439";
/// The merchant key (32 ASCII letters and digits, like the sandbox's keys).
pub const DEFAULT_KEY: &str = "9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A";
/// The official account's `appId` that `pubSigQry` answers (`wx` + 16 hex digits).
pub const DEFAULT_APP_ID: &str = "wx1a2b3c4d5e6f7a8b";
/// The official account's secret (`appIdKey`) that `pubSigQry` answers.
pub const DEFAULT_APP_ID_KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

/// How a [`Simulator`](crate::Simulator) behaves: the merchant it knows, the official account
/// it reports, when payments settle and where it listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimConfig {
    /// The only `orgNo` accepted; any other is refused unsigned.
    pub org_no: String,
    /// The only `mercId` accepted; any other is refused unsigned.
    pub merc_id: String,
    /// The merchant key every request must be signed with and every answer is signed with.
    pub key: String,
    /// The `appId` that `pubSigQry` answers and `pubSigPay` reports as `apiAppid`.
    pub app_id: String,
    /// The `appIdKey` that `pubSigQry` answers.
    pub app_id_key: String,
    /// `pubSigPay` always answers `A` (and so does a barcode sale whose code ends in `1`; a QR
    /// sale's order starts `A` too); once this much time has passed on the simulator's clock
    /// (real time plus [`Simulator::advance`](crate::Simulator::advance)), such an order counts
    /// as paid (`S`) the next time it is looked at. `None`: it stays `A` until
    /// [`Simulator::confirm`](crate::Simulator::confirm) or
    /// [`Simulator::cancel`](crate::Simulator::cancel) (or, for a QR sale, until it expires).
    pub settle_after: Option<Duration>,
    /// Where to listen. The default `127.0.0.1:0` takes any free loopback port.
    pub bind: SocketAddr,
    /// Whether a query by a refund's own `tradeNo` or `logNo` answers the refund. Off by
    /// default, as the gateway documents it: the order query finds orders (by `logNo`,
    /// `orderNo` or `tradeNo`), and a refund's own number is "order not found".
    pub refunds_by_trade_no: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            org_no: DEFAULT_ORG_NO.to_owned(),
            merc_id: DEFAULT_MERC_ID.to_owned(),
            key: DEFAULT_KEY.to_owned(),
            app_id: DEFAULT_APP_ID.to_owned(),
            app_id_key: DEFAULT_APP_ID_KEY.to_owned(),
            settle_after: None,
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            refunds_by_trade_no: false,
        }
    }
}
