//! `starpos-sim`: runs the gateway simulator until killed.
//!
//! ```text
//! starpos-sim [--port P] [--bind ADDR] [--settle-after-ms N] [--org-no NO] [--merc-id ID]
//!             [--key KEY] [--app-id ID] [--app-id-key KEY] [--show-secrets]
//! ```

use starpos_sim::{SimConfig, Simulator, DEFAULT_TRM_NO};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "\
usage: starpos-sim [options]

Serves a simulated StarPOS gateway until killed.

options:
  --port P              port to listen on (default: any free port)
  --bind ADDR           address to listen on, IP or IP:PORT (default 127.0.0.1)
  --settle-after-ms N   waiting (A) payments become S this many ms after the
                        pay (default: they stay A until confirmed)
  --org-no NO           the merchant's orgNo
  --merc-id ID          the merchant's mercId
  --key KEY             the merchant key
  --app-id ID           the official account's appId
  --app-id-key KEY      the official account's appIdKey
  --show-secrets        print the keys in full instead of masked
  -h, --help            this text

Endpoints: pubSigQry, pubSigPay, sdkQryBarcodePay, sdkRefundBarcodePay,
sdkBarcodePay, sdkBarcodePosPay.

The payer of sdkBarcodePay, by the scanned authCode's last digit:
  1  enters a password: answers A, S on confirm (or after --settle-after-ms)
  2  the wallet refuses: answers F
  3  answers Z although the money moved: the order is S, a query says S
  other digits pay at once: S
sdkBarcodePosPay answers S with payCode; its order is A until confirm (S),
cancel (F) or 15 minutes of simulated time unpaid (F, expired).

Control: POST <host>/_sim/confirm {\"no\":\"...\"}, /_sim/cancel, /_sim/state, /_sim/fault,
/_sim/advance {\"ms\":N} (moves the simulated clock); GET /_sim/orders, /_sim/requests.";

struct Args {
    config: SimConfig,
    show_secrets: bool,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut config = SimConfig::default();
    let mut show_secrets = false;
    let mut ip: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port: Option<u16> = None;
    let mut bind_port: Option<u16> = None;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--show-secrets" => show_secrets = true,
            "--port" => {
                let v = value("--port")?;
                port = Some(
                    v.parse()
                        .map_err(|_| format!("--port: not a port number: {v}"))?,
                );
            }
            "--bind" => {
                let v = value("--bind")?;
                if let Ok(addr) = v.parse::<SocketAddr>() {
                    ip = addr.ip();
                    bind_port = Some(addr.port());
                } else {
                    ip = v
                        .parse()
                        .map_err(|_| format!("--bind: not an IP address or IP:PORT: {v}"))?;
                }
            }
            "--settle-after-ms" => {
                let v = value("--settle-after-ms")?;
                let ms: u64 = v
                    .parse()
                    .map_err(|_| format!("--settle-after-ms: not a number: {v}"))?;
                config.settle_after = Some(Duration::from_millis(ms));
            }
            "--org-no" => config.org_no = value("--org-no")?,
            "--merc-id" => config.merc_id = value("--merc-id")?,
            "--key" => config.key = value("--key")?,
            "--app-id" => config.app_id = value("--app-id")?,
            "--app-id-key" => config.app_id_key = value("--app-id-key")?,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if let (Some(p), Some(b)) = (port, bind_port) {
        if p != b {
            return Err(format!("--port {p} and --bind with port {b} disagree"));
        }
    }
    config.bind = SocketAddr::new(ip, port.or(bind_port).unwrap_or(0));
    Ok(Some(Args {
        config,
        show_secrets,
    }))
}

/// The first four characters and stars, so a person can tell keys apart without reading them.
fn mask(secret: &str, show: bool) -> String {
    if show {
        return secret.to_owned();
    }
    let head: String = secret.chars().take(4).collect();
    format!(
        "{head}{} ({} characters; --show-secrets to print)",
        "*".repeat(8),
        secret.chars().count()
    )
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("starpos-sim: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let sim = match Simulator::start(args.config.clone()) {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("starpos-sim: cannot listen on {}: {e}", args.config.bind);
            return ExitCode::FAILURE;
        }
    };
    let c = sim.config();
    println!("starpos-sim listening");
    println!("  base URL:   {}", sim.base_url());
    println!("  orgNo:      {}", c.org_no);
    println!("  mercId:     {}", c.merc_id);
    println!("  trmNo:      {DEFAULT_TRM_NO} (any 1-8 letters or digits)");
    println!("  key:        {}", mask(&c.key, args.show_secrets));
    println!("  appId:      {}", c.app_id);
    println!("  appIdKey:   {}", mask(&c.app_id_key, args.show_secrets));
    match c.settle_after {
        Some(d) => println!(
            "  settle:     waiting payments become S {} ms after the pay",
            d.as_millis()
        ),
        None => println!("  settle:     payments stay A until POST /_sim/confirm or /_sim/cancel"),
    }
    println!("  payer:      sdkBarcodePay authCode ending 1 = password (A), 2 = refused (F),");
    println!("              3 = Z but paid, other = paid (S); --help for the rest");
    println!(
        "  control:    http://{}/_sim/ (confirm, cancel, state, advance, fault, orders, requests)",
        sim.local_addr()
    );
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Option<Args>, String> {
        parse(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn parses_options() {
        let a = args(&[
            "--port",
            "8080",
            "--settle-after-ms",
            "50",
            "--merc-id",
            "M1",
            "--show-secrets",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(a.config.bind, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(a.config.settle_after, Some(Duration::from_millis(50)));
        assert_eq!(a.config.merc_id, "M1");
        assert!(a.show_secrets);
        let a = args(&["--bind", "0.0.0.0:9000"]).unwrap().unwrap();
        assert_eq!(a.config.bind, "0.0.0.0:9000".parse().unwrap());
        let a = args(&["--bind", "0.0.0.0", "--port", "9001"])
            .unwrap()
            .unwrap();
        assert_eq!(a.config.bind, "0.0.0.0:9001".parse().unwrap());
        assert!(args(&["--help"]).unwrap().is_none());
        assert!(args(&["--port"]).is_err());
        assert!(args(&["--port", "x"]).is_err());
        assert!(args(&["--bogus"]).is_err());
        assert!(args(&["--bind", "1.2.3.4:1", "--port", "2"]).is_err());
    }

    #[test]
    fn masks_secrets() {
        assert!(mask("ABCDEFGHIJ", false).starts_with("ABCD********"));
        assert!(!mask("ABCDEFGHIJ", false).contains("EFGH"));
        assert_eq!(mask("ABCDEFGHIJ", true), "ABCDEFGHIJ");
    }
}
