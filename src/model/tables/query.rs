//! `sdkQryBarcodePay`'s answer: the order's state.

use super::*;

pub const ANSWER: Answer = Answer {
    rust: "QueryResponse",
    doc: "What the order query answered (verified).",
    fields: &[
        RETURN_CODE,
        MESSAGE,
        SYS_TIME,
        MERC_ID,
        field(
            "trade_no",
            "tradeNo",
            Kind::Sent("STARPOS_TRADE_NO_SIZE"),
            "The `tradeNo` this query was sent with: after [`Client::wait`](crate::Client::wait)\nthat of its last query, not the order's (the order is the `qry_no` given); after\n[`Client::barcode_sale`](crate::Client::barcode_sale) the sale's own `tradeNo`.",
        )
        .c("`starpos_query`: the `tradeNo` this query was sent with (filled whenever the request was\nvalid). `starpos_wait`: that of its last query, NOT the order's (the order is the\n`qry_no` you passed: keep that). `starpos_barcode_sale`: the sale's own `tradeNo`,\nyour handle on it."),
        log_no("`logNo` of the order."),
        field(
            "result",
            "result",
            Kind::Result,
            "`result`: `S`, `F` and `D` are final; `A` and `Z` mean query again.",
        )
        .c("`result`: 'S' paid, 'F' failed, 'D' revoked (final); 'A', 'Z' (query again); or 0."),
        text(
            "pay_channel",
            "payChannel",
            "STARPOS_PAY_CHANNEL_SIZE",
            "`payChannel`: `WXPAY`, `ALIPAY`, `YLPAY`.",
        )
        .c("`payChannel`: \"WXPAY\", \"ALIPAY\", \"YLPAY\"."),
        text(
            "order_no",
            "orderNo",
            "STARPOS_ORDER_NO_SIZE",
            "`orderNo`: the channel order number (the one a refund needs once `S`).",
        )
        .c("`orderNo`: the channel order number; a refund needs it."),
        AMOUNT,
        TOTAL_AMOUNT,
        field(
            "ref_amt",
            "refAmt",
            Kind::Fen,
            "`refAmt`: fen already refunded on the order (answered to version `V1.0.1`; else 0).",
        )
        .c("`refAmt`: fen already refunded on the order (answered to version \"V1.0.1\"; else 0)."),
        text("subject", "subject", "STARPOS_SUBJECT_SIZE", "`subject`."),
        text("sel_order_no", "selOrderNo", "STARPOS_SEL_ORDER_NO_SIZE", "`selOrderNo`."),
        text("goods_tag", "goodsTag", "STARPOS_GOODS_TAG_SIZE", "`goodsTag`."),
        text("attach", "attach", "STARPOS_ATTACH_SIZE", "`attach`."),
        field(
            "add_field",
            "addField",
            Kind::Text("STARPOS_ADD_FIELD_SIZE"),
            "`addField` (common answer parameter, ≤ 256 GBK bytes); after\n[`Client::barcode_sale`](crate::Client::barcode_sale) ended by the pay itself, the pay's.",
        )
        .c(ADD_FIELD.c_doc),
    ],
    c: &[CStruct {
        name: "starpos_query_response",
        doc: "Order query output (see `starpos_qry_response` for when fields are filled).",
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
            "order_no",
            "amount",
            "total_amount",
            "ref_amt",
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
    rust: "QueryRequest",
    doc: "What the order query asks.",
    endpoint: "sdkQryBarcodePay",
    common: true,
    rules: false,
    c: "starpos_query_request",
    c_doc: "Order query (`sdkQryBarcodePay`) input.",
    params: &[
        TXN_TIME,
        VERSION,
        TRADE_NO,
        param(
            "qry_no",
            "qryNo",
            In::Token(64),
            "The order to look up: its `logNo`, `orderNo` or `tradeNo` (≤ 64).",
            "The order: its `logNo`, `orderNo` or `tradeNo`, ≤ 64. Required.",
        )
        .flags(REQUIRED),
    ],
};
