//! One function per command: it does the work, prints the answer and says how it ended.

use crate::args::{
    BarcodePayArgs, CallArgs, Command, Global, JournalArgs, OauthUrlArgs, PayArgs, QrPayArgs,
    QryArgs, QueryArgs, RecoverArgs, RefundArgs, RevokeArgs, SaleArgs, WaitArgs,
};
use crate::console::outln;
use crate::exit::{Failure, Outcome};
use crate::output::{Effect, Printer};
use crate::till::Till;
use crate::{demo, gateway};
use starpos::{
    BarcodePayRequest, PayRequest, QrPayRequest, QryRequest, QueryRequest, RefundRequest,
    RevokeRequest,
};
use std::time::Duration;

/// What a command runs with.
pub struct Context<'a> {
    /// The global options (gateway, credentials, output).
    pub global: &'a Global,
    /// Where answers go.
    pub out: Printer,
}

impl Context<'_> {
    /// Whether a wait draws its live status line: stderr is a terminal and the output is
    /// not JSON.
    pub fn status_line(&self) -> bool {
        use std::io::IsTerminal;
        !self.out.json && std::io::stderr().is_terminal()
    }
}

impl Command {
    /// Whether the command can move money (what a failure of it means).
    pub fn effect(&self) -> Effect {
        match self {
            Command::Qry(_)
            | Command::Query(_)
            | Command::Wait(_)
            | Command::Recover(_)
            | Command::Journal(_)
            | Command::Completions(_)
            | Command::Man => Effect::ReadOnly,
            _ => Effect::MayMoveMoney,
        }
    }

    /// Whether the command calls the gateway of `--gateway` (the others need no credentials).
    pub fn calls_the_gateway(&self) -> bool {
        !matches!(
            self,
            Command::Demo
                | Command::OauthUrl(_)
                | Command::Sim(_)
                | Command::Journal(_)
                | Command::Completions(_)
                | Command::Man
        )
    }

    /// Runs the command.
    pub fn run(&self, ctx: &Context) -> Result<Outcome, Failure> {
        match self {
            Command::Qry(a) => qry(ctx, a),
            Command::Pay(a) => pay(ctx, a),
            Command::Query(a) => query(ctx, a),
            Command::Wait(a) => wait(ctx, a),
            Command::Refund(a) => refund(ctx, a),
            Command::Revoke(a) => revoke(ctx, a),
            Command::BarcodePay(a) => barcode_pay(ctx, a),
            Command::QrPay(a) => qr_pay(ctx, a),
            Command::Sale(a) => sale(ctx, a),
            Command::Recover(a) => recover(ctx, a),
            Command::Journal(a) => journal(ctx, a),
            Command::OauthUrl(a) => oauth_url(ctx, a),
            Command::Call(a) => call(ctx, a),
            Command::Sim(a) => sim(ctx, a),
            Command::Demo => demo::run(&ctx.out).map(|()| Outcome::Done),
            Command::Completions(a) => print_bytes(&crate::args::completions(a.shell)),
            Command::Man => print_bytes(&crate::args::man_page()?),
        }
    }
}

fn qry(ctx: &Context, a: &QryArgs) -> Result<Outcome, Failure> {
    let client = gateway::client(ctx.global)?;
    let answer = client.qry(&QryRequest {
        txn_time: a.common.txn_time.as_deref(),
        attach: a.attach.as_deref(),
        version: a.common.protocol_version.as_deref(),
    })?;
    ctx.out.fields(&answer.to_wire())?;
    Ok(Outcome::Done)
}

fn pay(ctx: &Context, a: &PayArgs) -> Result<Outcome, Failure> {
    let client = gateway::client(ctx.global)?;
    let answer = client.pay(&PayRequest {
        txn_time: a.common.txn_time.as_deref(),
        version: a.common.protocol_version.as_deref(),
        code: a.code.as_deref(),
        openid: a.openid.as_deref(),
        amount: a.amount,
        total_amount: a.total_amount,
        subject: a.subject.as_deref(),
        sel_order_no: a.sel_order_no.as_deref(),
        goods_tag: a.goods_tag.as_deref(),
        attach: a.attach.as_deref(),
    })?;
    ctx.out.fields(&answer.to_wire())?;
    Ok(Outcome::of_pay(answer.result))
}

fn query(ctx: &Context, a: &QueryArgs) -> Result<Outcome, Failure> {
    let client = gateway::client(ctx.global)?;
    let answer = client.query(&QueryRequest {
        txn_time: a.common.txn_time.as_deref(),
        version: a.common.protocol_version.as_deref(),
        trade_no: a.trade_no.as_deref(),
        qry_no: &a.qry_no,
    })?;
    ctx.out.fields(&answer.to_wire())?;
    Ok(Outcome::of_order(answer.result))
}

fn wait(ctx: &Context, a: &WaitArgs) -> Result<Outcome, Failure> {
    let till = Till::start(ctx.status_line());
    let client = gateway::client_for(ctx.global, till.as_ref())?;
    let answer = client.wait(
        &a.qry_no,
        Duration::from_millis(a.interval_ms),
        Duration::from_millis(a.deadline_ms),
    );
    drop(till);
    let answer = answer?;
    ctx.out.fields(&answer.to_wire())?;
    Ok(Outcome::of_order(answer.result))
}

fn refund(ctx: &Context, a: &RefundArgs) -> Result<Outcome, Failure> {
    let client = gateway::client(ctx.global)?;
    let answer = client.refund(&RefundRequest {
        txn_time: a.common.txn_time.as_deref(),
        version: a.common.protocol_version.as_deref(),
        trade_no: a.trade_no.as_deref(),
        order_no: &a.order_no,
        txn_amt: a.txn_amt.unwrap_or(0),
    })?;
    ctx.out.fields(&answer.to_wire())?;
    Ok(Outcome::of_order(answer.result))
}

fn revoke(ctx: &Context, a: &RevokeArgs) -> Result<Outcome, Failure> {
    let client = gateway::client(ctx.global)?;
    let answer = client.revoke(&RevokeRequest {
        txn_time: a.common.txn_time.as_deref(),
        version: a.common.protocol_version.as_deref(),
        trade_no: a.trade_no.as_deref(),
        qry_no: &a.qry_no,
    })?;
    ctx.out.fields(&answer.to_wire())?;
    Ok(Outcome::of_order(answer.result))
}

fn barcode_request(a: &BarcodePayArgs) -> BarcodePayRequest<'_> {
    BarcodePayRequest {
        txn_time: a.common.txn_time.as_deref(),
        version: a.common.protocol_version.as_deref(),
        trade_no: a.trade_no.as_deref(),
        auth_code: &a.auth_code,
        pay_channel: a.pay_channel.as_deref(),
        amount: a.order.amount,
        total_amount: a.order.total_amount,
        subject: a.order.subject.as_deref(),
        sel_order_no: a.order.sel_order_no.as_deref(),
        goods_tag: a.order.goods_tag.as_deref(),
        attach: a.order.attach.as_deref(),
        add_field: a.order.add_field.as_deref(),
    }
}

fn barcode_pay(ctx: &Context, a: &BarcodePayArgs) -> Result<Outcome, Failure> {
    let client = gateway::client(ctx.global)?;
    let answer = client.barcode_pay(&barcode_request(a))?;
    ctx.out.fields(&answer.to_wire())?;
    Ok(Outcome::of_order(answer.result))
}

fn qr_pay(ctx: &Context, a: &QrPayArgs) -> Result<Outcome, Failure> {
    let client = gateway::client(ctx.global)?;
    let answer = client.qr_pay(&QrPayRequest {
        txn_time: a.common.txn_time.as_deref(),
        version: a.common.protocol_version.as_deref(),
        trade_no: a.trade_no.as_deref(),
        pay_channel: &a.pay_channel,
        amount: a.order.amount,
        total_amount: a.order.total_amount,
        subject: a.order.subject.as_deref(),
        sel_order_no: a.order.sel_order_no.as_deref(),
        goods_tag: a.order.goods_tag.as_deref(),
        attach: a.order.attach.as_deref(),
        add_field: a.order.add_field.as_deref(),
    })?;
    ctx.out
        .qr_answer(&answer.to_wire(), &answer.pay_code, &answer.trade_no)?;
    // S here means the QR order was made, the normal success; it is paid only when a query
    // of its tradeNo says S.
    Ok(Outcome::of_order(answer.result))
}

fn sale(ctx: &Context, a: &SaleArgs) -> Result<Outcome, Failure> {
    let till = Till::start(ctx.status_line());
    let client = gateway::client_with(ctx.global, till.as_ref(), |c| {
        c.revoke_on_give_up = a.revoke_on_give_up;
    })?;
    let answer = client.barcode_sale(
        &barcode_request(&a.pay),
        Duration::from_millis(a.interval_ms),
        Duration::from_millis(a.deadline_ms),
    );
    // The status line is cleared (and Ctrl-C kills again) before anything is printed.
    drop(till);
    let answer = answer?;
    ctx.out.fields(&answer.to_wire())?;
    Ok(Outcome::of_order(answer.result))
}

fn recover(ctx: &Context, a: &RecoverArgs) -> Result<Outcome, Failure> {
    gateway::journal_path(ctx.global)?;
    let client = gateway::client(ctx.global)?;
    let mut entries = Vec::new();
    client.recover(Duration::from_millis(a.deadline_ms), |e| {
        entries.push(e.clone())
    })?;
    ctx.out.entries(&entries)?;
    Ok(if entries.iter().all(|e| e.settled) {
        Outcome::Done
    } else {
        Outcome::NotFinal
    })
}

fn journal(ctx: &Context, a: &JournalArgs) -> Result<Outcome, Failure> {
    let path = gateway::journal_path(ctx.global)?;
    let journal = starpos::journal::Journal::open(path, starpos::journal::DEFAULT_RETENTION)
        .or_else(|e| starpos::journal::Journal::open_read_only_after(path, e))?;
    let entries = journal.entries()?;
    if a.summary {
        ctx.out.summary(&starpos::journal::summary(&entries))?;
    } else {
        ctx.out.entries(&entries)?;
    }
    Ok(Outcome::Done)
}

fn oauth_url(ctx: &Context, a: &OauthUrlArgs) -> Result<Outcome, Failure> {
    let url = starpos::wechat::oauth_url(&a.app_id, &a.redirect_uri, a.state.as_deref())?;
    ctx.out.fields(&[("url", url)])?;
    Ok(Outcome::Done)
}

fn call(ctx: &Context, a: &CallArgs) -> Result<Outcome, Failure> {
    let client = gateway::client(ctx.global)?;
    let answer = client.call(&a.endpoint, &a.fields)?;
    let fields: Vec<(&str, String)> = answer.fields().map(|(n, v)| (n, v.to_owned())).collect();
    ctx.out.fields(&fields)?;
    Ok(Outcome::Done)
}

/// Writes generated text (a completion script, the manual page) to stdout as it is.
fn print_bytes(bytes: &[u8]) -> Result<Outcome, Failure> {
    crate::console::write(
        crate::console::Stream::Stdout,
        format_args!("{}", String::from_utf8_lossy(bytes)),
    )?;
    Ok(Outcome::Done)
}

/// `starpos sim`: the simulator's own start and banner (`starpos_sim::cli`), as
/// `starpos-sim` runs them; only the writing is the CLI's (a lost stdout exits 74).
fn sim(_ctx: &Context, a: &starpos_sim::cli::SimArgs) -> Result<Outcome, Failure> {
    let sim = a.start().map_err(|e| match e {
        starpos_sim::cli::StartError::Usage(message) => Failure::Usage(message),
        listen @ starpos_sim::cli::StartError::Listen { .. } => {
            Failure::CannotListen(listen.to_string())
        }
    })?;
    outln!(
        "{}",
        starpos_sim::cli::banner(&sim, a.show_secrets).trim_end()
    )?;
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod sim_tests {
    /// What `starpos sim` prints is the simulator's banner: its masking must be the CLI's.
    #[test]
    fn the_simulator_masks_as_the_cli_does() {
        for secret in ["", "k", "9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A", "密钥"] {
            for show in [false, true] {
                assert_eq!(
                    starpos_sim::cli::mask(secret, show),
                    crate::output::mask_if(secret, show)
                );
            }
        }
    }
}
