//! `RevokeBarcodepay`'s answer: a counter sale undone (spec section 8).

use super::*;

pub const ANSWER: Answer = Answer {
    rust: "RevokeResponse",
    doc: "What the revoke answered (verified, bound to its request). `result` `S`: the sale is\nrevoked (the order now queries `D`: a paid sale's money goes back, an unpaid one can no\nlonger be paid); `F`: not revoked; `Z`: unknown, query the sale (`qry_no`) until `D` or\nanother final state.",
    fields: &[
        RETURN_CODE,
        MESSAGE,
        SYS_TIME,
        MERC_ID,
        field(
            "trade_no",
            "tradeNo",
            Kind::Sent("STARPOS_TRADE_NO_SIZE"),
            "This revoke's own `tradeNo` (not the sale's).",
        )
        .c("This revoke's own `tradeNo` (generated when the request's was NULL), filled whenever\nthe request was valid; the sale's is the `qry_no` you passed."),
        log_no("`LogNo` (the gateway spells it with a capital L; `logNo` is read too): the\nrevoke's serial."),
        field(
            "result",
            "result",
            Kind::Result,
            "`result`: `S` revoked, `F` not revoked, `Z` unknown (query the sale).",
        )
        .c("`result`: 'S' revoked, 'F' not revoked, 'Z' unknown (query the sale until final); 0\nwhen the call failed."),
        text(
            "pay_channel",
            "payChannel",
            "STARPOS_PAY_CHANNEL_SIZE",
            "`payChannel` of the sale.",
        ),
        AMOUNT.c("`amount` in fen: the sale's."),
        TOTAL_AMOUNT.c("`total_amount` in fen: the sale's."),
        text("subject", "subject", "STARPOS_SUBJECT_SIZE", "`subject`, the sale's."),
        text("sel_order_no", "selOrderNo", "STARPOS_SEL_ORDER_NO_SIZE", "`selOrderNo`, the sale's."),
        text("goods_tag", "goodsTag", "STARPOS_GOODS_TAG_SIZE", "`goodsTag`, the sale's."),
        text("attach", "attach", "STARPOS_ATTACH_SIZE", "`attach`, the sale's."),
        ADD_FIELD,
    ],
    c: &[CStruct {
        name: "starpos_revoke_response",
        doc: "Revoke output (see `starpos_qry_response` for when fields are filled; `trade_no` is\nfilled whenever the request was valid, whatever the status).",
        error_doc: ERROR_DOC,
        verified_doc: VERIFIED_DOC,
        fields: &[
            "return_code",
            "message",
            "sys_time",
            "merc_id",
            "trade_no",
            "log_no",
            "result",
            "pay_channel",
            "amount",
            "total_amount",
            "subject",
            "sel_order_no",
            "goods_tag",
            "attach",
            "add_field",
            "error",
            "verified",
        ],
        docs: &[],
    }],
};

pub const REQUEST: Request = Request {
    rust: "RevokeRequest",
    doc: "What a revoke asks.",
    endpoint: "RevokeBarcodepay",
    common: true,
    rules: false,
    c: "starpos_revoke_request",
    c_doc: "Revoke (`RevokeBarcodepay`) input: undo a counter sale, the same day.",
    params: &[
        param(
            "qry_no",
            "qryNo",
            In::Token(64),
            "The sale to revoke: its `tradeNo` (≤ 64), sent as `qryNo`.",
            "The sale's `tradeNo` (sent as `qryNo`), ≤ 64. Required.",
        )
        .flags(REQUIRED),
        TRADE_NO.docs(
            "This revoke's own number (≤ 64); `None` = a new unique one, returned in the answer.",
            "This revoke's own `tradeNo`, ≤ 64; NULL = generated, unique (returned in the response).",
        ),
        TXN_TIME,
        VERSION,
    ],
};
