//! The gateway client from the global options (flags, else `STARPOS_*` variables): built only
//! for the commands that call the gateway.

use crate::args::Global;
use crate::exit::Failure;
use starpos::{Client, Config, PRODUCTION_URL, SANDBOX_URL};
use std::time::Duration;

/// The client, or a usage failure naming the flag and the variable of a missing credential.
/// Credentials that are present but malformed are the library's to reject (INVALID_ARGUMENT).
pub fn client(global: &Global) -> Result<Client, Failure> {
    let gateway = match global.gateway.as_deref() {
        None | Some("production") => PRODUCTION_URL,
        Some("sandbox") => SANDBOX_URL,
        Some(url) => url,
    };
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
    Ok(Client::new(config)?)
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
