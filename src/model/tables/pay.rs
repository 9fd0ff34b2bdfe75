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
