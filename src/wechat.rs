//! The WeChat steps around the gateway calls (spec section 7): the OAuth link that yields the
//! `code` for `pubSigPay`, and the `getBrandWCPayRequest` parameters from its answer.

use crate::error::Error;
use crate::model::PayResponse;
use crate::{fields, percent};

/// WeChat's authorize endpoint.
pub const OAUTH_AUTHORIZE_URL: &str = "https://open.weixin.qq.com/connect/oauth2/authorize";

/// The `snsapi_base` authorize link for the payer's browser. `redirect_uri` (http or https)
/// is percent-encoded; `state`, if given, is 1–128 ASCII letters and digits.
pub fn oauth_url(app_id: &str, redirect_uri: &str, state: Option<&str>) -> Result<String, Error> {
    fields::token("app_id", app_id, 32)?;
    if redirect_uri.is_empty() {
        return Err(Error::invalid("redirect_uri", "is required"));
    }
    if redirect_uri.len() > 1024 {
        return Err(Error::invalid("redirect_uri", "must be at most 1024 bytes"));
    }
    fields::web_url("redirect_uri", redirect_uri).map_err(|_| {
        Error::invalid(
            "redirect_uri",
            "must be an http:// or https:// URL without spaces",
        )
    })?;
    let state = match state {
        Some(s) if !s.is_empty() => {
            if s.len() > 128 || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(Error::invalid(
                    "state",
                    "must be at most 128 ASCII letters and digits",
                ));
            }
            format!("&state={s}")
        }
        _ => String::new(),
    };
    Ok(format!(
        "{OAUTH_AUTHORIZE_URL}?appid={app_id}&redirect_uri={}&response_type=code&scope=snsapi_base{state}#wechat_redirect",
        percent::encode(redirect_uri)
    ))
}

/// The object the H5 page passes to `WeixinJSBridge.invoke('getBrandWCPayRequest', ...)`, as
/// JSON with its keys in WeChat's documented order. Every one of the six must be in `pay`.
pub fn jsapi_params(pay: &PayResponse) -> Result<String, Error> {
    let pairs = [
        ("appId", "apiAppid", &pay.api_appid),
        ("timeStamp", "apiTimestamp", &pay.api_timestamp),
        ("nonceStr", "apiNoncestr", &pay.api_noncestr),
        ("package", "apiPackage", &pay.api_package),
        ("signType", "apiSigntype", &pay.api_signtype),
        ("paySign", "apiPaysign", &pay.api_paysign),
    ];
    let mut out = String::from("{");
    for (i, (key, wire, value)) in pairs.iter().enumerate() {
        if value.is_empty() {
            return Err(Error::invalid("pay_response", format!("has no {wire}")));
        }
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "\"{key}\":{}",
            serde_json::Value::String((*value).clone())
        ));
    }
    out.push('}');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_link_matches_the_documented_form() {
        let url = oauth_url(
            "wx1234567890abcdef",
            "https://shop.example/pay/cb?t=XB006439",
            Some("abc123"),
        )
        .unwrap();
        assert_eq!(
            url,
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx1234567890abcdef&redirect_uri=https%3A%2F%2Fshop.example%2Fpay%2Fcb%3Ft%3DXB006439&response_type=code&scope=snsapi_base&state=abc123#wechat_redirect"
        );
        assert!(oauth_url("wx1", "https://a.example/", Some("bad state")).is_err());
        assert!(oauth_url("wx1", "https://a.example/", Some(&"a".repeat(129))).is_err());
        assert!(oauth_url("wx1", "ftp://a.example/", None).is_err());
        assert!(!oauth_url("wx1", "https://a.example/", None)
            .unwrap()
            .contains("state="));
    }

    #[test]
    fn jsapi_parameters_in_order() {
        let pay = PayResponse {
            api_appid: "wx1234567890abcdef".into(),
            api_timestamp: "1700000000".into(),
            api_noncestr: "n0nce".into(),
            api_package: "prepay_id=wx2017".into(),
            api_signtype: "MD5".into(),
            api_paysign: "C380BEC2BFD727A4B6845133519F3AD6".into(),
            ..PayResponse::default()
        };
        assert_eq!(
            jsapi_params(&pay).unwrap(),
            r#"{"appId":"wx1234567890abcdef","timeStamp":"1700000000","nonceStr":"n0nce","package":"prepay_id=wx2017","signType":"MD5","paySign":"C380BEC2BFD727A4B6845133519F3AD6"}"#
        );
        let e = jsapi_params(&PayResponse::default()).unwrap_err();
        assert!(e.detail().contains("apiAppid"));
    }
}
