//! `starpos-sim`: runs the gateway simulator until killed. `starpos-sim --help` lists the
//! options ([`starpos_sim::cli::SimArgs`], the same as `starpos sim`'s) and the exit statuses.

use clap::error::ErrorKind;
use clap::FromArgMatches;
use starpos_sim::cli::{self, SimArgs, StartError, EXIT_OUTPUT, EXIT_USAGE};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let parsed = cli::command()
        .try_get_matches()
        .and_then(|matches| SimArgs::from_arg_matches(&matches));
    let args = match parsed {
        Ok(args) => args,
        Err(e) => {
            // Help goes to stdout, errors to stderr; nothing more to say if they cannot be.
            let _ = e.print();
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => ExitCode::SUCCESS,
                _ => ExitCode::from(EXIT_USAGE),
            };
        }
    };
    let sim = match args.start() {
        Ok(sim) => sim,
        Err(e) => {
            let more = match e {
                StartError::Usage(_) => "\n\nFor more information, try '--help'.",
                StartError::Listen { .. } => "",
            };
            let _ = writeln!(std::io::stderr(), "starpos-sim: {e}{more}");
            return ExitCode::from(e.exit_status());
        }
    };
    let mut out = std::io::stdout().lock();
    let banner = cli::banner(&sim, args.show_secrets);
    if let Err(e) = out.write_all(banner.as_bytes()).and_then(|()| out.flush()) {
        let _ = writeln!(
            std::io::stderr(),
            "starpos-sim: stdout could not be written ({e}): the base URL was not shown"
        );
        return ExitCode::from(EXIT_OUTPUT);
    }
    drop(out);
    loop {
        std::thread::park();
    }
}
