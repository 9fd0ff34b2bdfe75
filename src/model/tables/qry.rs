//! `pubSigQry`'s answer: the merchant's official account.

use super::*;

pub const ANSWER: Answer = Answer {
    rust: "QryResponse",
    doc: "The merchant's official account, as `pubSigQry` answered it (verified). Its `Debug`\nmasks `app_id_key`.",
    fields: &[
        RETURN_CODE.c("`returnCode`, \"000000\" on success."),
        MESSAGE,
        SYS_TIME.c("`sysTime`, the gateway's time."),
        MERC_ID,
        field(
            "app_id",
            "appId",
            Kind::Required("STARPOS_APP_ID_SIZE"),
            "`appId`: the official account's id, needed for the OAuth link.",
        )
        .c("`appId`: the official account, for the OAuth link."),
        text(
            "app_id_key",
            "appIdKey",
            "STARPOS_APP_ID_KEY_SIZE",
            "`appIdKey`: the official account's secret. Never log it.",
        )
        .flags(SECRET),
        text("attach", "attach", "STARPOS_ATTACH_SIZE", "`attach`, echoed."),
    ],
    c: &[CStruct {
        name: "starpos_qry_response",
        doc: "`pubSigQry` output. Zeroed at the start of every call; on OK every field is from the\nverified answer; on GATEWAY `return_code`, `message`, `sys_time` and `merc_id` are the\nrefusal's; `error` says what went wrong whenever the status is not OK.",
        error_doc: "What went wrong, in words, when the status is not OK (cut at a UTF-8 boundary).",
        verified_doc: "1 when the answer's signature was checked: always with OK; a GATEWAY refusal may come\nunsigned (0).",
        fields: &[
            "return_code",
            "message",
            "sys_time",
            "merc_id",
            "app_id",
            "app_id_key",
            "attach",
            "error",
            "verified",
        ],
        docs: &[],
    }],
};

pub const REQUEST: Request = Request {
    rust: "QryRequest",
    doc: "What `pubSigQry` asks. Every field is optional.",
    endpoint: "pubSigQry",
    common: false,
    rules: false,
    c: "starpos_qry_request",
    c_doc: "`pubSigQry` input. Every field may be NULL.",
    params: &[
        TXN_TIME,
        param(
            "attach",
            "attach",
            In::Text(256),
            "Free text echoed back (≤ 256 GBK bytes); using it makes the version `V1.0.1`.",
            "Free text echoed back, ≤ 256 GBK bytes (ASCII 1, other characters 2); makes the version V1.0.1.",
        )
        .flags(EXTENDS),
        VERSION.docs(
            "Protocol version; `None` = `V1.0.0`, or `V1.0.1` with `attach`.",
            "Protocol version, \"V1.0.0\" or \"V1.0.1\"; NULL = V1.0.0 (V1.0.1 with `attach`).",
        ),
    ],
};
