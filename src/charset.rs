//! Character sets at the edges: firmware strings and gateway bodies may be GBK (the gateway's
//! documented transport encoding). Inside, everything is UTF-8, and the signature is always
//! computed over UTF-8 text. GBK support is the `gbk` Cargo feature (encoding_rs, decoding as
//! GB18030, the superset that agrees with GBK on every GBK character).

use crate::error::Error;

/// True when this build converts GBK (the `gbk` feature).
pub const GBK_SUPPORTED: bool = cfg!(feature = "gbk");

/// True for the names a `charset` parameter gives GBK by: `GBK`, `GB2312`, `GB18030`, `CP936`.
pub fn is_gbk_label(label: &str) -> bool {
    ["gbk", "gb2312", "gb18030", "cp936", "x-gbk"]
        .iter()
        .any(|l| label.eq_ignore_ascii_case(l))
}

/// Decodes GBK bytes; `field` names them in the error when they are not valid GBK.
pub fn gbk_to_utf8(bytes: &[u8], field: &str) -> Result<String, Error> {
    #[cfg(feature = "gbk")]
    {
        encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(std::borrow::Cow::into_owned)
            .ok_or_else(|| Error::invalid(field, "is not valid GBK"))
    }
    #[cfg(not(feature = "gbk"))]
    {
        let _ = bytes;
        Err(Error::invalid(
            field,
            "is GBK, but this build has no GBK support (the `gbk` feature)",
        ))
    }
}

/// Encodes UTF-8 text as GBK (GB18030 for the rare character outside GBK, so nothing is lost).
pub fn utf8_to_gbk(text: &str) -> Result<Vec<u8>, Error> {
    #[cfg(feature = "gbk")]
    {
        let (bytes, _, _) = encoding_rs::GB18030.encode(text);
        Ok(bytes.into_owned())
    }
    #[cfg(not(feature = "gbk"))]
    {
        let _ = text;
        Err(Error::invalid(
            "flags",
            "GBK needs a build with the `gbk` feature",
        ))
    }
}

#[cfg(all(test, feature = "gbk"))]
mod tests {
    use super::*;

    #[test]
    fn round_trips_chinese() {
        let gbk = utf8_to_gbk("交易成功 ok").unwrap();
        assert_eq!(&gbk[..4], &[0xBD, 0xBB, 0xD2, 0xD7], "交易 in GBK");
        assert_eq!(gbk_to_utf8(&gbk, "message").unwrap(), "交易成功 ok");
    }

    #[test]
    fn invalid_gbk_names_the_field() {
        let e = gbk_to_utf8(&[0x81, 0x20], "subject").unwrap_err();
        assert_eq!(e.detail(), "subject: is not valid GBK");
        assert!(is_gbk_label("GB2312") && !is_gbk_label("utf-8"));
    }
}
