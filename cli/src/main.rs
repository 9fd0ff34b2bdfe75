//! `starpos`: the StarPOS gateway from the command line, and a demo of the whole sale against
//! the built-in simulator.

mod args;
mod demo;
mod output;

use args::Args;
use output::Printer;
use starpos::{
    Client, Config, Error, PayRequest, QryRequest, QueryRequest, RefundRequest, Status,
    PRODUCTION_URL, SANDBOX_URL,
};
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "\
usage: starpos [--gateway URL|production|sandbox] [--org-no N --merc-id N --trm-no N --key K]
               [--timeout-ms N] [--json] [--show-secrets] <command> [options]

commands:
  qry                                         the merchant's WeChat official account
  pay --code C --amount FEN --total-amount FEN [--subject S] [--sel-order-no S]
      [--goods-tag S] [--attach S]            pay with a WeChat OAuth code
  query --qry-no N                            the order's state now
  wait --qry-no N [--interval-ms MS] [--deadline-ms MS]
                                              query until the order is final
  refund --order-no N [--txn-amt FEN]         give money back (all when no --txn-amt)
  oauth-url --app-id A --redirect-uri U [--state S]
                                              the WeChat link that yields the pay code
  call ENDPOINT --fields JSON                 any other endpoint, signed and verified
  sim [--port P] [--settle-after-ms MS]       serve the gateway simulator
  demo                                        the whole sale against the built-in simulator

Credentials may also come from STARPOS_GATEWAY, STARPOS_ORG_NO, STARPOS_MERC_ID,
STARPOS_TRM_NO and STARPOS_KEY. Exit status: 0 OK, else the starpos status code
(1 INVALID_ARGUMENT ... 8 INTERNAL), 64 for a usage error.";

/// Exit status for a command line that could not be understood.
const EXIT_USAGE: u8 = 64;

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    if args.switch("help") || args.words.is_empty() {
        println!("{USAGE}");
        return if args.switch("help") {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(EXIT_USAGE)
        };
    }
    let printer = Printer {
        json: args.switch("json"),
        show_secrets: args.switch("show-secrets"),
    };
    match run(&args, &printer) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(e)) => usage_error(&e),
        Err(Failure::Call(e)) => {
            printer.error(&e);
            ExitCode::from(e.status() as u8)
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("starpos: {message}\n\n{USAGE}");
    ExitCode::from(EXIT_USAGE)
}

/// Why a command did not succeed.
enum Failure {
    /// The command line was wrong.
    Usage(String),
    /// The call failed.
    Call(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Call(e)
    }
}

impl From<&str> for Failure {
    fn from(e: &str) -> Failure {
        Failure::Usage(e.to_owned())
    }
}

impl From<String> for Failure {
    fn from(e: String) -> Failure {
        Failure::Usage(e)
    }
}

fn run(args: &Args, out: &Printer) -> Result<(), Failure> {
    let command = args.words[0].as_str();
    match command {
        "demo" => return demo::run(out).map_err(Failure::Call),
        "sim" => return serve_simulator(args),
        "oauth-url" => {
            let url = starpos::wechat::oauth_url(
                args.required("app-id")?,
                args.required("redirect-uri")?,
                args.value("state"),
            )?;
            out.fields(&[("url", url)]);
            return Ok(());
        }
        _ => {}
    }
    let client = client(args)?;
    match command {
        "qry" => {
            let request = QryRequest {
                txn_time: args.value("txn-time"),
                attach: args.value("attach"),
                version: args.value("version"),
            };
            out.fields(&client.qry(&request)?.to_wire());
        }
        "pay" => {
            let request = PayRequest {
                txn_time: args.value("txn-time"),
                version: args.value("version"),
                code: args.value("code"),
                openid: args.value("openid"),
                amount: args.number("amount")?.ok_or("--amount is required")?,
                total_amount: args
                    .number("total-amount")?
                    .ok_or("--total-amount is required")?,
                subject: args.value("subject"),
                sel_order_no: args.value("sel-order-no"),
                goods_tag: args.value("goods-tag"),
                attach: args.value("attach"),
            };
            out.fields(&client.pay(&request)?.to_wire());
        }
        "query" => {
            let request = QueryRequest {
                txn_time: args.value("txn-time"),
                version: args.value("version"),
                trade_no: args.value("trade-no"),
                qry_no: args.required("qry-no")?,
            };
            out.fields(&client.query(&request)?.to_wire());
        }
        "wait" => {
            let ms = |name| {
                args.number(name)
                    .map(|v| Duration::from_millis(v.unwrap_or(0)))
            };
            let answer = client
                .wait(
                    args.required("qry-no")?,
                    ms("interval-ms")?,
                    ms("deadline-ms")?,
                )
                .map_err(|w| w.error)?;
            out.fields(&answer.to_wire());
        }
        "refund" => {
            let request = RefundRequest {
                txn_time: args.value("txn-time"),
                version: args.value("version"),
                trade_no: args.value("trade-no"),
                order_no: args.required("order-no")?,
                txn_amt: args.number("txn-amt")?.unwrap_or(0),
            };
            out.fields(&client.refund(&request)?.to_wire());
        }
        "call" => {
            let endpoint = args.words.get(1).ok_or("call needs an ENDPOINT")?;
            let answer = client.call(endpoint, args.required("fields")?)?;
            let fields: Vec<(&str, String)> =
                answer.fields().map(|(n, v)| (n, v.to_owned())).collect();
            out.fields(&fields);
        }
        other => return Err(Failure::Usage(format!("unknown command {other:?}"))),
    }
    Ok(())
}

/// The client from options, falling back to the environment.
fn client(args: &Args) -> Result<Client, Failure> {
    let get = |option: &str, env: &str| -> Option<String> {
        args.value(option)
            .map(str::to_owned)
            .or_else(|| std::env::var(env).ok())
    };
    let need = |option: &str, env: &str| -> Result<String, Failure> {
        get(option, env).ok_or_else(|| {
            Failure::Call(Error::invalid(
                &option.replace('-', "_"),
                format!("is required (--{option} or {env})"),
            ))
        })
    };
    let gateway = match get("gateway", "STARPOS_GATEWAY").as_deref() {
        None | Some("production") => PRODUCTION_URL.to_owned(),
        Some("sandbox") => SANDBOX_URL.to_owned(),
        Some(url) => url.to_owned(),
    };
    let mut config = Config::new(
        &need("org-no", "STARPOS_ORG_NO")?,
        &need("merc-id", "STARPOS_MERC_ID")?,
        &need("trm-no", "STARPOS_TRM_NO")?,
        &need("key", "STARPOS_KEY")?,
    )
    .with_base_url(&gateway);
    if let Some(ms) = args.number("timeout-ms")? {
        config.timeouts.total = Duration::from_millis(ms);
    }
    Ok(Client::new(config)?)
}

fn serve_simulator(args: &Args) -> Result<(), Failure> {
    let mut config = starpos_sim::SimConfig::default();
    let port = args.number("port")?.unwrap_or(0);
    let port = u16::try_from(port).map_err(|_| format!("--port {port} is not a port"))?;
    config.bind = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    if let Some(ms) = args.number("settle-after-ms")? {
        config.settle_after = Some(Duration::from_millis(ms));
    }
    let sim = starpos_sim::Simulator::start(config.clone())
        .map_err(|e| Failure::Call(Error::new(Status::Connect, format!("cannot serve: {e}"))))?;
    println!("starpos gateway simulator at {}", sim.base_url());
    println!(
        "  --org-no {} --merc-id {} --trm-no {} --key {}",
        config.org_no,
        config.merc_id,
        starpos_sim::DEFAULT_TRM_NO,
        output::mask_if(&config.key, args.switch("show-secrets"))
    );
    println!(
        "  the payer: POST {}_sim/confirm or _sim/cancel with {{\"no\":\"<logNo>\"}}",
        sim.base_url().trim_end_matches("adpweb/ehpspos3/")
    );
    println!("serving until interrupted (Ctrl-C)");
    loop {
        std::thread::park();
    }
}
