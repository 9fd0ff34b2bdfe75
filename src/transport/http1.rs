//! HTTP/1.1 as the gateway speaks it, without sockets: the request head we send, and an
//! incremental parser for the answer (status line, headers, then a body framed by
//! `Content-Length`, `Transfer-Encoding: chunked`, or the end of the connection).
//!
//! Pure functions over bytes, so every framing rule is unit-tested here; [`super::plain`] does
//! the I/O. Every error is a message for [`crate::Error::protocol`]: by the time an answer is
//! being parsed, the request has left.

use std::fmt;
use std::io::Write as _;

/// The most bytes a status line plus headers may take.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// The most bytes a chunk-size line (size, extensions) may take.
const MAX_CHUNK_LINE_BYTES: usize = 1024;

/// Writes a complete POST request (head and body) into `out`.
///
/// `authority` is the `host[:port]` of the URL as written; `path` starts with `/`.
pub fn write_request(
    out: &mut Vec<u8>,
    authority: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
    keep_alive: bool,
) {
    out.reserve(160 + body.len());
    // Writing into a Vec cannot fail.
    let _ = write!(
        out,
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: starpos/{}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n",
        env!("CARGO_PKG_VERSION"),
        body.len()
    );
    if !keep_alive {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
}

/// How the body of an answer ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Exactly this many bytes.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Everything until the server closes the connection.
    UntilClose,
}

/// The status line and the headers that matter to us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The status code.
    pub status: u16,
    /// How the body is framed.
    pub framing: Framing,
    /// The connection cannot be used again after this answer.
    pub close: bool,
    /// The `charset` parameter of `Content-Type`, unquoted.
    pub charset: Option<String>,
    /// `Keep-Alive: timeout=N`: how many seconds the server keeps an idle connection open.
    pub keep_alive_secs: Option<u64>,
}

/// Finds the end of the head in `buf`: the index just past the empty line, accepting CRLF or a
/// bare LF as line ends.
fn head_end(buf: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(at) = buf[i..].iter().position(|&b| b == b'\n') {
        let nl = i + at;
        match buf.get(nl + 1) {
            Some(b'\n') => return Some(nl + 2),
            Some(b'\r') if buf.get(nl + 2) == Some(&b'\n') => return Some(nl + 3),
            _ => i = nl + 1,
        }
    }
    None
}

/// Parses the head at the start of `buf`. `Ok(None)` means more bytes are needed; otherwise
/// the head and how many bytes of `buf` it took.
pub fn parse_head(buf: &[u8]) -> Result<Option<(Head, usize)>, String> {
    let Some(end) = head_end(buf) else {
        if buf.len() > MAX_HEAD_BYTES {
            return Err(format!("HTTP head larger than {MAX_HEAD_BYTES} bytes"));
        }
        return Ok(None);
    };
    if end > MAX_HEAD_BYTES {
        return Err(format!("HTTP head larger than {MAX_HEAD_BYTES} bytes"));
    }
    // Names and the values read here are ASCII; other bytes (a GBK reason phrase or header
    // value, which HTTP allows) only reach text we do not look at.
    let text = String::from_utf8_lossy(&buf[..end]);
    let mut lines = text.lines();
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err(format!("not an HTTP/1.x status line: {status_line:.60?}")),
    };
    let status = parts
        .next()
        .filter(|code| code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|code| code.parse::<u16>().ok())
        .filter(|code| *code >= 100)
        .ok_or_else(|| format!("bad status code in {status_line:.60?}"))?;

    let mut length: Option<u64> = None;
    let mut chunked = false;
    // Every `Connection` token is collected first, so that `close` wins whatever the order of
    // the tokens and headers: a connection the server said it will close is never reused.
    let mut says_close = false;
    let mut says_keep_alive = false;
    let mut charset = None;
    let mut keep_alive_secs = None;
    for line in lines {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            return Err("folded HTTP header line".to_owned());
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("HTTP header without a colon: {line:.60?}"))?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            for item in value.split(',') {
                let item = item.trim();
                let n = item
                    .parse::<u64>()
                    .ok()
                    .filter(|_| item.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| format!("bad Content-Length {value:.40?}"))?;
                if length.is_some_and(|before| before != n) {
                    return Err("conflicting Content-Length headers".to_owned());
                }
                length = Some(n);
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // RFC 9112 section 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty
            // framing; the choice is to read it to the close or to refuse it. We refuse: a
            // 1.0 peer cannot mean chunked, so whatever produced this answer (a proxy that
            // rewrote the version, a smuggling attempt) cannot be trusted to say where the
            // body ends, and a body read to the close could hold the chunk lines or a second
            // answer. Refusing is PROTOCOL, in doubt, and the connection is dropped; the
            // caller then queries, which is never wrong about whether money moved.
            if http10 {
                return Err("HTTP/1.0 answer with Transfer-Encoding".to_owned());
            }
            let last = value.rsplit(',').next().unwrap_or_default().trim();
            if !last.eq_ignore_ascii_case("chunked") {
                return Err(format!("unsupported Transfer-Encoding {value:.40?}"));
            }
            if value.split(',').count() > 1 {
                return Err(format!("unsupported Transfer-Encoding {value:.40?}"));
            }
            chunked = true;
        } else if name.eq_ignore_ascii_case("connection") {
            for token in value.split(',').map(str::trim) {
                if token.eq_ignore_ascii_case("close") {
                    says_close = true;
                } else if token.eq_ignore_ascii_case("keep-alive") {
                    says_keep_alive = true;
                }
            }
        } else if name.eq_ignore_ascii_case("keep-alive") {
            keep_alive_secs = value.split(',').find_map(|param| {
                let (key, val) = param.split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("timeout")
                    .then(|| val.trim().parse::<u64>().ok())?
            });
        } else if name.eq_ignore_ascii_case("content-type") {
            charset = value.split(';').skip(1).find_map(|param| {
                let (key, val) = param.split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("charset")
                    .then(|| val.trim().trim_matches('"').to_owned())
            });
        } else if !is_token(name) {
            // RFC 9112 section 5.1: no whitespace between the name and the colon, and a name
            // is a token. A name we would not recognise (`Content-Length ` or
            // `Transfer-Encoding\0`) must not silently drop the framing it was meant to carry.
            // (The names matched above are tokens already: only these need the check.)
            return Err(format!("HTTP header name is not a token: {name:.40?}"));
        }
    }
    // HTTP/1.0 closes unless asked not to; HTTP/1.1 keeps the connection unless told to close.
    let mut close = says_close || (http10 && !says_keep_alive);
    let framing = if chunked {
        // A length beside chunked is ignored, and the connection not trusted afterwards.
        if length.is_some() {
            close = true;
        }
        Framing::Chunked
    } else if let Some(n) = length {
        Framing::Length(n)
    } else {
        close = true;
        Framing::UntilClose
    };
    Ok(Some((
        Head {
            status,
            framing,
            close,
            charset,
            keep_alive_secs,
        },
        end,
    )))
}

/// The `tchar`s of RFC 9110 section 5.6.2, the bytes a header name may hold, by byte value.
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0u8;
    while b < 128 {
        table[b as usize] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'..=b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
            );
        b += 1;
    }
    table
};

/// True for an HTTP token: one or more `tchar`s (see [`TCHAR`]).
fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| TCHAR[usize::from(b)])
}

/// Where a chunked body's decoding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chunk {
    /// Reading a chunk-size line.
    Size,
    /// Inside a chunk: this many data bytes left.
    Data(u64),
    /// The CRLF after a chunk's data.
    DataEnd,
    /// Trailer lines after the last (zero) chunk.
    Trailer,
}

/// Why a body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// The body is over the decoder's limit, in bytes.
    TooLarge(u64),
    /// The framing is broken, or the connection ended before the body did.
    Malformed(String),
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::TooLarge(limit) => write!(f, "answer is larger than {limit} bytes"),
            BodyError::Malformed(why) => f.write_str(why),
        }
    }
}

fn malformed(why: impl Into<String>) -> BodyError {
    BodyError::Malformed(why.into())
}

/// Decodes a body, fed as it arrives, into at most `limit` bytes.
#[derive(Debug)]
pub struct BodyDecoder {
    framing: Framing,
    /// Length: bytes still expected. Unused otherwise.
    left: u64,
    chunk: Chunk,
    limit: u64,
    /// Bytes of trailer lines seen, held to [`MAX_HEAD_BYTES`].
    trailer_bytes: usize,
    done: bool,
}

impl BodyDecoder {
    /// A decoder for `framing` that refuses bodies over `limit` bytes.
    pub fn new(framing: Framing, limit: u64) -> Result<BodyDecoder, BodyError> {
        let left = match framing {
            Framing::Length(n) if n > limit => {
                return Err(BodyError::TooLarge(limit));
            }
            Framing::Length(n) => n,
            _ => 0,
        };
        Ok(BodyDecoder {
            framing,
            left,
            chunk: Chunk::Size,
            limit,
            trailer_bytes: 0,
            done: left == 0 && framing != Framing::Chunked && framing != Framing::UntilClose,
        })
    }

    /// The whole body has been read; bytes after it are not part of this answer.
    pub fn is_done(&self) -> bool {
        self.done
    }

    fn push(&self, out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), BodyError> {
        if (out.len() + bytes.len()) as u64 > self.limit {
            return Err(BodyError::TooLarge(self.limit));
        }
        out.extend_from_slice(bytes);
        Ok(())
    }

    /// Decodes what it can of `input` into `out` and returns how many input bytes it used;
    /// unused bytes (an incomplete chunk line) must be offered again with more behind them.
    pub fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<usize, BodyError> {
        match self.framing {
            Framing::UntilClose => {
                self.push(out, input)?;
                Ok(input.len())
            }
            Framing::Length(_) => {
                let take = input
                    .len()
                    .min(usize::try_from(self.left).unwrap_or(usize::MAX));
                self.push(out, &input[..take])?;
                self.left -= take as u64;
                self.done = self.left == 0;
                Ok(take)
            }
            Framing::Chunked => self.feed_chunked(input, out),
        }
    }

    fn feed_chunked(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<usize, BodyError> {
        let mut at = 0;
        while !self.done && at < input.len() {
            let rest = &input[at..];
            match self.chunk {
                Chunk::Size | Chunk::Trailer => {
                    let Some(nl) = rest.iter().position(|&b| b == b'\n') else {
                        if rest.len() > MAX_CHUNK_LINE_BYTES {
                            return Err(malformed("chunk line too long"));
                        }
                        return Ok(at);
                    };
                    if nl > MAX_CHUNK_LINE_BYTES {
                        return Err(malformed("chunk line too long"));
                    }
                    let line = rest[..nl].strip_suffix(b"\r").unwrap_or(&rest[..nl]);
                    at += nl + 1;
                    if self.chunk == Chunk::Trailer {
                        self.trailer_bytes += nl + 1;
                        if self.trailer_bytes > MAX_HEAD_BYTES {
                            return Err(malformed(format!(
                                "trailer larger than {MAX_HEAD_BYTES} bytes"
                            )));
                        }
                        self.done = line.is_empty();
                        continue;
                    }
                    let digits = line
                        .split(|&b| b == b';')
                        .next()
                        .unwrap_or_default()
                        .trim_ascii();
                    let size = std::str::from_utf8(digits)
                        .ok()
                        .filter(|d| {
                            !d.is_empty()
                                && d.len() <= 15
                                && d.bytes().all(|b| b.is_ascii_hexdigit())
                        })
                        .and_then(|d| u64::from_str_radix(d, 16).ok())
                        .ok_or_else(|| malformed("bad chunk size"))?;
                    if out.len() as u64 + size > self.limit {
                        return Err(BodyError::TooLarge(self.limit));
                    }
                    self.chunk = if size == 0 {
                        Chunk::Trailer
                    } else {
                        Chunk::Data(size)
                    };
                }
                Chunk::Data(left) => {
                    let take = rest.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                    self.push(out, &rest[..take])?;
                    at += take;
                    let left = left - take as u64;
                    self.chunk = if left == 0 {
                        Chunk::DataEnd
                    } else {
                        Chunk::Data(left)
                    };
                }
                Chunk::DataEnd => {
                    if rest.starts_with(b"\n") {
                        at += 1;
                    } else if rest.starts_with(b"\r\n") {
                        at += 2;
                    } else if rest == b"\r" {
                        return Ok(at);
                    } else {
                        return Err(malformed("chunk data not followed by CRLF"));
                    }
                    self.chunk = Chunk::Size;
                }
            }
        }
        Ok(at)
    }

    /// The connection ended: fine only for a body framed by the end of the connection.
    pub fn finish_at_eof(&mut self) -> Result<(), BodyError> {
        if self.framing == Framing::UntilClose {
            self.done = true;
        }
        if self.done {
            Ok(())
        } else {
            Err(malformed("connection closed mid-answer"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Head {
        let (head, used) = parse_head(text.as_bytes()).unwrap().unwrap();
        assert_eq!(used, text.len());
        head
    }

    /// Feeds `input` in pieces of `step` bytes, as a slow network would deliver it.
    fn decode(framing: Framing, input: &[u8], step: usize) -> Result<Vec<u8>, String> {
        decode_or(framing, input, step).map_err(|e| e.to_string())
    }

    fn decode_or(framing: Framing, input: &[u8], step: usize) -> Result<Vec<u8>, BodyError> {
        let mut decoder = BodyDecoder::new(framing, 64)?;
        let mut out = Vec::new();
        let mut pending = Vec::new();
        for piece in input.chunks(step) {
            pending.extend_from_slice(piece);
            let used = decoder.feed(&pending, &mut out)?;
            pending.drain(..used);
            if decoder.is_done() {
                break;
            }
        }
        decoder.finish_at_eof()?;
        Ok(out)
    }

    #[test]
    fn the_request_is_one_buffer_with_an_exact_length() {
        let mut out = Vec::new();
        write_request(
            &mut out,
            "gw:8080",
            "/a/b.json",
            "application/json",
            b"{}",
            true,
        );
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("POST /a/b.json HTTP/1.1\r\nHost: gw:8080\r\n"));
        assert!(text.contains("\r\nContent-Length: 2\r\n"));
        assert!(!text.contains("Connection"));
        assert!(text.ends_with("\r\n\r\n{}"));
        let mut out = Vec::new();
        write_request(&mut out, "gw", "/x", "application/json", b"{}", false);
        assert!(String::from_utf8(out)
            .unwrap()
            .contains("\r\nConnection: close\r\n\r\n{}"));
    }

    #[test]
    fn heads_are_read_for_status_framing_connection_and_charset() {
        let h = head("HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=GBK\r\nContent-Length: 12\r\n\r\n");
        assert_eq!(
            h,
            Head {
                status: 200,
                framing: Framing::Length(12),
                close: false,
                charset: Some("GBK".into()),
                keep_alive_secs: None,
            }
        );
        let h =
            head("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n");
        assert_eq!(h.keep_alive_secs, Some(5));
        // Bytes beyond ASCII in a reason phrase or a value we do not read are no error.
        let gbk = b"HTTP/1.1 200 \xb3\xc9\xb9\xa6\r\nX-Msg: \xbd\xbb\xd2\xd7\r\nContent-Length: 2\r\n\r\n";
        let (h, used) = parse_head(gbk).unwrap().unwrap();
        assert_eq!(
            (h.status, h.framing, used),
            (200, Framing::Length(2), gbk.len())
        );
        let h = head("HTTP/1.1 502 Bad Gateway\ntransfer-encoding: Chunked\nCONNECTION: Close\ncontent-type: text/json; Charset=\"utf-8\"\n\n");
        assert_eq!(h.status, 502);
        assert_eq!(h.framing, Framing::Chunked);
        assert!(h.close);
        assert_eq!(h.charset.as_deref(), Some("utf-8"));
        // HTTP/1.0 closes unless asked not to; no length means the body runs to the close.
        assert!(head("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n").close);
        assert!(
            !head("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n").close
        );
        let h = head("HTTP/1.1 200 OK\r\n\r\n");
        assert_eq!((h.framing, h.close), (Framing::UntilClose, true));
        // Chunked wins over a length, and such a connection is not reused.
        let h = head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n");
        assert_eq!((h.framing, h.close), (Framing::Chunked, true));
        assert_eq!(
            head("HTTP/1.1 200 OK\r\nContent-Length: 7, 7\r\n\r\n").framing,
            Framing::Length(7)
        );
    }

    #[test]
    fn connection_close_wins_over_keep_alive_in_any_order() {
        for version in ["HTTP/1.0", "HTTP/1.1"] {
            for connection in [
                "Connection: keep-alive, close\r\n",
                "Connection: close, keep-alive\r\n",
                "Connection: close\r\nConnection: keep-alive\r\n",
                "Connection: keep-alive\r\nConnection: close\r\n",
                "Connection: Keep-Alive,,CLOSE\r\n",
            ] {
                let text = format!("{version} 200 OK\r\n{connection}Content-Length: 1\r\n\r\n");
                assert!(head(&text).close, "{text:?}");
            }
        }
        let text = "HTTP/1.0 200 OK\r\nConnection: x, keep-alive\r\nContent-Length: 1\r\n\r\n";
        assert!(!head(text).close);
        let text = "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n";
        assert!(!head(text).close);
    }

    #[test]
    fn header_names_must_be_tokens() {
        for bad in [
            "Content-Length : 5",
            "Content-Length\t: 5",
            "Content-Length\0: 5",
            "Transfer-Encoding\x0b: chunked",
            ": 5",
            "Content(Length): 5",
            "X\"y: 1",
            "Cont\u{e9}nt-Length: 5",
        ] {
            let text = format!("HTTP/1.1 200 OK\r\n{bad}\r\nContent-Length: 5\r\n\r\n");
            let e = parse_head(text.as_bytes()).unwrap_err();
            assert!(e.contains("not a token"), "{bad:?}: {e}");
        }
        let gbk_name = b"HTTP/1.1 200 OK\r\n\xb3\xc9: 1\r\nContent-Length: 5\r\n\r\n";
        assert!(parse_head(gbk_name).unwrap_err().contains("not a token"));
        // Every tchar is accepted.
        let text = "HTTP/1.1 200 OK\r\n!#$%&'*+-.^_`|~09azAZ: 1\r\nContent-Length: 5\r\n\r\n";
        assert_eq!(head(text).framing, Framing::Length(5));
    }

    #[test]
    fn an_http10_answer_with_transfer_encoding_is_refused() {
        for te in [
            "Transfer-Encoding: chunked\r\n",
            "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n",
            "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n",
            "Transfer-Encoding: gzip\r\n",
        ] {
            let text = format!("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n{te}\r\n");
            let e = parse_head(text.as_bytes()).unwrap_err();
            assert!(
                e.contains("HTTP/1.0 answer with Transfer-Encoding"),
                "{te:?}: {e}"
            );
        }
    }

    #[test]
    fn a_head_is_complete_only_at_its_empty_line() {
        let full = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
        for cut in 0..full.len() - 2 {
            assert_eq!(parse_head(&full[..cut]), Ok(None), "cut at {cut}");
        }
        let (_, used) = parse_head(full).unwrap().unwrap();
        assert_eq!(&full[used..], b"{}");
    }

    #[test]
    fn malformed_heads_are_refused_with_the_reason() {
        for (bad, why) in [
            ("ICY 200 OK\r\n\r\n", "status line"),
            ("HTTP/2 200\r\n\r\n", "status line"),
            ("HTTP/1.1 20 OK\r\n\r\n", "status code"),
            ("HTTP/1.1 abc OK\r\n\r\n", "status code"),
            (
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                "Content-Length",
            ),
            (
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                "conflicting",
            ),
            (
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
                "Transfer-Encoding",
            ),
            (
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                "Transfer-Encoding",
            ),
            ("HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "colon"),
            ("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", "folded"),
        ] {
            let e = parse_head(bad.as_bytes()).unwrap_err();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
        let endless = format!("HTTP/1.1 200 OK\r\nX: {}", "a".repeat(MAX_HEAD_BYTES));
        assert!(parse_head(endless.as_bytes())
            .unwrap_err()
            .contains("larger"));
    }

    #[test]
    fn lengths_stop_at_the_length_and_leave_the_rest() {
        let mut d = BodyDecoder::new(Framing::Length(3), 64).unwrap();
        let mut out = Vec::new();
        assert_eq!(d.feed(b"abcdef", &mut out), Ok(3));
        assert!(d.is_done());
        assert_eq!(out, b"abc");
        assert!(BodyDecoder::new(Framing::Length(0), 64).unwrap().is_done());
        assert_eq!(
            decode(Framing::Length(5), b"ab", 1),
            Err("connection closed mid-answer".into())
        );
        let e = BodyDecoder::new(Framing::Length(65), 64).unwrap_err();
        assert_eq!(e, BodyError::TooLarge(64));
        assert_eq!(e.to_string(), "answer is larger than 64 bytes");
    }

    #[test]
    fn chunked_bodies_decode_whatever_the_pieces() {
        let wire = b"4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: y\r\n\r\n";
        for step in [1, 2, 3, 7, wire.len()] {
            assert_eq!(
                decode(Framing::Chunked, wire, step).unwrap(),
                b"Wikipedia in\r\n\r\nchunks.",
                "step {step}"
            );
        }
        assert_eq!(decode(Framing::Chunked, b"2\nab\n0\n\n", 1).unwrap(), b"ab");
    }

    #[test]
    fn bad_or_cut_chunked_bodies_are_refused() {
        for (bad, why) in [
            (&b"zz\r\n"[..], "chunk size"),
            (b"\r\n", "chunk size"),
            (b"ffffffffffffffffff\r\n", "chunk size"),
            (b"+2\r\nab\r\n0\r\n\r\n", "chunk size"),
            (b"2\r\nabX\r\n", "CRLF"),
            (b"2\r\nab\r\n", "mid-answer"),
            (b"2\r\nab\r\n0\r\n", "mid-answer"),
            (b"41\r\n", "larger than 64"),
            (b"40\r\n", "mid-answer"),
        ] {
            let e = decode(Framing::Chunked, bad, 1).unwrap_err();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
        let mut endless = vec![b'1'; MAX_CHUNK_LINE_BYTES + 1];
        for _ in 0..2 {
            assert!(decode(Framing::Chunked, &endless, endless.len())
                .unwrap_err()
                .contains("too long"));
            // The same, whether or not the line's end has arrived.
            endless.extend_from_slice(b"\r\n");
        }
        let mut trailers = b"0\r\n".to_vec();
        for _ in 0..2000 {
            trailers.extend_from_slice(b"X-Trailer: y\r\n");
        }
        assert!(decode(Framing::Chunked, &trailers, 100)
            .unwrap_err()
            .contains("trailer larger"));
        // The limit counts decoded bytes across chunks.
        let many = b"20\r\n................................\r\n21\r\n";
        assert!(decode(Framing::Chunked, many, 5)
            .unwrap_err()
            .contains("larger"));
    }

    #[test]
    fn until_close_bodies_end_at_eof_within_the_limit() {
        assert_eq!(decode(Framing::UntilClose, b"{}", 1).unwrap(), b"{}");
        assert!(decode(Framing::UntilClose, &[b'x'; 65], 10)
            .unwrap_err()
            .contains("larger"));
    }
}
