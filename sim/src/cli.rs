//! The simulator's command line, one declaration for both front ends: the `starpos-sim`
//! binary and the CLI's `starpos sim`.
//!
//! - [`SimArgs`] is the `clap` declaration of every option, with its name and default; both
//!   front ends flatten it, so `starpos-sim --help` and `starpos sim --help` list the same
//!   options (`starpos sim` also takes the CLI's global options, which it ignores, except that
//!   `--org-no`, `--merc-id`, `--key` and `--show-secrets` given before `sim` count as its own).
//! - [`SimArgs::start`] turns them into a [`SimConfig`] and starts the [`Simulator`]; its
//!   [`StartError`] says what went wrong and which exit status that is.
//! - [`banner`] is what both print once listening, secrets masked by [`mask`] (the CLI's rule).
//! - The exit statuses are the CLI's: [`EXIT_USAGE`] (64), [`EXIT_CANNOT_LISTEN`] (69),
//!   [`EXIT_OUTPUT`] (74); help exits 0, and a simulator that started serves until killed.
//!
//! ```
//! use clap::FromArgMatches;
//! use starpos_sim::cli::{self, SimArgs};
//!
//! let matches = cli::command().try_get_matches_from(["starpos-sim", "--settle-after-ms", "500"])?;
//! let args = SimArgs::from_arg_matches(&matches)?;
//! let sim = args.start()?;
//! print!("{}", cli::banner(&sim, args.show_secrets));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::{
    SimConfig, Simulator, BASE_PATH, DEFAULT_APP_ID, DEFAULT_APP_ID_KEY, DEFAULT_KEY,
    DEFAULT_MERC_ID, DEFAULT_ORG_NO, DEFAULT_TRM_NO,
};
use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

/// Exit status: the command line could not be used (the CLI's usage status).
pub const EXIT_USAGE: u8 = 64;
/// Exit status: the simulator cannot listen where it was told to: the address is in use (most
/// often), not this machine's, or needs privileges. sysexits' EX_UNAVAILABLE.
pub const EXIT_CANNOT_LISTEN: u8 = 69;
/// Exit status: stdout was closed or full, so the banner could not be written (the CLI's
/// "output lost"); sysexits' EX_IOERR.
pub const EXIT_OUTPUT: u8 = 74;

/// What `starpos-sim --help` says first.
pub const ABOUT: &str =
    "Serves a simulated StarPOS gateway until interrupted (starpos sim is the same)";

/// The `starpos-sim` command line: [`SimArgs`], [`ABOUT`] and [`AFTER_HELP`]. The binary parses
/// with it; `starpos sim` flattens the same [`SimArgs`] and shows the same [`AFTER_HELP`].
pub fn command() -> clap::Command {
    use clap::Args;
    // After augment_args, which would make SimArgs' own documentation the about text.
    SimArgs::augment_args(clap::Command::new("starpos-sim"))
        .about(ABOUT)
        .long_about(None)
        .after_help(AFTER_HELP)
}

/// What `--help` says after the options, for both front ends.
pub const AFTER_HELP: &str = "\
Endpoints: pubSigQry, pubSigPay, sdkQryBarcodePay, sdkRefundBarcodePay, sdkBarcodePay,
sdkBarcodePosPay, RevokeBarcodepay (qryNo: a same-day sale's number; S or A -> D, S again
for D, F for F). The payer of sdkBarcodePay, by the scanned authCode's last digit:
  1  enters a password: answers A, S on confirm (or after --settle-after-ms)
  2  the wallet refuses: answers F
  3  answers Z although the money moved: the order is S, a query says S
  other digits pay at once: S
sdkBarcodePosPay answers S with payCode; its order is A until confirm (S), cancel (F) or 15
minutes of simulated time unpaid (F, expired). A revoked (D) order can no longer be paid.

Control: POST <host>/_sim/confirm {\"no\":\"...\"}, /_sim/cancel, /_sim/state, /_sim/fault,
/_sim/advance {\"ms\":N} (moves the simulated clock); GET /_sim/orders, /_sim/requests.

Exit statuses (the starpos command line's): it serves until killed; 64 usage: the command
line is wrong; 69 cannot listen: the address is in use (another simulator?), not this
machine's, or needs privileges: stop what holds it or pick another --port (0: any free one);
74 stdout was closed or full, so the base URL could not be written.";

/// Every option of the simulator, declared once for `starpos-sim` and `starpos sim`.
///
/// The credentials fall back to `STARPOS_ORG_NO`, `STARPOS_MERC_ID` and `STARPOS_KEY`, the
/// variables the CLI's other commands read, so a simulator started where they are set accepts
/// what those commands send; the flag wins.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct SimArgs {
    /// The port to listen on (default: any free port; the base URL says which).
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,
    /// The address to listen on, IP or IP:PORT (default 127.0.0.1: this machine only).
    #[arg(long, value_name = "ADDR", value_parser = bind_address)]
    pub bind: Option<Bind>,
    /// Waiting (A) payments become S this many ms after the pay (default: they stay A until
    /// POST /_sim/confirm or /_sim/cancel).
    #[arg(long, value_name = "MS", value_parser = milliseconds)]
    pub settle_after_ms: Option<u64>,
    /// The merchant's orgNo, the only one accepted.
    #[arg(
        long,
        value_name = "N",
        env = "STARPOS_ORG_NO",
        default_value = DEFAULT_ORG_NO,
        value_parser = not_empty
    )]
    pub org_no: String,
    /// The merchant's mercId, the only one accepted.
    #[arg(
        long,
        value_name = "N",
        env = "STARPOS_MERC_ID",
        default_value = DEFAULT_MERC_ID,
        value_parser = not_empty
    )]
    pub merc_id: String,
    /// The merchant key requests must be signed with (default: the simulator's test key,
    /// starpos_sim::DEFAULT_KEY); printed masked.
    #[arg(
        long,
        value_name = "KEY",
        env = "STARPOS_KEY",
        hide_env_values = true,
        default_value = DEFAULT_KEY,
        hide_default_value = true,
        value_parser = not_empty
    )]
    pub key: String,
    /// The official account's appId that pubSigQry answers.
    #[arg(long, value_name = "ID", default_value = DEFAULT_APP_ID, value_parser = not_empty)]
    pub app_id: String,
    /// The official account's appIdKey that pubSigQry answers (default:
    /// starpos_sim::DEFAULT_APP_ID_KEY); printed masked.
    #[arg(
        long,
        value_name = "KEY",
        default_value = DEFAULT_APP_ID_KEY,
        hide_default_value = true,
        value_parser = not_empty
    )]
    pub app_id_key: String,
    /// Print the keys in clear instead of masked.
    #[arg(long)]
    pub show_secrets: bool,
}

/// What `--bind` names: an address, and a port if it gave one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bind {
    /// The address to listen on.
    pub ip: IpAddr,
    /// The port, when `--bind` was IP:PORT.
    pub port: Option<u16>,
}

/// `--bind`: an IP address, or IP:PORT (`[::1]:8280` for IPv6).
fn bind_address(text: &str) -> Result<Bind, String> {
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(Bind {
            ip: addr.ip(),
            port: Some(addr.port()),
        });
    }
    text.parse::<IpAddr>()
        .map(|ip| Bind { ip, port: None })
        .map_err(|_| {
            "must be an IP address or IP:PORT, such as 127.0.0.1, 0.0.0.0:8280 or [::1]:8280"
                .to_owned()
        })
}

/// A duration: a whole number of milliseconds (the CLI's wording).
fn milliseconds(text: &str) -> Result<u64, String> {
    text.parse::<u64>()
        .map_err(|_| "must be a whole number of milliseconds, 0 or more".to_owned())
}

/// A credential: any text but the empty one, which no request could match.
fn not_empty(text: &str) -> Result<String, String> {
    if text.is_empty() {
        Err("must not be empty".to_owned())
    } else {
        Ok(text.to_owned())
    }
}

impl SimArgs {
    /// The configuration these options ask for, or why they cannot be used together (a usage
    /// error: `--port` and `--bind` naming different ports).
    pub fn config(&self) -> Result<SimConfig, String> {
        let bind_port = self.bind.and_then(|b| b.port);
        let port = match (self.port, bind_port) {
            (Some(p), Some(b)) if p != b => {
                return Err(format!(
                    "--port {p} and --bind with port {b} name different ports: give the port \
                     once (--port, or --bind IP:PORT)"
                ))
            }
            (p, b) => p.or(b).unwrap_or(0),
        };
        let ip = self.bind.map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |b| b.ip);
        Ok(SimConfig {
            org_no: self.org_no.clone(),
            merc_id: self.merc_id.clone(),
            key: self.key.clone(),
            app_id: self.app_id.clone(),
            app_id_key: self.app_id_key.clone(),
            settle_after: self.settle_after_ms.map(Duration::from_millis),
            bind: SocketAddr::new(ip, port),
            ..SimConfig::default()
        })
    }

    /// Starts the simulator these options describe.
    pub fn start(&self) -> Result<Simulator, StartError> {
        let config = self.config().map_err(StartError::Usage)?;
        let addr = config.bind;
        Simulator::start(config).map_err(|error| StartError::Listen { addr, error })
    }
}

/// Why [`SimArgs::start`] failed.
#[derive(Debug)]
pub enum StartError {
    /// The options cannot be used together ([`EXIT_USAGE`]).
    Usage(String),
    /// The address could not be listened on ([`EXIT_CANNOT_LISTEN`]).
    Listen {
        /// Where it was to listen.
        addr: SocketAddr,
        /// What the bind returned ([`io::ErrorKind::AddrInUse`] for a busy port).
        error: io::Error,
    },
}

impl StartError {
    /// The process exit status for it.
    pub fn exit_status(&self) -> u8 {
        match self {
            StartError::Usage(_) => EXIT_USAGE,
            StartError::Listen { .. } => EXIT_CANNOT_LISTEN,
        }
    }
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Usage(message) => f.write_str(message),
            StartError::Listen { addr, error } => {
                write!(f, "cannot listen on {addr}: ")?;
                match error.kind() {
                    io::ErrorKind::AddrInUse => write!(
                        f,
                        "address in use (another program, perhaps another simulator, listens \
                         there): stop it, or pick another --port (--port 0 takes any free one)"
                    ),
                    io::ErrorKind::PermissionDenied => write!(
                        f,
                        "permission denied ({error}): ports below 1024 need privileges; pick \
                         another --port"
                    ),
                    io::ErrorKind::AddrNotAvailable => write!(
                        f,
                        "address not available ({error}): --bind must name an address of this \
                         machine (127.0.0.1, 0.0.0.0 for every one)"
                    ),
                    _ => write!(f, "{error}"),
                }
            }
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Usage(_) => None,
            StartError::Listen { error, .. } => Some(error),
        }
    }
}

/// Masks `secret` unless `show`: a hint of its length, none of its content. The CLI's rule
/// (`starpos` prints secrets the same way); empty text stays empty.
pub fn mask(secret: &str, show: bool) -> String {
    if show || secret.is_empty() {
        secret.to_owned()
    } else {
        format!(
            "**** ({} characters, --show-secrets to see)",
            secret.chars().count()
        )
    }
}

/// What both front ends print once the simulator listens, ending in a newline. The line
/// `  base URL:   http://...` is what scripts wait for (`sed -n 's/^ *base URL: *//p'`).
pub fn banner(sim: &Simulator, show_secrets: bool) -> String {
    let c = sim.config();
    let base = sim.base_url();
    let host = base.strip_suffix(BASE_PATH).unwrap_or(&base);
    let key = mask(&c.key, show_secrets);
    let settle = match c.settle_after {
        Some(d) => format!(
            "waiting payments become S {} ms after the pay",
            d.as_millis()
        ),
        None => "payments stay A until POST /_sim/confirm or /_sim/cancel".to_owned(),
    };
    format!(
        "starpos gateway simulator listening on {local}\n\
         \x20 base URL:   {base}\n\
         \x20 orgNo:      {org_no}\n\
         \x20 mercId:     {merc_id}\n\
         \x20 trmNo:      {DEFAULT_TRM_NO} (any 1-8 letters or digits)\n\
         \x20 key:        {key}\n\
         \x20 appId:      {app_id}\n\
         \x20 appIdKey:   {app_id_key}\n\
         \x20 settle:     {settle}\n\
         \x20 payer:      sdkBarcodePay authCode ending 1 = password (A), 2 = refused (F),\n\
         \x20             3 = Z but paid, other = paid (S); --help for the rest\n\
         \x20 control:    {host}/_sim/ (confirm, cancel, state, advance, fault, orders, requests)\n\
         \x20 starpos:    --gateway {base} --org-no {org_no} --merc-id {merc_id} --trm-no {DEFAULT_TRM_NO} --key {key}\n\
         serving until interrupted (Ctrl-C)\n",
        local = sim.local_addr(),
        org_no = c.org_no,
        merc_id = c.merc_id,
        app_id = c.app_id,
        app_id_key = mask(&c.app_id_key, show_secrets),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::FromArgMatches;

    fn parse(list: &[&str]) -> Result<SimArgs, clap::Error> {
        let matches = command()
            .try_get_matches_from(std::iter::once("starpos-sim").chain(list.iter().copied()))?;
        SimArgs::from_arg_matches(&matches)
    }

    fn config(list: &[&str]) -> Result<SimConfig, String> {
        parse(list).map_err(|e| e.to_string())?.config()
    }

    #[test]
    fn the_declaration_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn parses_options() {
        let c = config(&[
            "--port",
            "8080",
            "--settle-after-ms",
            "50",
            "--merc-id",
            "M1",
            "--org-no",
            "9",
            "--key",
            "K",
            "--app-id",
            "wx1",
            "--app-id-key",
            "AK",
        ])
        .unwrap();
        assert_eq!(c.bind, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(c.settle_after, Some(Duration::from_millis(50)));
        assert_eq!(
            (&*c.merc_id, &*c.org_no, &*c.key, &*c.app_id, &*c.app_id_key),
            ("M1", "9", "K", "wx1", "AK")
        );
        assert!(parse(&["--show-secrets"]).unwrap().show_secrets);
        let bind = |list: &[&str]| config(list).map(|c| c.bind.to_string());
        assert_eq!(bind(&["--bind", "0.0.0.0:9000"]).unwrap(), "0.0.0.0:9000");
        assert_eq!(
            bind(&["--bind", "0.0.0.0", "--port", "9001"]).unwrap(),
            "0.0.0.0:9001"
        );
        assert_eq!(
            bind(&["--bind", "0.0.0.0:9002", "--port", "9002"]).unwrap(),
            "0.0.0.0:9002"
        );
        assert_eq!(bind(&["--bind", "[::1]:9003"]).unwrap(), "[::1]:9003");
        assert_eq!(bind(&[]).unwrap(), "127.0.0.1:0");
        let e = bind(&["--bind", "1.2.3.4:1", "--port", "2"]).unwrap_err();
        assert!(e.contains("different ports"), "{e}");
    }

    #[test]
    fn defaults_are_the_simulators() {
        // The variables would be taken; this test sees only the defaults when none is set.
        if ["STARPOS_ORG_NO", "STARPOS_MERC_ID", "STARPOS_KEY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some())
        {
            return;
        }
        assert_eq!(config(&[]).unwrap(), SimConfig::default());
    }

    #[test]
    fn bad_values_are_usage_errors_naming_the_rule() {
        for (args, words) in [
            (&["--port"][..], "a value is required"),
            (&["--port", "x"], "invalid value 'x' for '--port <PORT>'"),
            (&["--port", "70000"], "--port <PORT>"),
            (&["--bind", "localhost"], "must be an IP address or IP:PORT"),
            (
                &["--settle-after-ms", "1.5"],
                "whole number of milliseconds",
            ),
            (&["--key", ""], "must not be empty"),
            (&["--bogus"], "unexpected argument '--bogus'"),
        ] {
            let e = parse(args).unwrap_err().to_string();
            assert!(e.contains(words), "{args:?}: {e}");
        }
    }

    #[test]
    fn masks_secrets_like_the_cli() {
        assert_eq!(
            mask("ABCDEFGHIJ", false),
            "**** (10 characters, --show-secrets to see)"
        );
        assert_eq!(mask("ABCDEFGHIJ", true), "ABCDEFGHIJ");
        assert_eq!(mask("", false), "");
    }

    #[test]
    fn the_banner_masks_keys_unless_asked() {
        let sim = Simulator::start(SimConfig::default()).unwrap();
        let masked = banner(&sim, false);
        assert!(masked.contains(&format!("  base URL:   {}\n", sim.base_url())));
        assert!(!masked.contains(DEFAULT_KEY) && !masked.contains(DEFAULT_APP_ID_KEY));
        assert!(masked.contains("key:        **** (32 characters, --show-secrets to see)"));
        let shown = banner(&sim, true);
        assert!(shown.contains(DEFAULT_KEY) && shown.contains(DEFAULT_APP_ID_KEY));
    }

    #[test]
    fn a_busy_port_says_address_in_use() {
        let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = held.local_addr().unwrap().port().to_string();
        let e = parse(&["--port", &port]).unwrap().start().unwrap_err();
        assert_eq!(e.exit_status(), EXIT_CANNOT_LISTEN);
        let words = e.to_string();
        assert!(
            words.starts_with(&format!(
                "cannot listen on 127.0.0.1:{port}: address in use"
            )),
            "{words}"
        );
    }
}
