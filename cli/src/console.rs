//! Every write to stdout and stderr. `println!` and friends panic when the stream is closed
//! (`starpos demo | head -1`: EPIPE, since Rust ignores SIGPIPE) or full (`> /dev/full`),
//! which ended a sale that had gone through with exit 101 and a panic message. Here a failed
//! write comes back as [`Lost`], which a command returns as [`crate::exit::Failure::Output`]
//! (exit status [`crate::exit::EXIT_OUTPUT`]).

use std::fmt;
use std::io::{self, Write};

/// One of the two standard streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Answers (and failures under `--json`).
    Stdout,
    /// Failures and hints for a person.
    Stderr,
}

impl fmt::Display for Stream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        })
    }
}

/// A write that failed: which stream, and why (closed, full, ...).
#[derive(Debug)]
pub struct Lost {
    /// The stream that could not be written.
    pub stream: Stream,
    /// What the write returned.
    pub error: io::Error,
}

impl fmt::Display for Lost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.error.kind() {
            io::ErrorKind::BrokenPipe => "it was closed (broken pipe)".to_owned(),
            _ => self.error.to_string(),
        };
        write!(f, "{} could not be written: {why}", self.stream)
    }
}

/// Writes `args` to `stream` and flushes it, returning the error instead of panicking.
pub fn write(stream: Stream, args: fmt::Arguments<'_>) -> Result<(), Lost> {
    let result = match stream {
        Stream::Stdout => {
            let mut out = io::stdout().lock();
            out.write_fmt(args).and_then(|()| out.flush())
        }
        Stream::Stderr => {
            let mut err = io::stderr().lock();
            err.write_fmt(args).and_then(|()| err.flush())
        }
    };
    result.map_err(|error| Lost { stream, error })
}

/// `println!` that returns `Result<(), Lost>` instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::console::write(
            $crate::console::Stream::Stdout,
            format_args!("{}\n", format_args!($($arg)*)),
        )
    };
}

/// `eprintln!` that returns `Result<(), Lost>` instead of panicking.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::console::write(
            $crate::console::Stream::Stderr,
            format_args!("{}\n", format_args!($($arg)*)),
        )
    };
}

pub(crate) use {errln, outln};
