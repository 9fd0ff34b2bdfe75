//! The counter sales' answer (`sdkBarcodePay`, `sdkBarcodePosPay`): one Rust type, two C
//! structs.

use super::*;

pub const ANSWER: Answer = Answer {
    rust: "CounterPayResponse",
    doc: "What a counter sale answered (verified, bound to its request). For the barcode pay,\n`result` `S` is paid and `F` failed (final), `A` (the payer is entering a password) and `Z`\nmean: query `trade_no` until final. For the QR pay, `S` means the QR order was made (show\n`pay_code`), not that it is paid: query `trade_no` until final. Its `Debug` masks\n`open_id`.",
    fields: &[
        RETURN_CODE
            .c("`returnCode` (\"000000\", or another code beside a `result`: the result rules).")
            .doc_rust("`returnCode` (`000000`, or another code beside a result: spec section 5)."),
        MESSAGE,
        SYS_TIME,
        MERC_ID,
        field(
            "trade_no",
            "tradeNo",
            Kind::Sent("STARPOS_TRADE_NO_SIZE"),
            "The sale's `tradeNo` (echoed by the answer, checked).",
        )
        .c("The sale's `tradeNo` (generated when the request's was NULL): query it when in doubt."),
        log_no("`logNo`: the gateway's serial."),
        field("result", "result", Kind::Result, "`result`.")
            .c("`result`: 'S', 'F', 'A', 'Z'; 0 when the call failed."),
        text(
            "pay_channel",
            "payChannel",
            "STARPOS_PAY_CHANNEL_SIZE",
            "The channel: the answer's `payChannel`, else the one sent.",
        )
        .c("The channel the sale was sent with (\"WXPAY\", \"ALIPAY\", \"YLPAY\")."),
        text(
            "pay_code",
            "payCode",
            "STARPOS_PAY_CODE_SIZE",
            "`payCode` (QR pay only): the text to render as the QR code, valid 15 minutes.",
        )
        .c("`payCode`: the text to render as the QR code (valid for 15 minutes).")
        .flags(WHEN_SET),
        text(
            "order_no",
            "orderNo",
            "STARPOS_ORDER_NO_SIZE",
            "`orderNo`: the channel's order number (a refund needs it).",
        ),
        AMOUNT.c("`amount` in fen (checked against the request)."),
        TOTAL_AMOUNT.c("`total_amount` in fen (checked against the request)."),
        text("subject", "subject", "STARPOS_SUBJECT_SIZE", "`subject`, echoed."),
        text("sel_order_no", "selOrderNo", "STARPOS_SEL_ORDER_NO_SIZE", "`selOrderNo`, echoed.")
            .c("`selOrderNo`, echoed (checked against the request)."),
        text("goods_tag", "goodsTag", "STARPOS_GOODS_TAG_SIZE", "`goodsTag`, echoed."),
        text("attach", "attach", "STARPOS_ATTACH_SIZE", "`attach`, echoed."),
        text(
            "open_id",
            "openId",
            "STARPOS_OPEN_ID_SIZE",
            "`openId` (barcode pay only, WeChat): the payer's openid in WeChat, as the gateway\nanswered it (empty when it gave none). A secret: never logged, printed in clear or\njournaled.",
        )
        .c("`openId`: the payer's openid in WeChat, when the gateway answered one (WeChat sales;\n\"\" otherwise). A secret: the library never logs or journals it; do not print it.")
        .flags(SECRET | WHEN_SET),
        field(
            "add_field",
            "addField",
            Kind::Text("STARPOS_ADD_FIELD_SIZE"),
            "`addField` (common answer parameter of every `sdk*` answer, ≤ 256 GBK bytes).",
        )
        .c(ADD_FIELD.c_doc),
    ],
    c: &[
        CStruct {
            name: "starpos_barcode_pay_response",
            doc: "Barcode pay output (see `starpos_qry_response` for when fields are filled; `trade_no` is\nfilled whenever the request was valid, whatever the status). `result`: 'S' paid, 'F'\nfailed (final); 'A' the payer is entering a password, 'Z' unknown: query `trade_no` until\nfinal (`starpos_wait`), never pay again.",
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
                "subject",
                "sel_order_no",
                "goods_tag",
                "attach",
                "error",
                "verified",
                "add_field",
                "open_id",
            ],
            docs: &[],
        },
        CStruct {
            name: "starpos_qr_pay_response",
            doc: "QR pay output: as `starpos_barcode_pay_response`, plus `pay_code`. `result` 'S' means the\nQR order was made, NOT that it is paid: show `pay_code`, then query `trade_no` until final\n(`starpos_wait`). 'F' = no order; 'Z' = unknown: query.",
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
                "pay_code",
                "order_no",
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
            docs: &[
                ("return_code", "`returnCode`."),
                ("trade_no", "The sale's `tradeNo`, filled whenever the request was valid."),
                ("result", "`result`: 'S' QR order made (not yet paid), 'F', 'Z'; 0 when the call failed."),
                ("pay_channel", "The channel the sale was sent with."),
                ("order_no", "`orderNo`."),
            ],
        },
    ],
};

/// What a counter sale pays for: the parameters `sdkBarcodePay` and `sdkBarcodePosPay` share
/// after the channel, in ABI order (`subject`'s and `add_field`'s docs differ: their own).
const AMOUNT_IN: Param = param(
    "amount",
    "amount",
    In::Fen,
    "Fen actually paid: 0 < amount ≤ total_amount.",
    "Fen actually paid: 0 < amount ≤ total_amount.",
);
const TOTAL_AMOUNT_IN: Param = param(
    "total_amount",
    "total_amount",
    In::Fen,
    "Order total in fen, < 10^13.",
    "Order total in fen, < 10^13.",
);
const SUBJECT_IN: Param = param(
    "subject",
    "subject",
    In::Text(512),
    "Order title (≤ 512 GBK bytes).",
    "Order title, ≤ 512 GBK bytes; may be NULL.",
);
const SEL_ORDER_NO_IN: Param = param(
    "sel_order_no",
    "selOrderNo",
    In::Token(50),
    "The merchant's order number (≤ 50).",
    "The merchant's order number, ≤ 50; may be NULL.",
);
const GOODS_TAG_IN: Param = param(
    "goods_tag",
    "goods_tag",
    In::Text(512),
    "Discount note (≤ 512 GBK bytes), sent as `goods_tag`.",
    "Discount note, ≤ 512 GBK bytes (sent as `goods_tag`); may be NULL.",
);
const ATTACH_IN: Param = param(
    "attach",
    "attach",
    In::Text(512),
    "Free text echoed back (≤ 512 GBK bytes).",
    "Free text echoed back, ≤ 512 GBK bytes; may be NULL.",
);
const ADD_FIELD_IN: Param = param(
    "add_field",
    "addField",
    In::Text(256),
    "`addField` (≤ 256 GBK bytes), sent as given.",
    "`addField`, ≤ 256 GBK bytes, sent as given; may be NULL.",
);

pub const BARCODE_REQUEST: Request = Request {
    rust: "BarcodePayRequest",
    doc: "What `sdkBarcodePay` asks: charge the payment code scanned from the payer's phone.",
    endpoint: "sdkBarcodePay",
    common: true,
    rules: true,
    c: "starpos_barcode_pay_request",
    c_doc: "Barcode pay (`sdkBarcodePay`) input: the terminal scanned the payment code on the payer's\nphone. Also the input of `starpos_barcode_sale`.",
    params: &[
        TXN_TIME,
        VERSION,
        TRADE_NO.docs(
            "This sale's number (≤ 64, unique per merchant); `None` = a new unique one. Always in\nthe answer and in every error after validation: the handle on a lost answer.",
            "This sale's number, ≤ 64 printable ASCII, unique per merchant; NULL = generated. Always\nreturned in the response: it is the handle on a sale whose answer was lost.",
        ),
        param(
            "auth_code",
            "authCode",
            In::Code(256),
            "The scanned payment code (≤ 256). Never logged or journaled.",
            "The scanned payment code (≤ 256 digits). Required. Never logged or journaled.",
        )
        .flags(SECRET | REQUIRED),
        param(
            "pay_channel",
            "payChannel",
            In::Channel,
            "`WXPAY`, `ALIPAY` or `YLPAY`; `None` = from the code's prefix\n([`channel_of_code`](crate::channel_of_code)).",
            "\"WXPAY\", \"ALIPAY\" or \"YLPAY\"; NULL = from the code's prefix (WeChat 18 digits from 10–15,\nAlipay 16–24 digits from 25–30, UnionPay 19 digits from 62). An explicit channel wins.",
        ),
        AMOUNT_IN,
        TOTAL_AMOUNT_IN,
        SUBJECT_IN.docs(
            "Order title (≤ 512 GBK bytes).",
            "Order title, ≤ 512 bytes counted in GBK (ASCII 1, other characters 2); may be NULL.",
        ),
        SEL_ORDER_NO_IN,
        GOODS_TAG_IN,
        ATTACH_IN,
        ADD_FIELD_IN.docs(
            "`addField` (≤ 256 GBK bytes), sent as given; does not change the version.",
            "`addField`, ≤ 256 GBK bytes, sent as given (does not change the version); may be NULL.",
        ),
    ],
};

pub const QR_REQUEST: Request = Request {
    rust: "QrPayRequest",
    doc: "What `sdkBarcodePosPay` asks: make a QR order for the payer to scan.",
    endpoint: "sdkBarcodePosPay",
    common: true,
    rules: false,
    c: "starpos_qr_pay_request",
    c_doc: "QR pay (`sdkBarcodePosPay`) input: the terminal shows a QR code that the payer scans.",
    params: &[
        TXN_TIME,
        VERSION,
        TRADE_NO.docs(
            "This sale's number (≤ 64, unique per merchant); `None` = a new unique one.",
            "This sale's number, ≤ 64; NULL = generated; always returned.",
        ),
        param(
            "pay_channel",
            "payChannel",
            In::Channel,
            "`WXPAY`, `ALIPAY` or `YLPAY` (required).",
            "\"WXPAY\", \"ALIPAY\" or \"YLPAY\". Required.",
        )
        .flags(REQUIRED),
        AMOUNT_IN,
        TOTAL_AMOUNT_IN,
        SUBJECT_IN,
        SEL_ORDER_NO_IN,
        GOODS_TAG_IN,
        ATTACH_IN,
        ADD_FIELD_IN,
    ],
};
