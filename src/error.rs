//! What can go wrong, typed by cause: [`Status`] is the stable code every API layer reports,
//! [`Error`] carries it with words for a person and, for a refusal, the gateway's answer.

use crate::answer::Answer;
use std::borrow::Cow;
use std::fmt;

/// The outcome of a call. The numbers are part of the C ABI: they never change, and new
/// statuses are only ever appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The call succeeded and the answer was verified.
    Ok = 0,
    /// The input was rejected before anything was sent.
    InvalidArgument = 1,
    /// The gateway was not reached; nothing was sent. Safe to try again.
    Connect = 2,
    /// The request was (or may have been) sent and no full answer came in time: outcome unknown.
    Timeout = 3,
    /// The gateway answered with an HTTP status other than 200.
    Http = 4,
    /// The answer was unparseable, incomplete or too large, or the connection broke after the
    /// request was sent.
    Protocol = 5,
    /// The answer's `signValue` was missing or wrong: nothing in it is trusted.
    Signature = 6,
    /// The gateway refused the request (`returnCode` other than `000000`); see its message.
    Gateway = 7,
    /// A bug was caught (a panic); the process lives on.
    Internal = 8,
    /// The sale journal could not be read or written (no space, read-only, locked, not a
    /// journal file); nothing was sent. The detail names the file and what to do.
    Journal = 9,
    /// The caller's cancel ended the call after a request may have left (a wait's pay or a
    /// query was answered or in flight): in doubt, as TIMEOUT. [`Error::trade_no`] says what
    /// to query; the journal keeps the sale open.
    Cancelled = 10,
    /// The caller's cancel was fired before the request was sent: nothing was sent.
    CancelledNotSent = 11,
}

impl Status {
    /// Every status, in code order.
    pub const ALL: [Status; 12] = [
        Status::Ok,
        Status::InvalidArgument,
        Status::Connect,
        Status::Timeout,
        Status::Http,
        Status::Protocol,
        Status::Signature,
        Status::Gateway,
        Status::Internal,
        Status::Journal,
        Status::Cancelled,
        Status::CancelledNotSent,
    ];

    /// The short upper-case name, as `starpos_status_str` gives it (`"SIGNATURE"`).
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::InvalidArgument => "INVALID_ARGUMENT",
            Status::Connect => "CONNECT",
            Status::Timeout => "TIMEOUT",
            Status::Http => "HTTP",
            Status::Protocol => "PROTOCOL",
            Status::Signature => "SIGNATURE",
            Status::Gateway => "GATEWAY",
            Status::Internal => "INTERNAL",
            Status::Journal => "JOURNAL",
            Status::Cancelled => "CANCELLED",
            Status::CancelledNotSent => "CANCELLED_NOT_SENT",
        }
    }

    /// True where a pay or refund that ended with this status may have taken effect at the
    /// gateway, so it must be followed by an order query and never simply sent again.
    pub fn in_doubt(self) -> bool {
        matches!(
            self,
            Status::Timeout
                | Status::Http
                | Status::Protocol
                | Status::Signature
                | Status::Internal
                | Status::Cancelled
        )
    }

    /// The status with this code, if there is one.
    pub fn from_code(code: i64) -> Option<Status> {
        Status::ALL.into_iter().find(|s| *s as i64 == code)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A failed call: its [`Status`], what went wrong in words, and for [`Status::Gateway`] the
/// refusal the gateway sent.
#[derive(Clone)]
pub struct Error {
    status: Status,
    detail: String,
    refusal: Option<Box<Answer>>,
    trade_no: Option<String>,
}

impl Error {
    /// An error with this status and description.
    pub fn new(status: Status, detail: impl Into<String>) -> Error {
        Error {
            status,
            detail: detail.into(),
            refusal: None,
            trade_no: None,
        }
    }

    /// Input rejected before sending: `field` names the input, `rule` says what it must be.
    pub fn invalid(field: &str, rule: impl fmt::Display) -> Error {
        Error::new(Status::InvalidArgument, format!("{field}: {rule}"))
    }

    /// The answer could not be used: unparseable, incomplete, too large.
    pub fn protocol(detail: impl Into<String>) -> Error {
        Error::new(Status::Protocol, detail)
    }

    /// The gateway's refusal (`returnCode` other than `000000`), with the answer it sent.
    pub fn gateway(answer: Answer) -> Error {
        let detail = format!(
            "gateway refused the request: returnCode {}, message \"{}\"{}",
            answer.text("returnCode"),
            answer.text("message"),
            if answer.verified() {
                ""
            } else {
                " (answer not signed: unverified)"
            }
        );
        Error {
            status: Status::Gateway,
            detail,
            refusal: Some(Box::new(answer)),
            trade_no: None,
        }
    }

    /// The status code.
    pub fn status(&self) -> Status {
        self.status
    }

    /// What went wrong, for a person (never contains the key or other secrets).
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// For [`Status::Gateway`] (and a wait that timed out after refusals): the refusal as the
    /// gateway sent it (`message` decoded).
    pub fn refusal(&self) -> Option<&Answer> {
        self.refusal.as_deref()
    }

    /// For a query or refund that failed after validation: the `tradeNo` it was sent with, so
    /// an in-doubt refund can be looked up later.
    pub fn trade_no(&self) -> Option<&str> {
        self.trade_no.as_deref()
    }

    /// The same error, recording the `tradeNo` of the request it ended.
    pub fn with_trade_no(mut self, trade_no: &str) -> Error {
        self.trade_no = Some(trade_no.to_owned());
        self
    }

    /// See [`Status::in_doubt`].
    pub fn in_doubt(&self) -> bool {
        self.status.in_doubt()
    }

    /// The same error carrying `answer` as the gateway's last word: [`Error::refusal`] then
    /// returns it whatever the status (a wait that ended on the deadline after refusals).
    pub(crate) fn with_refusal(mut self, answer: Answer) -> Error {
        self.refusal = Some(Box::new(answer));
        self
    }

    /// The same error with its detail and its refusal's `message` masked by `secrets`
    /// ([`crate::redact`]): both can echo what the request carried.
    pub(crate) fn masked(mut self, secrets: &crate::redact::Secrets<'_>) -> Error {
        if let Cow::Owned(detail) = secrets.mask(&self.detail) {
            self.detail = detail;
        }
        self.refusal = self
            .refusal
            .map(|answer| Box::new(answer.with_masked_message(secrets)));
        self
    }

    /// The same error with `context: ` put before its description.
    pub fn context(mut self, context: &str) -> Error {
        self.detail = format!("{context}: {}", self.detail);
        self
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status, self.detail)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status, self.detail)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_named() {
        let names: Vec<(i64, &str)> = Status::ALL.iter().map(|s| (*s as i64, s.name())).collect();
        assert_eq!(
            names,
            [
                (0, "OK"),
                (1, "INVALID_ARGUMENT"),
                (2, "CONNECT"),
                (3, "TIMEOUT"),
                (4, "HTTP"),
                (5, "PROTOCOL"),
                (6, "SIGNATURE"),
                (7, "GATEWAY"),
                (8, "INTERNAL"),
                (9, "JOURNAL"),
                (10, "CANCELLED"),
                (11, "CANCELLED_NOT_SENT")
            ]
        );
        assert_eq!(Status::from_code(6), Some(Status::Signature));
        assert_eq!(Status::from_code(99), None);
    }

    #[test]
    fn only_statuses_after_sending_are_in_doubt() {
        let doubtful: Vec<Status> = Status::ALL.into_iter().filter(|s| s.in_doubt()).collect();
        assert_eq!(
            doubtful,
            [
                Status::Timeout,
                Status::Http,
                Status::Protocol,
                Status::Signature,
                Status::Internal,
                Status::Cancelled
            ]
        );
    }
}
