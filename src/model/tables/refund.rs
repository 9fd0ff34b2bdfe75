//! `sdkRefundBarcodePay`'s answer.

use super::*;

pub const ANSWER: Answer = Answer {
    rust: "RefundResponse",
    doc: "What the refund answered (verified).",
    fields: &[
        RETURN_CODE,
        MESSAGE,
        SYS_TIME,
        MERC_ID,
        field(
            "trade_no",
            "tradeNo",
            Kind::Sent("STARPOS_TRADE_NO_SIZE"),
            "The `tradeNo` this refund was sent with: query it to learn the outcome after a doubt.",
        )
        .c("The `tradeNo` the refund was sent with: after an in-doubt status, query it."),
        log_no("`logNo` of the refund."),
        field(
            "result",
            "result",
            Kind::Result,
            "`result`: `S` refunded, `F` failed, `Z` unknown (query again).",
        )
        .c("`result`: 'S' refunded, 'F' failed, 'Z' unknown; or 0."),
        field("txn_amt", "txnAmt", Kind::Fen, "`txnAmt`: fen refunded."),
        AMOUNT,
        TOTAL_AMOUNT,
        text("subject", "subject", "STARPOS_SUBJECT_SIZE", "`subject`."),
        text(
            "sel_order_no",
            "selOrderNo",
            "STARPOS_SEL_ORDER_NO_SIZE",
            "`selOrderNo`.",
        ),
        text(
            "goods_tag",
            "goodsTag",
            "STARPOS_GOODS_TAG_SIZE",
            "`goodsTag`.",
        ),
        text("attach", "attach", "STARPOS_ATTACH_SIZE", "`attach`."),
        ADD_FIELD,
    ],
    c: &[CStruct {
        name: "starpos_refund_response",
        doc: "Refund output (see `starpos_qry_response` for when fields are filled).",
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
            "txn_amt",
            "amount",
            "total_amount",
            "subject",
            "sel_order_no",
            "goods_tag",
            "attach",
            "error",
            "verified",
            "add_field",
        ],
        docs: &[],
    }],
};

pub const REQUEST: Request = Request {
    rust: "RefundRequest",
    doc: "What a refund asks.",
    endpoint: "sdkRefundBarcodePay",
    common: true,
    rules: false,
    c: "starpos_refund_request",
    c_doc: "Refund (`sdkRefundBarcodePay`) input.",
    params: &[
        TXN_TIME,
        VERSION,
        TRADE_NO,
        param(
            "order_no",
            "orderNo",
            In::Token(64),
            "The channel order number of the paid order (from a query that answered `S`).",
            "Channel order number of the paid order (from a query that answered 'S'). Required.",
        )
        .flags(REQUIRED),
        param(
            "txn_amt",
            "txnAmt",
            In::FenOrNone,
            "Fen to give back; 0 = all that remains (the field is then not sent).",
            "Fen to refund; 0 = all that remains (the field is then not sent).",
        ),
    ],
};
