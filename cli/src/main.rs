//! `starpos`: the StarPOS gateway from the command line, and a demo of the whole sale against
//! the built-in simulator. `starpos --help` lists the commands and the exit statuses.

mod args;
mod commands;
mod console;
mod demo;
mod exit;
mod gateway;
mod output;
mod till;

use args::Cli;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use commands::Context;
use exit::{Failure, EXIT_USAGE};
use output::Printer;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match args::parse() {
        Ok(cli) => cli,
        Err(e) => return command_line_error(e),
    };
    let ctx = Context {
        global: &cli.global,
        out: Printer {
            json: cli.global.json,
            show_secrets: cli.global.show_secrets,
            color: cli.global.color(),
            journal: cli.global.journal.is_some(),
            gateway: if cli.command.calls_the_gateway() {
                gateway::base_url(&cli.global).ok().map(str::to_owned)
            } else {
                None
            },
        },
    };
    match cli.command.run(&ctx) {
        Ok(outcome) => outcome.exit_code(),
        Err(failure) => {
            // A failure that cannot be written still exits with its own status: the status
            // says what happened to the call.
            let _ = match &failure {
                Failure::Usage(message) => ctx.out.usage(
                    message,
                    &format!("starpos: {message}\n\nFor more information, try '--help'.\n"),
                ),
                Failure::Call(e) => {
                    let endpoint = match &cli.command {
                        args::Command::Call(call) => Some(call.endpoint.as_str()),
                        _ => None,
                    };
                    match gateway::in_cli_words(e, endpoint) {
                        // A 404 to `call`: no such endpoint, so nothing was done.
                        Some(e) if e.status() == starpos::Status::Http => {
                            ctx.out.error(&e, output::Effect::NotDone, None)
                        }
                        Some(e) => ctx.out.error(&e, cli.command.effect(), None),
                        None => ctx.out.error(e, cli.command.effect(), None),
                    }
                }
                Failure::CannotListen(message) => ctx.out.cannot_listen(message),
                Failure::Unfinished { error, last_answer } => ctx.out.error(
                    error,
                    cli.command.effect(),
                    last_answer.as_deref().map(|a| a.to_wire()).as_deref(),
                ),
                Failure::Output(lost) => output_lost(lost, &cli),
            };
            failure.exit_code()
        }
    }
}

/// Says on stderr (if it can still be written) that the answer was lost, and where the
/// outcome of a call that may have moved money can be found.
fn output_lost(lost: &console::Lost, cli: &Cli) -> Result<(), console::Lost> {
    console::errln!("starpos: {lost}; the answer was not shown")?;
    if cli.command.calls_the_gateway() && cli.command.effect() == output::Effect::MayMoveMoney {
        match &cli.global.journal {
            Some(path) => console::errln!(
                "starpos: the call itself may have gone through: its outcome is in the sale \
                 journal (starpos --journal {} journal)",
                path.display()
            ),
            None => console::errln!(
                "starpos: the call itself may have gone through: query the order (starpos \
                 query) before sending it again"
            ),
        }?;
    }
    Ok(())
}

/// Help and version (exit 0), or a command line clap could not use (exit 64, as JSON under
/// `--json`).
fn command_line_error(mut e: clap::Error) -> ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // Help and version go to stdout; nothing to do if stdout is closed.
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    if e.kind() == ErrorKind::InvalidSubcommand && !has_suggestion(&e) {
        let names: Vec<String> = args::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        let tip = format!(
            "the commands are {}; 'starpos help COMMAND' explains one",
            names.join(", ")
        );
        e.insert(
            ContextKind::Suggested,
            ContextValue::StyledStrs(vec![tip.into()]),
        );
    }
    let printer = Printer {
        json: json_requested(std::env::args_os().skip(1)),
        show_secrets: false,
        color: false,
        journal: false,
        gateway: None,
    };
    let text = e.render().to_string();
    // Nothing more to say if the usage error itself cannot be written: 64 says it.
    let _ = printer.usage(&usage_message(e.kind(), &text), &text);
    ExitCode::from(EXIT_USAGE)
}

/// True when clap found a similar command name to suggest.
fn has_suggestion(e: &clap::Error) -> bool {
    matches!(
        e.get(ContextKind::SuggestedSubcommand),
        Some(ContextValue::Strings(s)) if !s.is_empty()
    )
}

/// True when `--json` stands among the arguments (before a `--`): the command line failed to
/// parse, so the parsed switch is not there to ask.
fn json_requested(raw: impl Iterator<Item = std::ffi::OsString>) -> bool {
    raw.take_while(|a| a != "--").any(|a| a == "--json")
}

/// The gist of clap's error text for one line of JSON: the error and its tip, without the
/// usage line and the pointer to `--help`.
fn usage_message(kind: ErrorKind, text: &str) -> String {
    if kind == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        return "a command is required (starpos --help lists them)".to_owned();
    }
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more"))
        .map(|l| l.strip_prefix("error: ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_seen_before_a_double_dash_only() {
        let args =
            |s: &str| -> Vec<std::ffi::OsString> { s.split_whitespace().map(Into::into).collect() };
        assert!(json_requested(args("pay --json --amount -5").into_iter()));
        assert!(!json_requested(args("pay --amount -5").into_iter()));
        assert!(!json_requested(args("call -- --json").into_iter()));
    }

    #[test]
    fn usage_messages_keep_the_error_and_the_tip() {
        let text = "error: unrecognized subcommand 'frobnicate'\n\n  tip: a similar subcommand \
                    exists: 'qry'\n\nUsage: starpos [OPTIONS] <COMMAND>\n\nFor more information, \
                    try '--help'.\n";
        assert_eq!(
            usage_message(ErrorKind::InvalidSubcommand, text),
            "unrecognized subcommand 'frobnicate'; tip: a similar subcommand exists: 'qry'"
        );
    }
}
