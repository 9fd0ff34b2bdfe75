//! The command line, declared for `clap`: global options (gateway, credentials, output) that
//! may stand anywhere, and one [`Command`] with its own options.
//!
//! A new command is one variant of [`Command`] (its options in a struct here) and one function
//! in `commands.rs`.

use crate::exit::EXIT_STATUSES_HELP;
use clap::{Arg, Args, CommandFactory, Parser, Subcommand};

/// The line every subcommand's help ends with, instead of the global options repeated.
pub const GLOBAL_OPTIONS_LINE: &str = "Global options (--gateway, --org-no, --merc-id, --trm-no, \
--key, --journal, --json, ...) may stand before or after the command: starpos --help lists them.";

/// The command line as parsed and as its help shows it: [`Cli`]'s declaration, with the global
/// options listed once, in `starpos --help`. Each subcommand keeps them (hidden in its help) so
/// they still stand anywhere; its help ends with [`GLOBAL_OPTIONS_LINE`] instead.
pub fn command() -> clap::Command {
    let top = Cli::command();
    let globals: Vec<Arg> = top
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.clone().hide(true))
        .collect();
    top.mut_subcommands(|sub| {
        let after = match sub.get_after_help() {
            Some(exits) => format!("{exits}\n\n{GLOBAL_OPTIONS_LINE}"),
            None => GLOBAL_OPTIONS_LINE.to_owned(),
        };
        // A subcommand's own argument of the same name (the simulator's `--org-no`, ...)
        // stands: clap passes the global's value to it.
        globals
            .iter()
            .fold(sub, |sub, arg| {
                if sub.get_arguments().any(|a| a.get_id() == arg.get_id()) {
                    sub
                } else {
                    sub.arg(arg.clone())
                }
            })
            .after_help(after)
    })
}

/// The completion script for `shell`, from the declaration (every option, global ones in
/// every command too, since they stand anywhere).
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "starpos", &mut script);
    script
}

/// The manual page `starpos.1` (roff), from the declaration: the global options, each
/// command with its own options and exit statuses, and the exit table of `starpos --help`.
pub fn man_page() -> Result<Vec<u8>, starpos::Error> {
    render_man().map_err(|e| starpos::Error::new(starpos::Status::Internal, e.to_string()))
}

fn render_man() -> std::io::Result<Vec<u8>> {
    use clap_mangen::roff::{bold, italic, roman, Roff};
    let top = Cli::command();
    let man = clap_mangen::Man::new(top.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    for sub in top.get_subcommands() {
        roff.control("SS", [format!("starpos {}", sub.get_name()).as_str()]);
        if let Some(about) = sub.get_about() {
            roff.text([roman(about.to_string())]);
        }
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            let name = match arg.get_long() {
                Some(long) => format!("--{long}"),
                None => arg.get_id().to_string().to_uppercase(),
            };
            let value = match (arg.get_long(), arg.get_value_names()) {
                (Some(_), Some(names)) if arg.get_action().takes_values() => {
                    names.iter().map(|n| format!(" <{n}>")).collect::<String>()
                }
                _ => String::new(),
            };
            roff.control("TP", []);
            roff.text([bold(name), italic(value)]);
            roff.text([roman(
                arg.get_help().map(|h| h.to_string()).unwrap_or_default(),
            )]);
        }
        if let Some(exits) = sub.get_after_help() {
            roff.control("PP", []);
            roff.text([roman(exits.to_string())]);
        }
    }
    roff.control("SH", ["EXIT STATUS"]);
    let (table, rest) = EXIT_STATUSES_HELP
        .split_once("\n\n")
        .unwrap_or((EXIT_STATUSES_HELP, ""));
    for line in table.lines().skip(1) {
        // "  20  words" starts a row, "      words" goes on with it.
        let trimmed = line.trim_start();
        if line.len() - trimmed.len() == 2 {
            let (code, words) = trimmed.split_once(' ').unwrap_or((trimmed, ""));
            roff.control("TP", []);
            roff.text([bold(code)]);
            roff.text([roman(words.trim_start())]);
        } else {
            roff.text([roman(trimmed)]);
        }
    }
    roff.control("SH", ["ENVIRONMENT"]);
    roff.text([roman(rest.replace('\n', " "))]);
    roff.to_writer(&mut page)?;
    man.render_version_section(&mut page)?;
    Ok(page)
}

/// Parses the process's arguments with [`command`].
pub fn parse() -> Result<Cli, clap::Error> {
    parse_from(std::env::args_os())
}

/// Parses `args` (the program's name first) with [`command`].
pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let mut command = command();
    let matches = command.try_get_matches_from_mut(args)?;
    <Cli as clap::FromArgMatches>::from_arg_matches(&matches).map_err(|e| e.format(&mut command))
}

/// `starpos`: the StarPOS gateway from the command line.
#[derive(Debug, Parser)]
#[command(
    name = "starpos",
    version = starpos::VERSION,
    about = "The StarPOS scan-payment gateway from the command line: counter sales, WeChat official-account pay, queries, refunds, the sale journal",
    after_help = EXIT_STATUSES_HELP,
    arg_required_else_help = true,
    subcommand_value_name = "COMMAND",
    subcommand_help_heading = "Commands"
)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, before or after the command's name.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// The gateway: production (default), sandbox, or a URL such as `starpos sim` prints.
    #[arg(long, global = true, env = "STARPOS_GATEWAY", value_name = "URL")]
    pub gateway: Option<String>,
    /// The merchant's orgNo (for commands that call the gateway).
    #[arg(long, global = true, env = "STARPOS_ORG_NO", value_name = "N")]
    pub org_no: Option<String>,
    /// The merchant's mercId (for commands that call the gateway).
    #[arg(long, global = true, env = "STARPOS_MERC_ID", value_name = "N")]
    pub merc_id: Option<String>,
    /// The terminal's trmNo (for commands that call the gateway).
    #[arg(long, global = true, env = "STARPOS_TRM_NO", value_name = "N")]
    pub trm_no: Option<String>,
    /// The merchant key (for commands that call the gateway); never printed.
    #[arg(
        long,
        global = true,
        env = "STARPOS_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub key: Option<String>,
    /// Time limit of one gateway call, in ms (default: the library's).
    #[arg(long, global = true, value_name = "MS", value_parser = milliseconds)]
    pub timeout_ms: Option<u64>,
    /// trmTyp sent with every sdk call: P or I smart POS (I: the iOS SDK's name), A app, C PC,
    /// T table sign.
    #[arg(long, global = true, env = "STARPOS_TRM_TYP", value_name = "P|I|A|C|T")]
    pub trm_typ: Option<String>,
    /// oprId sent with every sdk call: the cashier (≤ 6 letters/digits).
    #[arg(long, global = true, env = "STARPOS_OPR_ID", value_name = "ID")]
    pub opr_id: Option<String>,
    /// latitude sent with every sdk call: degrees from -90 to 90 with 1 to 5 decimals
    /// (31.23042).
    #[arg(
        long,
        global = true,
        env = "STARPOS_LATITUDE",
        value_name = "DEG",
        allow_hyphen_values = true
    )]
    pub latitude: Option<String>,
    /// longitude sent with every sdk call: degrees from -180 to 180 with 1 to 5 decimals
    /// (121.47370, -121.5).
    #[arg(
        long,
        global = true,
        env = "STARPOS_LONGITUDE",
        value_name = "DEG",
        allow_hyphen_values = true
    )]
    pub longitude: Option<String>,
    /// The sale journal's file: sales are recorded before they are sent and settled by
    /// `starpos recover` after a crash.
    #[arg(long, global = true, env = "STARPOS_JOURNAL", value_name = "FILE")]
    pub journal: Option<std::path::PathBuf>,
    /// Print one JSON object with the wire field names (failures too, on stdout).
    #[arg(long, global = true)]
    pub json: bool,
    /// Print secrets (appIdKey, ...) in clear instead of masked.
    #[arg(long, global = true)]
    pub show_secrets: bool,
    /// Colours (the QR code of qr-pay): auto (when stdout is a terminal and NO_COLOR is not
    /// set), always, never.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,
    /// Plain characters, no colours: the same as --color never (for logs).
    #[arg(long, global = true)]
    pub no_color: bool,
}

/// When to draw with colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and `NO_COLOR` is not set (or empty).
    Auto,
    /// Always (for `less -R`, a test).
    Always,
    /// Never.
    Never,
}

impl Global {
    /// Whether to draw with ANSI colours: `--no-color` and `--color never` say no,
    /// `--color always` yes; else only on a terminal without `NO_COLOR`.
    pub fn color(&self) -> bool {
        use std::io::IsTerminal;
        match (self.no_color, self.color) {
            (true, _) | (false, ColorChoice::Never) => false,
            (false, ColorChoice::Always) => true,
            (false, ColorChoice::Auto) => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// pubSigQry: the merchant's WeChat official account (appId, appIdKey).
    Qry(QryArgs),
    /// pubSigPay: pay with a WeChat OAuth code (answers A: the payer confirms in WeChat).
    #[command(after_help = PAY_EXITS)]
    Pay(PayArgs),
    /// sdkQryBarcodePay: the order's state now (read-only, safe to repeat).
    #[command(after_help = QUERY_EXITS)]
    Query(QueryArgs),
    /// Query the order until it is final (S, F or D) or the deadline passes.
    #[command(after_help = WAIT_EXITS)]
    Wait(WaitArgs),
    /// sdkRefundBarcodePay: give money back (all of it without --txn-amt).
    #[command(after_help = REFUND_EXITS)]
    Refund(RefundArgs),
    /// RevokeBarcodepay: undo a counter sale the same day (the order then queries D).
    #[command(after_help = REVOKE_EXITS)]
    Revoke(RevokeArgs),
    /// sdkBarcodePay: charge the payment code scanned from the payer's phone (pays once).
    #[command(after_help = COUNTER_EXITS)]
    BarcodePay(BarcodePayArgs),
    /// sdkBarcodePosPay: make a QR order for the payer to scan; prints the QR code.
    #[command(after_help = QR_EXITS)]
    QrPay(QrPayArgs),
    /// The whole barcode sale: pay once, then query the sale's tradeNo until it is final.
    #[command(after_help = SALE_EXITS)]
    Sale(SaleArgs),
    /// After a crash: query every sale the journal (--journal) holds open until final.
    #[command(after_help = RECOVER_EXITS)]
    Recover(RecoverArgs),
    /// The sales the journal (--journal) holds, oldest first; --summary: the day's totals.
    Journal(JournalArgs),
    /// The WeChat link that yields the pay code (no gateway call).
    OauthUrl(OauthUrlArgs),
    /// Any other endpoint, signed and verified.
    #[command(after_help = CALL_HELP)]
    Call(CallArgs),
    /// Serve the gateway simulator until interrupted (the options and exits of starpos-sim).
    #[command(after_help = starpos_sim::cli::AFTER_HELP)]
    Sim(starpos_sim::cli::SimArgs),
    /// The whole sale against the built-in simulator, step by step.
    Demo,
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff; `starpos man | man -l -`).
    Man,
}

/// What `starpos call` adds to `--fields`, and its exits.
const CALL_HELP: &str = "Added unless --fields gives them: orgNo, mercId, trmNo (the \
credentials), txnTime (now), signType (MD5) and version (V1.0.0); the request is signed, the \
answer's signature verified. Exit: 0 answered; 4 HTTP (a 404 is an unknown endpoint: nothing \
was done); else the starpos status code, 64 usage.";

/// Where `starpos completions` scripts go.
const COMPLETIONS_HELP: &str = "Install: starpos completions bash > \
~/.local/share/bash-completion/completions/starpos; starpos completions zsh > \
~/.zfunc/_starpos (with fpath+=~/.zfunc); starpos completions fish > \
~/.config/fish/completions/starpos.fish. `make install` installs the bash, zsh and fish ones \
and the manual page.";

/// `starpos completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// The exit statuses of `pay` (the whole table is in `starpos --help`).
const PAY_EXITS: &str = "Exit: 0 answered A or Z (the payer confirms next: wait for the order), \
20 answered F; else the starpos status code, 64 usage.";
/// The exit statuses of `query`.
const QUERY_EXITS: &str = "Exit: 0 the order is S (paid), 20 it ended F or D, 21 it is A or Z \
(query again); else the starpos status code, 64 usage.";
/// The exit statuses of `wait`: an order still not final at the deadline is TIMEOUT, not 21.
const WAIT_EXITS: &str = "Exit: 0 the order became S (paid), 20 it ended F or D, 3 TIMEOUT it \
was still not final (A or Z, or not found) at the deadline: its last answer (if any) is \
printed, wait again later; 10 CANCELLED by Ctrl-C (the order may still be paid: wait again; \
a second Ctrl-C kills); else the starpos status code, 64 usage.";
/// The exit statuses of `sale`: a sale still not final at the deadline is TIMEOUT, not 21.
const SALE_EXITS: &str = "Exit: 0 paid (S), 20 it ended F or D, 3 TIMEOUT still not final (A \
or Z) at the deadline: its last answer (if any) and the tradeNo are printed; query the tradeNo \
later, never pay again; 10 CANCELLED by Ctrl-C while waiting (the order may still be paid: \
follow the printed tradeNo with starpos wait; a second Ctrl-C kills), 11 CANCELLED_NOT_SENT \
(nothing was sent); else the starpos status code (after an in-doubt one: query the tradeNo), \
64 usage.";
/// The exit statuses of `barcode-pay`.
const COUNTER_EXITS: &str = "Exit: 0 paid (S), 20 failed (F), 21 A (the payer is entering a \
password) or Z: query the printed tradeNo, never pay again; else the starpos status code \
(after an in-doubt one: query the tradeNo), 64 usage.";
/// The exit statuses of `qr-pay`.
const QR_EXITS: &str = "Exit: 0 the QR order was made (S: show it, then `starpos wait \
--qry-no <tradeNo>`), 20 refused (F), 21 Z (query the tradeNo); else the starpos status code, \
64 usage.";
/// The exit statuses of `recover`.
const RECOVER_EXITS: &str = "Exit: 0 every sale it reported is settled, 21 some are still \
unknown (they stay open: run it again later); JOURNAL (9) when the journal cannot be read; \
64 usage (no --journal).";
/// The exit statuses of `refund`.
const REFUND_EXITS: &str = "Exit: 0 refunded (S), 20 answered F, 21 answered Z (query the \
refund's tradeNo); else the starpos status code, 64 usage.";

const REVOKE_EXITS: &str = "Exit: 0 revoked (S: the sale now queries D), 20 answered F (not \
revoked), 21 answered Z (wait on the sale's tradeNo: D = revoked); else the starpos status \
code (7 GATEWAY: refused, nothing moved; the acquirer may not support revoking: refund \
instead), 64 usage.";

/// Request fields every gateway call may set.
#[derive(Debug, Args)]
pub struct Common {
    /// txnTime, `yyyyMMddHHmmss` (default: now).
    #[arg(long, value_name = "TIME")]
    pub txn_time: Option<String>,
    /// The protocol `version` field (default: V1.0.0, or V1.0.1 when an extended field is used).
    #[arg(long, value_name = "V")]
    pub protocol_version: Option<String>,
}

/// `starpos qry`.
#[derive(Debug, Args)]
pub struct QryArgs {
    /// Fields every call may set.
    #[command(flatten)]
    pub common: Common,
    /// Free text echoed back (makes the version V1.0.1).
    #[arg(long, value_name = "TEXT")]
    pub attach: Option<String>,
}

/// `starpos pay`.
#[derive(Debug, Args)]
pub struct PayArgs {
    /// Fields every call may set.
    #[command(flatten)]
    pub common: Common,
    /// The WeChat OAuth code (or give --openid).
    #[arg(long, value_name = "C")]
    pub code: Option<String>,
    /// The payer's openid instead of a code (makes the version V1.0.1).
    #[arg(long, value_name = "ID")]
    pub openid: Option<String>,
    /// What the payer pays, in fen.
    #[arg(long, value_name = "FEN", value_parser = fen, allow_hyphen_values = true)]
    pub amount: u64,
    /// The order's total, in fen (at least --amount).
    #[arg(long, value_name = "FEN", value_parser = fen, allow_hyphen_values = true)]
    pub total_amount: u64,
    /// What is sold.
    #[arg(long, value_name = "TEXT")]
    pub subject: Option<String>,
    /// The merchant's own order number (unique).
    #[arg(long, value_name = "NO")]
    pub sel_order_no: Option<String>,
    /// WeChat goods tag.
    #[arg(long, value_name = "TAG")]
    pub goods_tag: Option<String>,
    /// Free text echoed back (makes the version V1.0.1).
    #[arg(long, value_name = "TEXT")]
    pub attach: Option<String>,
}

/// `starpos query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Fields every call may set.
    #[command(flatten)]
    pub common: Common,
    /// This query's own tradeNo (default: a new one).
    #[arg(long, value_name = "NO")]
    pub trade_no: Option<String>,
    /// The order: its logNo, orderNo or tradeNo.
    #[arg(long, value_name = "NO")]
    pub qry_no: String,
}

/// `starpos wait`.
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// The order: its logNo, orderNo or tradeNo.
    #[arg(long, value_name = "NO")]
    pub qry_no: String,
    /// Time between queries, in ms (default 3000).
    #[arg(long, value_name = "MS", value_parser = milliseconds, default_value_t = 0, hide_default_value = true)]
    pub interval_ms: u64,
    /// Give up after this many ms (default 60000).
    #[arg(long, value_name = "MS", value_parser = milliseconds, default_value_t = 0, hide_default_value = true)]
    pub deadline_ms: u64,
}

/// `starpos refund`.
#[derive(Debug, Args)]
pub struct RefundArgs {
    /// Fields every call may set.
    #[command(flatten)]
    pub common: Common,
    /// This refund's own tradeNo (default: a new one); query it after an in-doubt failure.
    #[arg(long, value_name = "NO")]
    pub trade_no: Option<String>,
    /// The channel's orderNo, from a query that answered S.
    #[arg(long, value_name = "NO")]
    pub order_no: String,
    /// How much to give back, in fen (default: all).
    #[arg(long, value_name = "FEN", value_parser = fen, allow_hyphen_values = true)]
    pub txn_amt: Option<u64>,
}

/// `starpos revoke`.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// Fields every call may set.
    #[command(flatten)]
    pub common: Common,
    /// The sale to revoke: its tradeNo (same day only).
    #[arg(long, value_name = "NO")]
    pub qry_no: String,
    /// This revoke's own tradeNo (default: a new one).
    #[arg(long, value_name = "NO")]
    pub trade_no: Option<String>,
}

/// What a counter sale pays for.
#[derive(Debug, Args)]
pub struct OrderArgs {
    /// What the payer pays, in fen.
    #[arg(long, value_name = "FEN", value_parser = fen, allow_hyphen_values = true)]
    pub amount: u64,
    /// The order's total, in fen (at least --amount).
    #[arg(long, value_name = "FEN", value_parser = fen, allow_hyphen_values = true)]
    pub total_amount: u64,
    /// What is sold (≤ 512 bytes counted in GBK).
    #[arg(long, value_name = "TEXT")]
    pub subject: Option<String>,
    /// The merchant's own order number.
    #[arg(long, value_name = "NO")]
    pub sel_order_no: Option<String>,
    /// Goods tag (≤ 512 GBK bytes).
    #[arg(long, value_name = "TAG")]
    pub goods_tag: Option<String>,
    /// Free text echoed back (≤ 512 GBK bytes).
    #[arg(long, value_name = "TEXT")]
    pub attach: Option<String>,
    /// addField, sent as given (≤ 256 GBK bytes).
    #[arg(long, value_name = "TEXT")]
    pub add_field: Option<String>,
}

/// `starpos barcode-pay`.
#[derive(Debug, Args)]
pub struct BarcodePayArgs {
    /// Fields every call may set.
    #[command(flatten)]
    pub common: Common,
    /// This sale's tradeNo (default: a new one, printed): query it if the answer is lost.
    #[arg(long, value_name = "NO")]
    pub trade_no: Option<String>,
    /// The payment code scanned from the payer's phone (never printed).
    #[arg(long, value_name = "CODE")]
    pub auth_code: String,
    /// WXPAY, ALIPAY or YLPAY (default: from the code's prefix).
    #[arg(long, value_name = "CH")]
    pub pay_channel: Option<String>,
    /// What is paid for.
    #[command(flatten)]
    pub order: OrderArgs,
}

/// `starpos qr-pay`.
#[derive(Debug, Args)]
pub struct QrPayArgs {
    /// Fields every call may set.
    #[command(flatten)]
    pub common: Common,
    /// This sale's tradeNo (default: a new one, printed).
    #[arg(long, value_name = "NO")]
    pub trade_no: Option<String>,
    /// WXPAY, ALIPAY or YLPAY.
    #[arg(long, value_name = "CH")]
    pub pay_channel: String,
    /// What is paid for.
    #[command(flatten)]
    pub order: OrderArgs,
}

/// `starpos sale`.
#[derive(Debug, Args)]
pub struct SaleArgs {
    /// The barcode pay.
    #[command(flatten)]
    pub pay: BarcodePayArgs,
    /// Time between queries, in ms (default 3000).
    #[arg(long, value_name = "MS", value_parser = milliseconds, default_value_t = 0, hide_default_value = true)]
    pub interval_ms: u64,
    /// Give up querying after this many ms (default 60000); then query the tradeNo later.
    #[arg(long, value_name = "MS", value_parser = milliseconds, default_value_t = 0, hide_default_value = true)]
    pub deadline_ms: u64,
    /// The closed loop: when the sale is given up in doubt (deadline, Ctrl-C), revoke it so
    /// the payer is never charged; ends D (revoked), or the sale's final state if it got one.
    #[arg(long)]
    pub revoke_on_give_up: bool,
}

/// `starpos recover`.
#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// Stop querying after this many ms (default 30000); what is still unknown stays open.
    #[arg(long, value_name = "MS", value_parser = milliseconds, default_value_t = 0, hide_default_value = true)]
    pub deadline_ms: u64,
}

/// `starpos journal`.
#[derive(Debug, Args)]
pub struct JournalArgs {
    /// The closing summary instead of the sales: per kind and channel, how many, the fen paid
    /// and refunded (settled S), and the sales still open (run `starpos recover` first).
    #[arg(long)]
    pub summary: bool,
}

/// `starpos oauth-url`.
#[derive(Debug, Args)]
pub struct OauthUrlArgs {
    /// The official account's appId (from `starpos qry`).
    #[arg(long, value_name = "A")]
    pub app_id: String,
    /// Where WeChat sends the payer back with ?code=...
    #[arg(long, value_name = "U")]
    pub redirect_uri: String,
    /// Echoed back to the redirect URI.
    #[arg(long, value_name = "S")]
    pub state: Option<String>,
}

/// `starpos call`.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// The endpoint's name, e.g. pubSigQry.
    pub endpoint: String,
    /// The endpoint's own fields, one JSON object.
    #[arg(long, value_name = "JSON")]
    pub fields: String,
}

/// An amount of money: a whole number of fen, 1 or more, of at most 13 digits (what the
/// gateway carries, [`starpos::MAX_AMOUNT_FEN`]).
pub fn fen(text: &str) -> Result<u64, String> {
    const RULE: &str = "must be a whole number of fen, 1 or more";
    let digits = text.trim_start_matches('0');
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && digits.len() > 13 {
        return Err(format!(
            "too large: {RULE}, at most 13 digits (below 10^13 fen), got {} digits",
            digits.len()
        ));
    }
    match text.parse::<u64>() {
        Ok(n) if (1..=starpos::MAX_AMOUNT_FEN).contains(&n) => Ok(n),
        _ => Err(RULE.to_owned()),
    }
}

/// A duration: a whole number of milliseconds.
pub fn milliseconds(text: &str) -> Result<u64, String> {
    text.parse::<u64>()
        .map_err(|_| "must be a whole number of milliseconds, 0 or more".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    fn parse(line: &str) -> Result<Cli, clap::Error> {
        parse_from(std::iter::once("starpos").chain(line.split_whitespace()))
    }

    #[test]
    fn the_declaration_is_consistent() {
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn global_options_after_the_command_reach_the_global_struct() {
        let cli = parse("qry --json --gateway sandbox --journal /tmp/j").unwrap();
        assert!(cli.global.json);
        assert_eq!(cli.global.gateway.as_deref(), Some("sandbox"));
        assert!(cli.global.journal.is_some());
    }

    #[test]
    fn global_options_stand_anywhere() {
        let cli = parse("--json pay --code C --amount=5 --total-amount 9 --show-secrets").unwrap();
        assert!(cli.global.json && cli.global.show_secrets);
        match cli.command {
            Command::Pay(pay) => assert_eq!((pay.amount, pay.total_amount), (5, 9)),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn amounts_over_13_digits_are_too_large() {
        assert_eq!(fen("9999999999999"), Ok(9_999_999_999_999));
        assert_eq!(fen("0009999999999999"), Ok(9_999_999_999_999));
        for big in ["10000000000000", "99999999999999999999"] {
            let e = fen(big).unwrap_err();
            assert!(
                e.starts_with("too large: must be a whole number of fen"),
                "{e}"
            );
            assert!(e.contains("at most 13 digits"), "{e}");
        }
    }

    #[test]
    fn amounts_are_whole_fen_from_one() {
        assert_eq!(fen("1"), Ok(1));
        for bad in ["0", "-5", "1.5", "x", ""] {
            assert_eq!(
                fen(bad),
                Err("must be a whole number of fen, 1 or more".to_owned()),
                "{bad:?}"
            );
        }
    }
}
