//! What the library tells the firmware about its work: a process-wide logger the caller
//! installs (`starpos_set_logger` in C). Messages say which call went where, how it ended, how
//! long it took and the gateway's serial numbers; they never contain the key, `appIdKey`,
//! `signValue`, an OAuth code, an openid or a payment code ([`crate::redact`]).

use std::sync::{Arc, RwLock};

/// How much a message matters. The numbers are part of the C ABI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// A call failed in a way the caller must act on (in doubt, signature).
    Error = 1,
    /// A call failed (refused, invalid, not reached).
    Warn = 2,
    /// A call completed.
    Info = 3,
    /// Each step of a call.
    Debug = 4,
}

/// A logger: called with the level and the message, from whichever thread made the call.
pub type Logger = Arc<dyn Fn(Level, &str) + Send + Sync>;

static LOGGER: RwLock<Option<Logger>> = RwLock::new(None);

/// Installs `logger` for the whole process (`None` turns logging off).
pub fn set_logger(logger: Option<Logger>) {
    let mut slot = LOGGER
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    *slot = logger;
}

/// Sends a message to the logger, building it only when one is installed.
pub(crate) fn log(level: Level, message: impl FnOnce() -> String) {
    // The generic part is only this wrapper: the lock and the call are in `emit`, once for
    // every message (armv7 code size).
    let mut message = Some(message);
    emit(level, &mut || {
        message.take().map_or_else(String::new, |build| build())
    });
}

/// [`log`] without the generic: `message` is called once, and only when a logger is set.
fn emit(level: Level, message: &mut dyn FnMut() -> String) {
    let logger = LOGGER
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    if let Some(logger) = logger {
        // Whatever a message quotes, a payment code never reaches the logger
        // (crate::redact; the request's own secrets are masked where the call knows them).
        logger(level, &crate::redact::payment_codes(&message()));
    }
}
