//! `pubSigPay`'s answer: the JSAPI parameters of the WeChat payment.

use super::*;

pub const ANSWER: Answer = Answer {
    rust: "PayResponse",
    doc: "What `pubSigPay` answered (verified). `result` is `A` or `Z` by design: follow up with an\norder query until it is final.",
    fields: &[
        RETURN_CODE,
        MESSAGE,
        SYS_TIME,
        MERC_ID,
        log_no("`logNo` (or `LogNo`): the gateway's serial, to query the order by.")
            .c("`logNo`: the gateway's serial; query the order with it."),
        field("result", "result", Kind::Result, "`result`: `A` waiting for the payer, `Z` unknown.")
            .c("`result`: 'A' waiting for the payer, 'Z' unknown, ... or 0 when absent."),
        text("order_no", "orderNo", "STARPOS_ORDER_NO_SIZE", "`orderNo`: the channel order number.")
            .c("`orderNo`."),
        AMOUNT,
        TOTAL_AMOUNT,
        text("prepay_id", "PrepayId", "STARPOS_PREPAY_ID_SIZE", "`PrepayId`."),
        text(
            "api_appid",
            "apiAppid",
            "STARPOS_API_SHORT_SIZE",
            "`apiAppid`: `appId` for `getBrandWCPayRequest`.",
        )
        .c("`apiAppid` (→ `appId` of getBrandWCPayRequest)."),
        text(
            "api_timestamp",
            "apiTimestamp",
            "STARPOS_API_SHORT_SIZE",
            "`apiTimestamp`: `timeStamp` for `getBrandWCPayRequest`.",
        )
        .c("`apiTimestamp` (→ `timeStamp`)."),
        text(
            "api_noncestr",
            "apiNoncestr",
            "STARPOS_API_SHORT_SIZE",
            "`apiNoncestr`: `nonceStr` for `getBrandWCPayRequest`.",
        )
        .c("`apiNoncestr` (→ `nonceStr`)."),
        text(
            "api_package",
            "apiPackage",
            "STARPOS_API_PACKAGE_SIZE",
            "`apiPackage`: `package` (`prepay_id=...`) for `getBrandWCPayRequest`.",
        )
        .c("`apiPackage` (→ `package`, \"prepay_id=...\")."),
        text(
            "api_signtype",
            "apiSigntype",
            "STARPOS_API_SHORT_SIZE",
            "`apiSigntype`: `signType` for `getBrandWCPayRequest`.",
        )
        .c("`apiSigntype` (→ `signType`)."),
        text(
            "api_paysign",
            "apiPaysign",
            "STARPOS_API_PAYSIGN_SIZE",
            "`apiPaysign`: `paySign` for `getBrandWCPayRequest`.",
        )
        .c("`apiPaysign` (→ `paySign`)."),
        text("subject", "subject", "STARPOS_SUBJECT_SIZE", "`subject`, echoed."),
        text("sel_order_no", "selOrderNo", "STARPOS_SEL_ORDER_NO_SIZE", "`selOrderNo`, echoed."),
        text("goods_tag", "goodsTag", "STARPOS_GOODS_TAG_SIZE", "`goodsTag`, echoed."),
        text("attach", "attach", "STARPOS_ATTACH_SIZE", "`attach`, echoed."),
    ],
    c: &[CStruct {
        name: "starpos_pay_response",
        doc: "`pubSigPay` output (see `starpos_qry_response` for when fields are filled). `result` is\n'A' or 'Z' by design: follow with `starpos_wait` on `log_no`.",
        error_doc: ERROR_DOC,
        verified_doc: "1 when the answer's signature was checked (see `starpos_qry_response.verified`).",
        fields: &[
            "return_code",
            "message",
            "sys_time",
            "merc_id",
            "log_no",
            "result",
            "order_no",
            "amount",
            "total_amount",
            "prepay_id",
            "api_appid",
            "api_timestamp",
            "api_noncestr",
            "api_package",
            "api_signtype",
            "api_paysign",
            "subject",
            "sel_order_no",
            "goods_tag",
            "attach",
            "error",
            "verified",
        ],
        docs: &[],
    }],
};

pub const REQUEST: Request = Request {
    rust: "PayRequest",
    doc: "What `pubSigPay` asks.",
    endpoint: "pubSigPay",
    common: false,
    rules: true,
    c: "starpos_pay_request",
    c_doc: "`pubSigPay` input.",
    params: &[
        TXN_TIME,
        VERSION.docs(
            "Protocol version; `None` = `V1.0.0`, or `V1.0.1` with `attach` or `openid`.",
            "Protocol version, \"V1.0.0\" or \"V1.0.1\"; NULL = V1.0.0 (V1.0.1 with `attach` or `openid`).",
        ),
        param(
            "code",
            "code",
            In::Token(64),
            "The OAuth code from the WeChat redirect (≤ 64 characters). Exactly one of `code` and\n`openid` is given.",
            "OAuth code from the WeChat redirect, ≤ 64. Exactly one of `code` and `openid`.",
        )
        .flags(SECRET),
        param(
            "openid",
            "openid",
            In::Token(64),
            "The payer's openid, instead of `code`.",
            "The payer's openid, ≤ 64, instead of `code`.",
        )
        .flags(SECRET | EXTENDS),
        param(
            "amount",
            "amount",
            In::Fen,
            "Fen actually paid: 0 < amount ≤ total_amount.",
            "Fen actually paid: 0 < amount ≤ total_amount.",
        ),
        param(
            "total_amount",
            "total_amount",
            In::Fen,
            "Order total in fen, < 10^13.",
            "Order total in fen, < 10^13.",
        ),
        param(
            "subject",
            "subject",
            In::Text(256),
            "Order title (≤ 256 GBK bytes: ASCII 1, other characters 2).",
            "Order title, ≤ 256 GBK bytes (ASCII 1, other characters 2); may be NULL.",
        ),
        param(
            "sel_order_no",
            "selOrderNo",
            In::Token(50),
            "The merchant's order number (≤ 50).",
            "The merchant's order number, ≤ 50; may be NULL.",
        ),
        param(
            "goods_tag",
            "goods_tag",
            In::Text(250),
            "Discount note (≤ 250 GBK bytes), sent as `goods_tag`.",
            "Discount note, ≤ 250 GBK bytes (sent as `goods_tag`); may be NULL.",
        ),
        param(
            "attach",
            "attach",
            In::Text(256),
            "Free text echoed back (≤ 256 GBK bytes).",
            "Free text echoed back, ≤ 256 GBK bytes; may be NULL.",
        )
        .flags(EXTENDS),
    ],
};
