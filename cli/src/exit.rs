//! Exit statuses: what a command's outcome means to a script.

use crate::console::Lost;
use starpos::{Error, QueryResponse, TxnResult, WaitError};
use std::process::ExitCode;

/// The table `starpos --help` ends with (docs/cli.md has the same). Every line fits in 78
/// columns, so clap's wrapping (to the terminal, at most 100 columns) never breaks a row of
/// it on a terminal of 80 columns or more.
pub const EXIT_STATUSES_HELP: &str = "\
Exit statuses:
  0   success: the answer is final (pay answering A or Z is its normal success)
  20  the order ended F (failed, e.g. the payer cancelled) or D (revoked);
      a refund or revoke answered F
  21  not final yet: a query or barcode-pay answered A or Z, a refund or
      revoke answered Z, or recover left sales open (query again, run
      recover again)
  1-11 the starpos status code of the failure: 1 INVALID_ARGUMENT,
      2 CONNECT, 3 TIMEOUT (wait and sale: still not final at the deadline),
      4 HTTP, 5 PROTOCOL, 6 SIGNATURE, 7 GATEWAY, 8 INTERNAL, 9 JOURNAL,
      10 CANCELLED (wait and sale: Ctrl-C; the order may still be paid:
      follow its tradeNo), 11 CANCELLED_NOT_SENT (Ctrl-C before anything
      was sent) (new codes may follow)
  64  usage: the command line (or a missing credential) is wrong; nothing
      was sent
  69  sim: cannot listen: the address is in use (another simulator?), not
      this machine's, or needs privileges: stop what holds it, or pick
      another --port (0: any free one)
  74  output lost: stdout (or stderr) was closed or full, so the answer could
      not be written; the call itself may have gone through: see the sale
      journal (starpos journal) or query the order. A failed call keeps its
      own status (1-11)

Credentials: --org-no, --merc-id, --trm-no, --key, or STARPOS_ORG_NO,
STARPOS_MERC_ID, STARPOS_TRM_NO, STARPOS_KEY; STARPOS_GATEWAY for --gateway.
Only commands that call the gateway need them. The sale journal: --journal FILE
or STARPOS_JOURNAL. JSON (--json): one object per answer, amounts are numbers
of fen; see docs/cli.md.";

/// Exit status: the order ended `F` or `D`.
pub const EXIT_ENDED_UNPAID: u8 = 20;
/// Exit status: the answer is not final (`A`, `Z`): query again.
pub const EXIT_NOT_FINAL: u8 = 21;
/// Exit status: the command line could not be used.
pub const EXIT_USAGE: u8 = 64;
/// Exit status: `sim` cannot listen (a busy port most often); the simulator's own
/// [`starpos_sim::cli::EXIT_CANNOT_LISTEN`], which `starpos-sim` exits with too.
pub const EXIT_CANNOT_LISTEN: u8 = starpos_sim::cli::EXIT_CANNOT_LISTEN;
/// Exit status: the answer could not be written (stdout or stderr closed or full); sysexits'
/// EX_IOERR.
pub const EXIT_OUTPUT: u8 = 74;

/// How a command that got an answer ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Final success, or a command with nothing to judge.
    Done,
    /// The order (or refund) ended `F` or `D`.
    EndedUnpaid,
    /// The answer is not final: query again.
    NotFinal,
}

impl Outcome {
    /// An order state from a query or a wait: `S` done, `F`/`D` ended, `A`/`Z` not final.
    pub fn of_order(result: Option<TxnResult>) -> Outcome {
        match result {
            Some(TxnResult::Success) => Outcome::Done,
            Some(TxnResult::Failed | TxnResult::Revoked) | None => Outcome::EndedUnpaid,
            Some(TxnResult::Waiting | TxnResult::Unknown) => Outcome::NotFinal,
        }
    }

    /// A pay answer: `A` and `Z` are how pubSigPay answers by design (the payer confirms
    /// next), so only `F` (or no result) is a failure.
    pub fn of_pay(result: Option<TxnResult>) -> Outcome {
        match result {
            Some(TxnResult::Failed | TxnResult::Revoked) | None => Outcome::EndedUnpaid,
            _ => Outcome::Done,
        }
    }

    /// The process exit status.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Done => ExitCode::SUCCESS,
            Outcome::EndedUnpaid => ExitCode::from(EXIT_ENDED_UNPAID),
            Outcome::NotFinal => ExitCode::from(EXIT_NOT_FINAL),
        }
    }
}

/// Why a command did not get an answer.
#[derive(Debug)]
pub enum Failure {
    /// The command line (or a missing credential) was wrong; nothing was sent.
    Usage(String),
    /// The library failed the call.
    Call(Error),
    /// `sim` cannot listen where it was told to: why, and what to do.
    CannotListen(String),
    /// A wait (`wait`, `sale`) ended without a final answer, TIMEOUT at its deadline most
    /// often: the error, and the last answer it got (where the order stood), if any.
    Unfinished {
        /// Why the wait ended.
        error: Error,
        /// The last answer before it ended.
        last_answer: Option<Box<QueryResponse>>,
    },
    /// The command's answer could not be written: stdout or stderr was closed or full. The
    /// call before it may have gone through.
    Output(Lost),
}

impl Failure {
    /// The process exit status: 64 for usage, else the status code itself (mapped by number,
    /// so a status appended to the library later exits with its own code).
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Usage(_) => ExitCode::from(EXIT_USAGE),
            Failure::Output(_) => ExitCode::from(EXIT_OUTPUT),
            Failure::CannotListen(_) => ExitCode::from(EXIT_CANNOT_LISTEN),
            Failure::Call(e) | Failure::Unfinished { error: e, .. } => {
                ExitCode::from(u8::try_from(e.status() as i64).unwrap_or(u8::MAX))
            }
        }
    }
}

impl From<WaitError> for Failure {
    fn from(w: WaitError) -> Failure {
        Failure::Unfinished {
            error: w.error,
            last_answer: w.last_answer,
        }
    }
}

impl From<Lost> for Failure {
    fn from(lost: Lost) -> Failure {
        Failure::Output(lost)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Call(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simulator_exits_with_the_same_statuses() {
        assert_eq!(EXIT_USAGE, starpos_sim::cli::EXIT_USAGE);
        assert_eq!(EXIT_OUTPUT, starpos_sim::cli::EXIT_OUTPUT);
        assert!(EXIT_STATUSES_HELP.contains(&format!("  {EXIT_CANNOT_LISTEN}  sim: cannot listen")));
    }

    #[test]
    fn order_states_map_to_exit_outcomes() {
        let all = [
            Some(TxnResult::Success),
            Some(TxnResult::Failed),
            Some(TxnResult::Waiting),
            Some(TxnResult::Unknown),
            Some(TxnResult::Revoked),
        ];
        let order: Vec<Outcome> = all.into_iter().map(Outcome::of_order).collect();
        use Outcome::*;
        assert_eq!(order, [Done, EndedUnpaid, NotFinal, NotFinal, EndedUnpaid]);
        let pay: Vec<Outcome> = all.into_iter().map(Outcome::of_pay).collect();
        assert_eq!(pay, [Done, EndedUnpaid, Done, Done, EndedUnpaid]);
    }
}
