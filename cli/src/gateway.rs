//! The gateway client from the global options (flags, else `STARPOS_*` variables): built only
//! for the commands that call the gateway.

use crate::args::Global;
use crate::exit::Failure;
use crate::till::Till;
use starpos::{Client, Config, Error, Status, PRODUCTION_URL, SANDBOX_URL};
use std::time::Duration;

/// The client, or a usage failure naming the flag and the variable of a missing credential.
/// Credentials that are present but malformed are the library's to reject (INVALID_ARGUMENT).
pub fn client(global: &Global) -> Result<Client, Failure> {
    client_for(global, None)
}

/// The client of a wait (`sale`, `wait`) the till controls: Ctrl-C cancels it, the status
/// line follows it.
pub fn client_for(global: &Global, till: Option<&Till>) -> Result<Client, Failure> {
    client_with(global, till, |_| {})
}

/// [`client_for`], the configuration then changed by `adjust` (a command's own options).
pub fn client_with(
    global: &Global,
    till: Option<&Till>,
    adjust: impl FnOnce(&mut Config),
) -> Result<Client, Failure> {
    let gateway = base_url(global)?;
    let mut config = Config::new(
        required(&global.org_no, "--org-no", "STARPOS_ORG_NO")?,
        required(&global.merc_id, "--merc-id", "STARPOS_MERC_ID")?,
        required(&global.trm_no, "--trm-no", "STARPOS_TRM_NO")?,
        required(&global.key, "--key", "STARPOS_KEY")?,
    )
    .with_base_url(gateway);
    config.trm_typ = global.trm_typ.clone().unwrap_or_default();
    config.opr_id = global.opr_id.clone().unwrap_or_default();
    config.latitude = global.latitude.clone().unwrap_or_default();
    config.longitude = global.longitude.clone().unwrap_or_default();
    config.journal_path = global.journal.clone();
    if let Some(ms) = global.timeout_ms {
        config.timeouts.total = Duration::from_millis(ms);
    }
    if let Some(till) = till {
        config.cancel = Some(till.cancel());
        config.progress = till.progress();
    }
    adjust(&mut config);
    Ok(Client::new(config)?)
}

/// The gateway's URL from `--gateway` (or `STARPOS_GATEWAY`): `production` (the default),
/// `sandbox` or an `http://`/`https://` URL; any other word is a usage error saying which.
pub fn base_url(global: &Global) -> Result<&str, Failure> {
    match global.gateway.as_deref() {
        None | Some("production") => Ok(PRODUCTION_URL),
        Some("sandbox") => Ok(SANDBOX_URL),
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => Ok(url),
        Some(other) => Err(Failure::Usage(format!(
            "--gateway: must be production, sandbox or an http(s):// URL, got {other:?} \
             (from --gateway or STARPOS_GATEWAY)"
        ))),
    }
}

/// The library's error in the command line's words, where they differ: its `base_url` is
/// `--gateway` here, and an HTTP 404 to `starpos call ENDPOINT` is an unknown endpoint.
pub fn in_cli_words(e: &Error, endpoint: Option<&str>) -> Option<Error> {
    match (e.status(), e.detail().strip_prefix("base_url: "), endpoint) {
        (Status::InvalidArgument, Some(rule), _) => Some(Error::new(
            Status::InvalidArgument,
            format!("--gateway (STARPOS_GATEWAY): {rule}"),
        )),
        (Status::Http, _, Some(endpoint)) if e.detail().ends_with("HTTP 404") => Some(Error::new(
            Status::Http,
            format!(
                "unknown endpoint {endpoint:?}: the gateway has no such endpoint ({})",
                e.detail()
            ),
        )),
        _ => None,
    }
}

fn required<'a>(value: &'a Option<String>, flag: &str, variable: &str) -> Result<&'a str, Failure> {
    value.as_deref().ok_or_else(|| {
        Failure::Usage(format!(
            "{flag} is missing: this command calls the gateway; give {flag} or set {variable}"
        ))
    })
}

/// The journal's path, or a usage failure naming the flag and the variable.
pub fn journal_path(global: &Global) -> Result<&std::path::Path, Failure> {
    global.journal.as_deref().ok_or_else(|| {
        Failure::Usage(
            "--journal is missing: this command reads the sale journal; give --journal FILE or \
             set STARPOS_JOURNAL"
                .to_owned(),
        )
    })
}
