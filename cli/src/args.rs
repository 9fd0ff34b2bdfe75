//! Command-line parsing: global options, a command, and its options, in any order.

use std::collections::HashMap;

/// Options that take a value, global or per command.
const VALUED: &[&str] = &[
    "gateway",
    "org-no",
    "merc-id",
    "trm-no",
    "key",
    "timeout-ms",
    "code",
    "openid",
    "amount",
    "total-amount",
    "subject",
    "sel-order-no",
    "goods-tag",
    "attach",
    "port",
    "bind",
    "qry-no",
    "interval-ms",
    "deadline-ms",
    "order-no",
    "txn-amt",
    "app-id",
    "redirect-uri",
    "state",
    "fields",
    "settle-after-ms",
    "trade-no",
    "txn-time",
    "version",
];
/// Options that are switches.
const SWITCHES: &[&str] = &["json", "show-secrets", "help"];

/// The parsed command line.
#[derive(Debug, Default)]
pub struct Args {
    /// Positional words: the command first, then its operands (`call ENDPOINT`).
    pub words: Vec<String>,
    values: HashMap<String, String>,
    switches: Vec<String>,
}

impl Args {
    /// Parses `--name value`, `--name=value` and switches.
    pub fn parse(raw: impl IntoIterator<Item = String>) -> Result<Args, String> {
        let mut args = Args::default();
        let mut raw = raw.into_iter();
        while let Some(arg) = raw.next() {
            let Some(option) = arg.strip_prefix("--") else {
                args.words.push(arg);
                continue;
            };
            let (name, inline) = match option.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (option, None),
            };
            if SWITCHES.contains(&name) && inline.is_none() {
                args.switches.push(name.to_owned());
            } else if VALUED.contains(&name) {
                let value = match inline {
                    Some(v) => v,
                    None => raw
                        .next()
                        .ok_or_else(|| format!("--{name} needs a value"))?,
                };
                args.values.insert(name.to_owned(), value);
            } else {
                return Err(format!("unknown option --{name}"));
            }
        }
        Ok(args)
    }

    /// The value of `--name`, if given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// The value of `--name`, required.
    pub fn required(&self, name: &str) -> Result<&str, String> {
        self.value(name)
            .ok_or_else(|| format!("--{name} is required"))
    }

    /// `--name` as a whole number, if given.
    pub fn number(&self, name: &str) -> Result<Option<u64>, String> {
        self.value(name)
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| format!("--{name} must be a whole number, got {v:?}"))
            })
            .transpose()
    }

    /// True when the switch `--name` was given.
    pub fn switch(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Args, String> {
        Args::parse(s.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn options_anywhere() {
        let a = parse("--json pay --code C --amount=5 --total-amount 9").unwrap();
        assert_eq!(a.words, ["pay"]);
        assert!(a.switch("json"));
        assert_eq!(a.value("code"), Some("C"));
        assert_eq!(a.number("amount").unwrap(), Some(5));
        assert!(parse("--bogus").is_err());
        assert!(parse("pay --code").is_err());
        assert!(parse("pay --amount x").unwrap().number("amount").is_err());
    }
}
