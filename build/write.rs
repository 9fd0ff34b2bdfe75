//! Writing generated Rust source: what the request and answer generators share.

use std::fmt::Write;

/// `text` as doc comment lines, indented by `indent`.
pub fn doc(out: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        if line.is_empty() {
            let _ = writeln!(out, "{indent}///");
        } else {
            let _ = writeln!(out, "{indent}/// {line}");
        }
    }
}

/// A struct with its doc comment and `attributes` (each line as given), `head` (`name`,
/// `name<'a>`), and its public fields (doc, name, type).
pub fn strukt<'f>(
    out: &mut String,
    text: &str,
    attributes: &str,
    head: &str,
    fields: impl Iterator<Item = (&'f str, &'f str, &'f str)>,
) {
    doc(out, "", text);
    let _ = writeln!(out, "{attributes}\npub struct {head} {{");
    for (text, name, ty) in fields {
        doc(out, "    ", text);
        let _ = writeln!(out, "    pub {name}: {ty},");
    }
    out.push_str("}\n\n");
}
