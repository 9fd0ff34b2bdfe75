//! The till in control of a wait (`sale`, `wait`): Ctrl-C cancels it (the first SIGINT fires
//! the wait's [`Cancel`]; a second one kills as usual), and on a terminal a live status line on
//! stderr says where it stands, driven by the library's `Config::progress`.

use crate::console::{self, Stream};
use starpos::{Cancel, TxnResult};
use starpos::{Progress, ProgressFn};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The handle the SIGINT handler fires: set once, before the handler is installed.
static ON_SIGINT: OnceLock<Cancel> = OnceLock::new();

/// The SIGINT handler: fires the wait's cancel. Async-signal-safe: an atomic load
/// (`OnceLock::get`), then [`Cancel::request`] (an atomic swap and one `write`).
/// `SA_RESETHAND` has put SIGINT back to its default already, so a second Ctrl-C kills.
extern "C" fn on_sigint(_signal: libc::c_int) {
    if let Some(cancel) = ON_SIGINT.get() {
        cancel.request();
    }
}

/// How often the status line is redrawn between the library's reports.
const TICK: Duration = Duration::from_millis(100);

/// A wait under the till's control: its cancel, wired to Ctrl-C, and its status line, if one
/// is drawn. Dropping it clears the line and gives SIGINT back its default action.
pub struct Till {
    cancel: Cancel,
    progress: Option<ProgressFn>,
    line: Option<StatusLine>,
    handler: bool,
}

impl Till {
    /// Takes over Ctrl-C for the wait, and draws the status line when `status_line`
    /// (stderr is a terminal and the output is not JSON). A cancel handle that cannot be made
    /// (no file descriptor left) or a handler that cannot be installed leaves Ctrl-C killing
    /// as before: the wait itself does not depend on it.
    pub fn start(status_line: bool) -> Option<Till> {
        let cancel = Cancel::new().ok()?;
        let handler = ON_SIGINT.set(cancel.clone()).is_ok()
            && install(on_sigint as *const () as libc::sighandler_t);
        let (line, progress) = if status_line {
            let (line, progress) = StatusLine::start();
            (Some(line), Some(progress))
        } else {
            (None, None)
        };
        Some(Till {
            cancel,
            progress,
            line,
            handler,
        })
    }

    /// The cancel handle for `Config::cancel`.
    pub fn cancel(&self) -> Cancel {
        self.cancel.clone()
    }

    /// The callback for `Config::progress` (`None`: no status line).
    pub fn progress(&self) -> Option<ProgressFn> {
        self.progress.clone()
    }
}

impl Drop for Till {
    fn drop(&mut self) {
        if self.handler {
            install(libc::SIG_DFL);
        }
        if let Some(line) = self.line.take() {
            line.stop();
        }
    }
}

/// Sets SIGINT's action to `handler` (a function, or `SIG_DFL`): one shot, restarting
/// interrupted calls. True when it was set.
fn install(handler: libc::sighandler_t) -> bool {
    // SAFETY: a zeroed sigaction is a valid "no flags, empty mask" value; the handler is an
    // `extern "C" fn(c_int)` or SIG_DFL; the old action is not asked for.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = handler;
        action.sa_flags = libc::SA_RESTART | libc::SA_RESETHAND;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut()) == 0
    }
}

/// What the library last reported, and when.
#[derive(Clone, Copy)]
struct Report {
    queries: u32,
    result: Option<TxnResult>,
    elapsed: Duration,
    next_query: Duration,
    at: Instant,
}

/// The status line: a thread redraws it (`\r`, then the line, then clear to its end) from the
/// last report every [`TICK`], so the seconds count on between queries.
struct StatusLine {
    stop: mpsc::Sender<()>,
    drawer: JoinHandle<()>,
    drawn: Arc<AtomicBool>,
}

impl StatusLine {
    fn start() -> (StatusLine, ProgressFn) {
        let last: Arc<Mutex<Option<Report>>> = Arc::new(Mutex::new(None));
        let drawn = Arc::new(AtomicBool::new(false));
        let (stop, stopped) = mpsc::channel::<()>();
        let reports = Arc::clone(&last);
        let progress: ProgressFn = Arc::new(move |p: &Progress<'_>| {
            let report = Report {
                queries: p.queries,
                result: p.result,
                elapsed: p.elapsed,
                next_query: p.next_query,
                at: Instant::now(),
            };
            if let Ok(mut last) = reports.lock() {
                *last = Some(report);
            }
        });
        let drawing = Arc::clone(&drawn);
        let drawer = std::thread::spawn(move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(TICK) {
                let report = last.lock().ok().and_then(|last| *last);
                if let Some(report) = report {
                    // The line is a courtesy: a stderr that cannot be written loses nothing
                    // the command's outcome depends on.
                    let _ = console::write(
                        Stream::Stderr,
                        format_args!("\r{}\x1b[K", line(&report, report.at.elapsed())),
                    );
                    drawing.store(true, Ordering::SeqCst);
                }
            }
        });
        (
            StatusLine {
                stop,
                drawer,
                drawn,
            },
            progress,
        )
    }

    /// Stops the drawing and clears the line, so what the command prints next starts on a
    /// clean line.
    fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.drawer.join();
        if self.drawn.load(Ordering::SeqCst) {
            let _ = console::write(Stream::Stderr, format_args!("\r\x1b[K"));
        }
    }
}

/// The status line for `report`, `since` after it came: "waiting for the payer: 3 queries,
/// last A, 4.2 s, next in 0.8 s".
fn line(report: &Report, since: Duration) -> String {
    let queries = match report.queries {
        1 => "1 query".to_owned(),
        n => format!("{n} queries"),
    };
    let last = match report.result {
        Some(result) => format!(", last {}", result.as_char()),
        None => String::new(),
    };
    let elapsed = (report.elapsed + since).as_secs_f64();
    let next = if report.next_query.is_zero() {
        String::new()
    } else {
        format!(
            ", next in {:.1} s",
            report.next_query.saturating_sub(since).as_secs_f64()
        )
    };
    format!("waiting for the payer: {queries}{last}, {elapsed:.1} s{next}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_queries_the_last_result_the_time_and_the_next_query() {
        let report = Report {
            queries: 3,
            result: Some(TxnResult::Waiting),
            elapsed: Duration::from_millis(4000),
            next_query: Duration::from_millis(1000),
            at: Instant::now(),
        };
        assert_eq!(
            line(&report, Duration::from_millis(200)),
            "waiting for the payer: 3 queries, last A, 4.2 s, next in 0.8 s"
        );
        let first = Report {
            queries: 0,
            result: None,
            next_query: Duration::ZERO,
            ..report
        };
        assert_eq!(
            line(&first, Duration::ZERO),
            "waiting for the payer: 0 queries, 4.0 s"
        );
        let one = Report {
            queries: 1,
            ..report
        };
        assert!(
            line(&one, Duration::from_secs(5)).contains("1 query, last A, 9.0 s, next in 0.0 s")
        );
    }
}
