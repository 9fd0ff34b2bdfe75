"""The C ABI of libstarpos as ctypes declarations: every ``STARPOS_*`` constant, enum
value, struct, callback type and function signature of ``include/starpos.h``, in its order.

GENERATED from include/starpos.h by scripts/gen_python_abi.py: do not edit. After the header
changes (``cargo build`` rewrites it), regenerate from the repository root with::

    python3 scripts/gen_python_abi.py

CI (.ci/run, "python mirror drift") runs it with ``--check``, which fails when this
file differs from what it would write. No library is loaded here (see ``_loader``)."""

import ctypes
from typing import Any, Dict, List, Tuple

# --------------------------------------------------------------------------------------------
# Constants (#define).

#: `flags` bit: open a new connection for every call instead of keeping one alive.
STARPOS_FLAG_NO_KEEPALIVE = 1
#: `flags` bit: the caller's strings are GBK, not UTF-8. Inputs are converted to UTF-8 before
#: they are checked and signed (a string that is not valid GBK is INVALID_ARGUMENT naming the
#: field); answers (`message`, `subject`, ...) and `error` come back in GBK. Builds without
#: the `gbk` feature refuse it (INVALID_ARGUMENT).
STARPOS_FLAG_GBK_STRINGS = 2
#: `flags` bit: send request bodies in GBK (`Content-Type: application/json;charset=GBK`),
#: the gateway's documented encoding, instead of UTF-8. The signature is over the UTF-8 text
#: either way. Answers declared GBK are decoded whatever the flags.
STARPOS_FLAG_GBK_BODY = 4
#: `flags` bit: the closed loop. When `starpos_barcode_sale`, or `starpos_wait` on a QR
#: order's `trade_no`, gives up with the outcome still unknown (its deadline passed, or
#: `cancel` fired), it revokes the sale (`starpos_revoke`) and follows the revoke to its end,
#: so the payer is never charged for a sale the till gave up on (and a QR code shown can no
#: longer be paid): then OK with `result` 'D' (revoked; the revoke went even though `cancel`
#: was fired), or the sale's final state if it became final first ('S' paid: print the
#: receipt), or the in-doubt status with `error` saying what the revoke did. Everything is
#: journaled. With it, `starpos_wait`'s `qry_no` must be a counter sale's `tradeNo` (another
#: order's revoke is refused: the wait then ends in doubt, 15 s later). Without it, the sale
#: is left in doubt for the caller or `starpos_recover`.
STARPOS_FLAG_REVOKE_ON_GIVE_UP = 8
#: `returnCode` (documented max 10).
STARPOS_RETURN_CODE_SIZE = 24
#: `message` (documented max 100 characters).
STARPOS_MESSAGE_SIZE = 320
#: `sysTime` (14 digits).
STARPOS_SYS_TIME_SIZE = 32
#: `mercId` (documented max 15).
STARPOS_MERC_ID_SIZE = 32
#: `appId` (documented max 32).
STARPOS_APP_ID_SIZE = 72
#: `appIdKey` (documented max 128).
STARPOS_APP_ID_KEY_SIZE = 264
#: `attach` (documented max 512 GBK bytes in the `sdk*` answers: 768 UTF-8 bytes + NUL).
STARPOS_ATTACH_SIZE = 776
#: `logNo` (documented max 20).
STARPOS_LOG_NO_SIZE = 48
#: `orderNo` (documented max 64).
STARPOS_ORDER_NO_SIZE = 136
#: `tradeNo` (documented max 64).
STARPOS_TRADE_NO_SIZE = 136
#: `PrepayId` (documented max 64).
STARPOS_PREPAY_ID_SIZE = 136
#: `apiAppid`, `apiTimestamp`, `apiNoncestr`, `apiSigntype` (documented max 32 each).
STARPOS_API_SHORT_SIZE = 72
#: `apiPackage` (documented max 128).
STARPOS_API_PACKAGE_SIZE = 264
#: `apiPaysign` (documented max 64).
STARPOS_API_PAYSIGN_SIZE = 136
#: `subject` (documented max 512 GBK bytes in the `sdk*` answers: 768 UTF-8 bytes + NUL).
STARPOS_SUBJECT_SIZE = 776
#: `selOrderNo` (documented max 50).
STARPOS_SEL_ORDER_NO_SIZE = 104
#: `goodsTag` (documented max 512 GBK bytes in the `sdk*` answers: 768 UTF-8 bytes + NUL).
STARPOS_GOODS_TAG_SIZE = 776
#: `payChannel` (`ALIPAY`, `WXPAY`, `YLPAY`).
STARPOS_PAY_CHANNEL_SIZE = 24
#: `payCode` of the QR sale (documented max 256): the text to render as the QR code.
STARPOS_PAY_CODE_SIZE = 520
#: `txnTime` (14 digits).
STARPOS_TXN_TIME_SIZE = 16
#: The `kind` of a journal entry (`"barcode_pay"` is the longest).
STARPOS_KIND_SIZE = 16
#: The `error` text of every response struct (cut at a UTF-8 boundary when longer).
STARPOS_ERROR_SIZE = 512
#: `openId` of the `sdkBarcodePay` answer: the payer's openid in WeChat. Neither the
#: gateway's docs nor the spec give its maximum; WeChat Pay documents `openid` as at most 128
#: characters, so 128 is taken as the documented maximum: twice that plus the NUL, as
#: `appIdKey`. A secret: never logged, printed in clear or journaled.
STARPOS_OPEN_ID_SIZE = 264
#: `oprId`, the cashier (at most 6 letters and digits).
STARPOS_OPR_ID_SIZE = 16
#: `addField` of every `sdk*` answer (documented max 256 GBK bytes: 384 UTF-8 bytes + NUL).
STARPOS_ADD_FIELD_SIZE = 392
#: An `answer_json` buffer of `starpos_call` this large holds any answer: the JSON of an
#: answer body of at most 64 KiB, every byte of which JSON may write as at most 6 (`\u00XX`),
#: and the NUL. `starpos_call` to an endpoint that can move money refuses a smaller buffer
#: before sending (INVALID_ARGUMENT, nothing sent): that answer could not be handed back, nor
#: asked for again.
STARPOS_CALL_ANSWER_SIZE = 393217

#: Every ``STARPOS_*`` #define of the header, by name.
DEFINES: Dict[str, int] = {
    "STARPOS_FLAG_NO_KEEPALIVE": STARPOS_FLAG_NO_KEEPALIVE,
    "STARPOS_FLAG_GBK_STRINGS": STARPOS_FLAG_GBK_STRINGS,
    "STARPOS_FLAG_GBK_BODY": STARPOS_FLAG_GBK_BODY,
    "STARPOS_FLAG_REVOKE_ON_GIVE_UP": STARPOS_FLAG_REVOKE_ON_GIVE_UP,
    "STARPOS_RETURN_CODE_SIZE": STARPOS_RETURN_CODE_SIZE,
    "STARPOS_MESSAGE_SIZE": STARPOS_MESSAGE_SIZE,
    "STARPOS_SYS_TIME_SIZE": STARPOS_SYS_TIME_SIZE,
    "STARPOS_MERC_ID_SIZE": STARPOS_MERC_ID_SIZE,
    "STARPOS_APP_ID_SIZE": STARPOS_APP_ID_SIZE,
    "STARPOS_APP_ID_KEY_SIZE": STARPOS_APP_ID_KEY_SIZE,
    "STARPOS_ATTACH_SIZE": STARPOS_ATTACH_SIZE,
    "STARPOS_LOG_NO_SIZE": STARPOS_LOG_NO_SIZE,
    "STARPOS_ORDER_NO_SIZE": STARPOS_ORDER_NO_SIZE,
    "STARPOS_TRADE_NO_SIZE": STARPOS_TRADE_NO_SIZE,
    "STARPOS_PREPAY_ID_SIZE": STARPOS_PREPAY_ID_SIZE,
    "STARPOS_API_SHORT_SIZE": STARPOS_API_SHORT_SIZE,
    "STARPOS_API_PACKAGE_SIZE": STARPOS_API_PACKAGE_SIZE,
    "STARPOS_API_PAYSIGN_SIZE": STARPOS_API_PAYSIGN_SIZE,
    "STARPOS_SUBJECT_SIZE": STARPOS_SUBJECT_SIZE,
    "STARPOS_SEL_ORDER_NO_SIZE": STARPOS_SEL_ORDER_NO_SIZE,
    "STARPOS_GOODS_TAG_SIZE": STARPOS_GOODS_TAG_SIZE,
    "STARPOS_PAY_CHANNEL_SIZE": STARPOS_PAY_CHANNEL_SIZE,
    "STARPOS_PAY_CODE_SIZE": STARPOS_PAY_CODE_SIZE,
    "STARPOS_TXN_TIME_SIZE": STARPOS_TXN_TIME_SIZE,
    "STARPOS_KIND_SIZE": STARPOS_KIND_SIZE,
    "STARPOS_ERROR_SIZE": STARPOS_ERROR_SIZE,
    "STARPOS_OPEN_ID_SIZE": STARPOS_OPEN_ID_SIZE,
    "STARPOS_OPR_ID_SIZE": STARPOS_OPR_ID_SIZE,
    "STARPOS_ADD_FIELD_SIZE": STARPOS_ADD_FIELD_SIZE,
    "STARPOS_CALL_ANSWER_SIZE": STARPOS_CALL_ANSWER_SIZE,
}

# --------------------------------------------------------------------------------------------
# Enums: each value a constant.

# ``enum starpos_status``: The outcome of every call. 0 is success; the values never change
# and new ones are only appended. `starpos_status_str` names them; `starpos_status_in_doubt`
# says which may hide a payment that went through.
STARPOS_OK = 0
STARPOS_ERR_INVALID_ARGUMENT = 1
STARPOS_ERR_CONNECT = 2
STARPOS_ERR_TIMEOUT = 3
STARPOS_ERR_HTTP = 4
STARPOS_ERR_PROTOCOL = 5
STARPOS_ERR_SIGNATURE = 6
STARPOS_ERR_GATEWAY = 7
STARPOS_ERR_INTERNAL = 8
STARPOS_ERR_JOURNAL = 9
STARPOS_ERR_CANCELLED = 10
STARPOS_ERR_CANCELLED_NOT_SENT = 11

#: Every enum of the header: its values by name.
ENUMS: Dict[str, Dict[str, int]] = {
    "starpos_status": {
        "STARPOS_OK": STARPOS_OK,
        "STARPOS_ERR_INVALID_ARGUMENT": STARPOS_ERR_INVALID_ARGUMENT,
        "STARPOS_ERR_CONNECT": STARPOS_ERR_CONNECT,
        "STARPOS_ERR_TIMEOUT": STARPOS_ERR_TIMEOUT,
        "STARPOS_ERR_HTTP": STARPOS_ERR_HTTP,
        "STARPOS_ERR_PROTOCOL": STARPOS_ERR_PROTOCOL,
        "STARPOS_ERR_SIGNATURE": STARPOS_ERR_SIGNATURE,
        "STARPOS_ERR_GATEWAY": STARPOS_ERR_GATEWAY,
        "STARPOS_ERR_INTERNAL": STARPOS_ERR_INTERNAL,
        "STARPOS_ERR_JOURNAL": STARPOS_ERR_JOURNAL,
        "STARPOS_ERR_CANCELLED": STARPOS_ERR_CANCELLED,
        "STARPOS_ERR_CANCELLED_NOT_SENT": STARPOS_ERR_CANCELLED_NOT_SENT,
    },
}

# --------------------------------------------------------------------------------------------
# Structs (field for field) and callback types, in the header's order.


class starpos_progress(ctypes.Structure):
    """``struct starpos_progress``: Where a wait stands, as `starpos_config.progress` is told.
    Valid only during the call."""

    _fields_ = [
        ("trade_no", ctypes.c_char_p),
        ("result", ctypes.c_char),
        ("queries", ctypes.c_uint32),
        ("elapsed_ms", ctypes.c_uint64),
        ("next_query_ms", ctypes.c_uint64),
    ]


#: The progress callback: `progress` is valid only during the call.
starpos_progress_fn = ctypes.CFUNCTYPE(None, ctypes.POINTER(starpos_progress), ctypes.c_void_p)


class starpos_config(ctypes.Structure):
    """``struct starpos_config``: Where and as whom to call the gateway. Zero-initialise it
    (`starpos_config c = {0};`) and set what you need: every zero field means its default.
    Strings are NUL-terminated UTF-8, borrowed for the duration of the call only. In every
    request struct, a text or token field whose whole value is the word `null` (any letter
    case) is INVALID_ARGUMENT naming the field: the gateway would read it as absent; leave
    the field NULL instead."""

    _fields_ = [
        ("base_url", ctypes.c_char_p),
        ("org_no", ctypes.c_char_p),
        ("merc_id", ctypes.c_char_p),
        ("trm_no", ctypes.c_char_p),
        ("key", ctypes.c_char_p),
        ("connect_timeout_ms", ctypes.c_uint32),
        ("timeout_ms", ctypes.c_uint32),
        ("flags", ctypes.c_uint32),
        ("ca_file", ctypes.c_char_p),
        ("trm_typ", ctypes.c_char_p),
        ("opr_id", ctypes.c_char_p),
        ("latitude", ctypes.c_char_p),
        ("longitude", ctypes.c_char_p),
        ("journal_path", ctypes.c_char_p),
        ("journal_retention_days", ctypes.c_uint32),
        ("cancel", ctypes.c_void_p),
        ("progress", starpos_progress_fn),
        ("progress_userdata", ctypes.c_void_p),
    ]


class starpos_qry_request(ctypes.Structure):
    """``struct starpos_qry_request``: `pubSigQry` input. Every field may be NULL."""

    _fields_ = [
        ("txn_time", ctypes.c_char_p),
        ("attach", ctypes.c_char_p),
        ("version", ctypes.c_char_p),
    ]


class starpos_qry_response(ctypes.Structure):
    """``struct starpos_qry_response``: `pubSigQry` output. Zeroed at the start of every call;
    on OK every field is from the verified answer; on GATEWAY `return_code`, `message`,
    `sys_time` and `merc_id` are the refusal's; `error` says what went wrong whenever the
    status is not OK."""

    _fields_ = [
        ("return_code", ctypes.c_char * STARPOS_RETURN_CODE_SIZE),
        ("message", ctypes.c_char * STARPOS_MESSAGE_SIZE),
        ("sys_time", ctypes.c_char * STARPOS_SYS_TIME_SIZE),
        ("merc_id", ctypes.c_char * STARPOS_MERC_ID_SIZE),
        ("app_id", ctypes.c_char * STARPOS_APP_ID_SIZE),
        ("app_id_key", ctypes.c_char * STARPOS_APP_ID_KEY_SIZE),
        ("attach", ctypes.c_char * STARPOS_ATTACH_SIZE),
        ("error", ctypes.c_char * STARPOS_ERROR_SIZE),
        ("verified", ctypes.c_bool),
    ]


class starpos_pay_request(ctypes.Structure):
    """``struct starpos_pay_request``: `pubSigPay` input."""

    _fields_ = [
        ("txn_time", ctypes.c_char_p),
        ("version", ctypes.c_char_p),
        ("code", ctypes.c_char_p),
        ("openid", ctypes.c_char_p),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("subject", ctypes.c_char_p),
        ("sel_order_no", ctypes.c_char_p),
        ("goods_tag", ctypes.c_char_p),
        ("attach", ctypes.c_char_p),
    ]


class starpos_pay_response(ctypes.Structure):
    """``struct starpos_pay_response``: `pubSigPay` output (see `starpos_qry_response` for when
    fields are filled). `result` is 'A' or 'Z' by design: follow with `starpos_wait` on
    `log_no`."""

    _fields_ = [
        ("return_code", ctypes.c_char * STARPOS_RETURN_CODE_SIZE),
        ("message", ctypes.c_char * STARPOS_MESSAGE_SIZE),
        ("sys_time", ctypes.c_char * STARPOS_SYS_TIME_SIZE),
        ("merc_id", ctypes.c_char * STARPOS_MERC_ID_SIZE),
        ("log_no", ctypes.c_char * STARPOS_LOG_NO_SIZE),
        ("result", ctypes.c_char),
        ("order_no", ctypes.c_char * STARPOS_ORDER_NO_SIZE),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("prepay_id", ctypes.c_char * STARPOS_PREPAY_ID_SIZE),
        ("api_appid", ctypes.c_char * STARPOS_API_SHORT_SIZE),
        ("api_timestamp", ctypes.c_char * STARPOS_API_SHORT_SIZE),
        ("api_noncestr", ctypes.c_char * STARPOS_API_SHORT_SIZE),
        ("api_package", ctypes.c_char * STARPOS_API_PACKAGE_SIZE),
        ("api_signtype", ctypes.c_char * STARPOS_API_SHORT_SIZE),
        ("api_paysign", ctypes.c_char * STARPOS_API_PAYSIGN_SIZE),
        ("subject", ctypes.c_char * STARPOS_SUBJECT_SIZE),
        ("sel_order_no", ctypes.c_char * STARPOS_SEL_ORDER_NO_SIZE),
        ("goods_tag", ctypes.c_char * STARPOS_GOODS_TAG_SIZE),
        ("attach", ctypes.c_char * STARPOS_ATTACH_SIZE),
        ("error", ctypes.c_char * STARPOS_ERROR_SIZE),
        ("verified", ctypes.c_bool),
    ]


class starpos_query_request(ctypes.Structure):
    """``struct starpos_query_request``: Order query (`sdkQryBarcodePay`) input."""

    _fields_ = [
        ("txn_time", ctypes.c_char_p),
        ("version", ctypes.c_char_p),
        ("trade_no", ctypes.c_char_p),
        ("qry_no", ctypes.c_char_p),
    ]


class starpos_query_response(ctypes.Structure):
    """``struct starpos_query_response``: Order query output (see `starpos_qry_response` for
    when fields are filled)."""

    _fields_ = [
        ("return_code", ctypes.c_char * STARPOS_RETURN_CODE_SIZE),
        ("message", ctypes.c_char * STARPOS_MESSAGE_SIZE),
        ("sys_time", ctypes.c_char * STARPOS_SYS_TIME_SIZE),
        ("merc_id", ctypes.c_char * STARPOS_MERC_ID_SIZE),
        ("trade_no", ctypes.c_char * STARPOS_TRADE_NO_SIZE),
        ("log_no", ctypes.c_char * STARPOS_LOG_NO_SIZE),
        ("result", ctypes.c_char),
        ("pay_channel", ctypes.c_char * STARPOS_PAY_CHANNEL_SIZE),
        ("order_no", ctypes.c_char * STARPOS_ORDER_NO_SIZE),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("ref_amt", ctypes.c_uint64),
        ("subject", ctypes.c_char * STARPOS_SUBJECT_SIZE),
        ("sel_order_no", ctypes.c_char * STARPOS_SEL_ORDER_NO_SIZE),
        ("goods_tag", ctypes.c_char * STARPOS_GOODS_TAG_SIZE),
        ("attach", ctypes.c_char * STARPOS_ATTACH_SIZE),
        ("error", ctypes.c_char * STARPOS_ERROR_SIZE),
        ("verified", ctypes.c_bool),
        ("add_field", ctypes.c_char * STARPOS_ADD_FIELD_SIZE),
    ]


class starpos_refund_request(ctypes.Structure):
    """``struct starpos_refund_request``: Refund (`sdkRefundBarcodePay`) input."""

    _fields_ = [
        ("txn_time", ctypes.c_char_p),
        ("version", ctypes.c_char_p),
        ("trade_no", ctypes.c_char_p),
        ("order_no", ctypes.c_char_p),
        ("txn_amt", ctypes.c_uint64),
    ]


class starpos_refund_response(ctypes.Structure):
    """``struct starpos_refund_response``: Refund output (see `starpos_qry_response` for when
    fields are filled)."""

    _fields_ = [
        ("return_code", ctypes.c_char * STARPOS_RETURN_CODE_SIZE),
        ("message", ctypes.c_char * STARPOS_MESSAGE_SIZE),
        ("sys_time", ctypes.c_char * STARPOS_SYS_TIME_SIZE),
        ("merc_id", ctypes.c_char * STARPOS_MERC_ID_SIZE),
        ("trade_no", ctypes.c_char * STARPOS_TRADE_NO_SIZE),
        ("log_no", ctypes.c_char * STARPOS_LOG_NO_SIZE),
        ("result", ctypes.c_char),
        ("txn_amt", ctypes.c_uint64),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("subject", ctypes.c_char * STARPOS_SUBJECT_SIZE),
        ("sel_order_no", ctypes.c_char * STARPOS_SEL_ORDER_NO_SIZE),
        ("goods_tag", ctypes.c_char * STARPOS_GOODS_TAG_SIZE),
        ("attach", ctypes.c_char * STARPOS_ATTACH_SIZE),
        ("error", ctypes.c_char * STARPOS_ERROR_SIZE),
        ("verified", ctypes.c_bool),
        ("add_field", ctypes.c_char * STARPOS_ADD_FIELD_SIZE),
    ]


class starpos_revoke_request(ctypes.Structure):
    """``struct starpos_revoke_request``: Revoke (`RevokeBarcodepay`) input: undo a counter
    sale, the same day."""

    _fields_ = [
        ("qry_no", ctypes.c_char_p),
        ("trade_no", ctypes.c_char_p),
        ("txn_time", ctypes.c_char_p),
        ("version", ctypes.c_char_p),
    ]


class starpos_revoke_response(ctypes.Structure):
    """``struct starpos_revoke_response``: Revoke output (see `starpos_qry_response` for when
    fields are filled; `trade_no` is filled whenever the request was valid, whatever the
    status)."""

    _fields_ = [
        ("return_code", ctypes.c_char * STARPOS_RETURN_CODE_SIZE),
        ("message", ctypes.c_char * STARPOS_MESSAGE_SIZE),
        ("sys_time", ctypes.c_char * STARPOS_SYS_TIME_SIZE),
        ("merc_id", ctypes.c_char * STARPOS_MERC_ID_SIZE),
        ("trade_no", ctypes.c_char * STARPOS_TRADE_NO_SIZE),
        ("log_no", ctypes.c_char * STARPOS_LOG_NO_SIZE),
        ("result", ctypes.c_char),
        ("pay_channel", ctypes.c_char * STARPOS_PAY_CHANNEL_SIZE),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("subject", ctypes.c_char * STARPOS_SUBJECT_SIZE),
        ("sel_order_no", ctypes.c_char * STARPOS_SEL_ORDER_NO_SIZE),
        ("goods_tag", ctypes.c_char * STARPOS_GOODS_TAG_SIZE),
        ("attach", ctypes.c_char * STARPOS_ATTACH_SIZE),
        ("add_field", ctypes.c_char * STARPOS_ADD_FIELD_SIZE),
        ("error", ctypes.c_char * STARPOS_ERROR_SIZE),
        ("verified", ctypes.c_bool),
    ]


class starpos_barcode_pay_request(ctypes.Structure):
    """``struct starpos_barcode_pay_request``: Barcode pay (`sdkBarcodePay`) input: the terminal
    scanned the payment code on the payer's phone. Also the input of `starpos_barcode_sale`."""

    _fields_ = [
        ("txn_time", ctypes.c_char_p),
        ("version", ctypes.c_char_p),
        ("trade_no", ctypes.c_char_p),
        ("auth_code", ctypes.c_char_p),
        ("pay_channel", ctypes.c_char_p),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("subject", ctypes.c_char_p),
        ("sel_order_no", ctypes.c_char_p),
        ("goods_tag", ctypes.c_char_p),
        ("attach", ctypes.c_char_p),
        ("add_field", ctypes.c_char_p),
    ]


class starpos_barcode_pay_response(ctypes.Structure):
    """``struct starpos_barcode_pay_response``: Barcode pay output (see `starpos_qry_response`
    for when fields are filled; `trade_no` is filled whenever the request was valid, whatever
    the status). `result`: 'S' paid, 'F' failed (final); 'A' the payer is entering a
    password, 'Z' unknown: query `trade_no` until final (`starpos_wait`), never pay again."""

    _fields_ = [
        ("return_code", ctypes.c_char * STARPOS_RETURN_CODE_SIZE),
        ("message", ctypes.c_char * STARPOS_MESSAGE_SIZE),
        ("sys_time", ctypes.c_char * STARPOS_SYS_TIME_SIZE),
        ("merc_id", ctypes.c_char * STARPOS_MERC_ID_SIZE),
        ("trade_no", ctypes.c_char * STARPOS_TRADE_NO_SIZE),
        ("log_no", ctypes.c_char * STARPOS_LOG_NO_SIZE),
        ("result", ctypes.c_char),
        ("pay_channel", ctypes.c_char * STARPOS_PAY_CHANNEL_SIZE),
        ("order_no", ctypes.c_char * STARPOS_ORDER_NO_SIZE),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("subject", ctypes.c_char * STARPOS_SUBJECT_SIZE),
        ("sel_order_no", ctypes.c_char * STARPOS_SEL_ORDER_NO_SIZE),
        ("goods_tag", ctypes.c_char * STARPOS_GOODS_TAG_SIZE),
        ("attach", ctypes.c_char * STARPOS_ATTACH_SIZE),
        ("error", ctypes.c_char * STARPOS_ERROR_SIZE),
        ("verified", ctypes.c_bool),
        ("add_field", ctypes.c_char * STARPOS_ADD_FIELD_SIZE),
        ("open_id", ctypes.c_char * STARPOS_OPEN_ID_SIZE),
    ]


class starpos_qr_pay_request(ctypes.Structure):
    """``struct starpos_qr_pay_request``: QR pay (`sdkBarcodePosPay`) input: the terminal shows
    a QR code that the payer scans."""

    _fields_ = [
        ("txn_time", ctypes.c_char_p),
        ("version", ctypes.c_char_p),
        ("trade_no", ctypes.c_char_p),
        ("pay_channel", ctypes.c_char_p),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("subject", ctypes.c_char_p),
        ("sel_order_no", ctypes.c_char_p),
        ("goods_tag", ctypes.c_char_p),
        ("attach", ctypes.c_char_p),
        ("add_field", ctypes.c_char_p),
    ]


class starpos_qr_pay_response(ctypes.Structure):
    """``struct starpos_qr_pay_response``: QR pay output: as `starpos_barcode_pay_response`,
    plus `pay_code`. `result` 'S' means the QR order was made, NOT that it is paid: show
    `pay_code`, then query `trade_no` until final (`starpos_wait`). 'F' = no order; 'Z' =
    unknown: query."""

    _fields_ = [
        ("return_code", ctypes.c_char * STARPOS_RETURN_CODE_SIZE),
        ("message", ctypes.c_char * STARPOS_MESSAGE_SIZE),
        ("sys_time", ctypes.c_char * STARPOS_SYS_TIME_SIZE),
        ("merc_id", ctypes.c_char * STARPOS_MERC_ID_SIZE),
        ("trade_no", ctypes.c_char * STARPOS_TRADE_NO_SIZE),
        ("log_no", ctypes.c_char * STARPOS_LOG_NO_SIZE),
        ("result", ctypes.c_char),
        ("pay_channel", ctypes.c_char * STARPOS_PAY_CHANNEL_SIZE),
        ("pay_code", ctypes.c_char * STARPOS_PAY_CODE_SIZE),
        ("order_no", ctypes.c_char * STARPOS_ORDER_NO_SIZE),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("subject", ctypes.c_char * STARPOS_SUBJECT_SIZE),
        ("sel_order_no", ctypes.c_char * STARPOS_SEL_ORDER_NO_SIZE),
        ("goods_tag", ctypes.c_char * STARPOS_GOODS_TAG_SIZE),
        ("attach", ctypes.c_char * STARPOS_ATTACH_SIZE),
        ("error", ctypes.c_char * STARPOS_ERROR_SIZE),
        ("verified", ctypes.c_bool),
        ("add_field", ctypes.c_char * STARPOS_ADD_FIELD_SIZE),
    ]


class starpos_journal_entry(ctypes.Structure):
    """``struct starpos_journal_entry``: One sale of the journal, as `starpos_recover` and
    `starpos_journal_list` report it. No key, payment code, OAuth code or openid is ever in
    it."""

    _fields_ = [
        ("kind", ctypes.c_char * STARPOS_KIND_SIZE),
        ("trade_no", ctypes.c_char * STARPOS_TRADE_NO_SIZE),
        ("sel_order_no", ctypes.c_char * STARPOS_SEL_ORDER_NO_SIZE),
        ("log_no", ctypes.c_char * STARPOS_LOG_NO_SIZE),
        ("order_no", ctypes.c_char * STARPOS_ORDER_NO_SIZE),
        ("txn_time", ctypes.c_char * STARPOS_TXN_TIME_SIZE),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("status", ctypes.c_int),
        ("result", ctypes.c_char),
        ("settled", ctypes.c_bool),
        ("created_unix_ms", ctypes.c_uint64),
        ("error", ctypes.c_char * STARPOS_ERROR_SIZE),
        ("sys_time", ctypes.c_char * STARPOS_SYS_TIME_SIZE),
        ("not_found", ctypes.c_uint32),
        ("recoveries", ctypes.c_uint32),
        ("attention", ctypes.c_bool),
        ("pay_channel", ctypes.c_char * STARPOS_PAY_CHANNEL_SIZE),
        ("opr_id", ctypes.c_char * STARPOS_OPR_ID_SIZE),
    ]


#: Called once per journal entry by `starpos_recover` and `starpos_journal_list`, on the
#: calling thread, before the function returns. `entry` is valid only during the call.
starpos_journal_fn = ctypes.CFUNCTYPE(
    None,
    ctypes.POINTER(starpos_journal_entry),
    ctypes.c_void_p,
)


class starpos_summary_row(ctypes.Structure):
    """``struct starpos_summary_row``: One line of the closing summary
    (`starpos_journal_summary`): the sales of one kind on one channel that the journal holds."""

    _fields_ = [
        ("kind", ctypes.c_char * STARPOS_KIND_SIZE),
        ("pay_channel", ctypes.c_char * STARPOS_PAY_CHANNEL_SIZE),
        ("count", ctypes.c_uint32),
        ("paid_fen", ctypes.c_uint64),
        ("refunded_fen", ctypes.c_uint64),
        ("revoked_fen", ctypes.c_uint64),
        ("open", ctypes.c_uint32),
    ]


#: Called once per row by `starpos_journal_summary`, on the calling thread, before the
#: function returns. `row` is valid only during the call.
starpos_summary_fn = ctypes.CFUNCTYPE(
    None,
    ctypes.POINTER(starpos_summary_row),
    ctypes.c_void_p,
)


#: A C logging callback: `level` 1 error, 2 warning, 3 info, 4 debug; `message` is UTF-8,
#: valid only during the call; `userdata` is what was given to `starpos_set_logger`.
starpos_log_fn = ctypes.CFUNCTYPE(None, ctypes.c_int32, ctypes.c_char_p, ctypes.c_void_p)


#: Every struct of the header, by its C name.
STRUCTS: Dict[str, Any] = {
    "starpos_progress": starpos_progress,
    "starpos_config": starpos_config,
    "starpos_qry_request": starpos_qry_request,
    "starpos_qry_response": starpos_qry_response,
    "starpos_pay_request": starpos_pay_request,
    "starpos_pay_response": starpos_pay_response,
    "starpos_query_request": starpos_query_request,
    "starpos_query_response": starpos_query_response,
    "starpos_refund_request": starpos_refund_request,
    "starpos_refund_response": starpos_refund_response,
    "starpos_revoke_request": starpos_revoke_request,
    "starpos_revoke_response": starpos_revoke_response,
    "starpos_barcode_pay_request": starpos_barcode_pay_request,
    "starpos_barcode_pay_response": starpos_barcode_pay_response,
    "starpos_qr_pay_request": starpos_qr_pay_request,
    "starpos_qr_pay_response": starpos_qr_pay_response,
    "starpos_journal_entry": starpos_journal_entry,
    "starpos_summary_row": starpos_summary_row,
}

# --------------------------------------------------------------------------------------------
# Functions: name -> (restype, argtypes).

SIGNATURES: Dict[str, Tuple[Any, List[Any]]] = {
    # enum starpos_status starpos_qry(const struct starpos_config *config, const struct
    # starpos_qry_request *request, struct starpos_qry_response *response);
    "starpos_qry": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            ctypes.POINTER(starpos_qry_request),
            ctypes.POINTER(starpos_qry_response),
        ],
    ),
    # enum starpos_status starpos_pay(const struct starpos_config *config, const struct
    # starpos_pay_request *request, struct starpos_pay_response *response);
    "starpos_pay": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            ctypes.POINTER(starpos_pay_request),
            ctypes.POINTER(starpos_pay_response),
        ],
    ),
    # enum starpos_status starpos_query(const struct starpos_config *config, const struct
    # starpos_query_request *request, struct starpos_query_response *response);
    "starpos_query": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            ctypes.POINTER(starpos_query_request),
            ctypes.POINTER(starpos_query_response),
        ],
    ),
    # enum starpos_status starpos_refund(const struct starpos_config *config, const struct
    # starpos_refund_request *request, struct starpos_refund_response *response);
    "starpos_refund": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            ctypes.POINTER(starpos_refund_request),
            ctypes.POINTER(starpos_refund_response),
        ],
    ),
    # enum starpos_status starpos_revoke(const struct starpos_config *config, const struct
    # starpos_revoke_request *request, struct starpos_revoke_response *response);
    "starpos_revoke": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            ctypes.POINTER(starpos_revoke_request),
            ctypes.POINTER(starpos_revoke_response),
        ],
    ),
    # enum starpos_status starpos_wait(const struct starpos_config *config, const char
    # *qry_no, uint32_t interval_ms, uint32_t deadline_ms, struct starpos_query_response
    # *response);
    "starpos_wait": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            ctypes.c_char_p,
            ctypes.c_uint32,
            ctypes.c_uint32,
            ctypes.POINTER(starpos_query_response),
        ],
    ),
    # enum starpos_status starpos_call(const struct starpos_config *config, const char
    # *endpoint, const char *fields_json, char *answer_json, size_t answer_len);
    "starpos_call": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_size_t,
        ],
    ),
    # enum starpos_status starpos_barcode_pay(const struct starpos_config *config, const
    # struct starpos_barcode_pay_request *request, struct starpos_barcode_pay_response
    # *response);
    "starpos_barcode_pay": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            ctypes.POINTER(starpos_barcode_pay_request),
            ctypes.POINTER(starpos_barcode_pay_response),
        ],
    ),
    # enum starpos_status starpos_qr_pay(const struct starpos_config *config, const struct
    # starpos_qr_pay_request *request, struct starpos_qr_pay_response *response);
    "starpos_qr_pay": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            ctypes.POINTER(starpos_qr_pay_request),
            ctypes.POINTER(starpos_qr_pay_response),
        ],
    ),
    # enum starpos_status starpos_barcode_sale(const struct starpos_config *config, const
    # struct starpos_barcode_pay_request *request, uint32_t interval_ms, uint32_t
    # deadline_ms, struct starpos_query_response *out);
    "starpos_barcode_sale": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            ctypes.POINTER(starpos_barcode_pay_request),
            ctypes.c_uint32,
            ctypes.c_uint32,
            ctypes.POINTER(starpos_query_response),
        ],
    ),
    # struct starpos_cancel *starpos_cancel_new(void);
    "starpos_cancel_new": (ctypes.c_void_p, []),
    # void starpos_cancel_request(struct starpos_cancel *cancel);
    "starpos_cancel_request": (None, [ctypes.c_void_p]),
    # void starpos_cancel_free(struct starpos_cancel *cancel);
    "starpos_cancel_free": (None, [ctypes.c_void_p]),
    # enum starpos_status starpos_recover(const struct starpos_config *config, uint32_t
    # deadline_ms, starpos_journal_fn callback, void *userdata);
    "starpos_recover": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            ctypes.c_uint32,
            starpos_journal_fn,
            ctypes.c_void_p,
        ],
    ),
    # enum starpos_status starpos_journal_list(const struct starpos_config *config,
    # starpos_journal_fn callback, void *userdata);
    "starpos_journal_list": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            starpos_journal_fn,
            ctypes.c_void_p,
        ],
    ),
    # enum starpos_status starpos_journal_summary(const struct starpos_config *config,
    # starpos_summary_fn callback, void *userdata);
    "starpos_journal_summary": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            starpos_summary_fn,
            ctypes.c_void_p,
        ],
    ),
    # enum starpos_status starpos_call_sized(const struct starpos_config *config, const
    # char *endpoint, const char *fields_json, char *answer_json, size_t answer_len,
    # size_t *needed);
    "starpos_call_sized": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_config),
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_size_t),
        ],
    ),
    # enum starpos_status starpos_wechat_oauth_url_sized(const char *app_id, const char
    # *redirect_uri, const char *state, char *out, size_t out_len, size_t *needed);
    "starpos_wechat_oauth_url_sized": (
        ctypes.c_int,
        [
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_size_t),
        ],
    ),
    # enum starpos_status starpos_wechat_jsapi_params_sized(const struct
    # starpos_pay_response *pay, char *out, size_t out_len, size_t *needed);
    "starpos_wechat_jsapi_params_sized": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_pay_response),
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_size_t),
        ],
    ),
    # const char *starpos_status_str(int status);
    "starpos_status_str": (ctypes.c_char_p, [ctypes.c_int]),
    # bool starpos_status_in_doubt(int status);
    "starpos_status_in_doubt": (ctypes.c_bool, [ctypes.c_int]),
    # const char *starpos_version(void);
    "starpos_version": (ctypes.c_char_p, []),
    # const char *starpos_last_error(void);
    "starpos_last_error": (ctypes.c_char_p, []),
    # enum starpos_status starpos_sign_json(const char *json_object, const char *key, char
    # *signature);
    "starpos_sign_json": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]),
    # enum starpos_status starpos_verify_json(const char *json_object, const char *key);
    "starpos_verify_json": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_char_p]),
    # enum starpos_status starpos_wechat_oauth_url(const char *app_id, const char
    # *redirect_uri, const char *state, char *out, size_t out_len);
    "starpos_wechat_oauth_url": (
        ctypes.c_int,
        [
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_size_t,
        ],
    ),
    # enum starpos_status starpos_wechat_jsapi_params(const struct starpos_pay_response
    # *pay, char *out, size_t out_len);
    "starpos_wechat_jsapi_params": (
        ctypes.c_int,
        [
            ctypes.POINTER(starpos_pay_response),
            ctypes.c_char_p,
            ctypes.c_size_t,
        ],
    ),
    # void starpos_set_logger(starpos_log_fn callback, void *userdata);
    "starpos_set_logger": (None, [starpos_log_fn, ctypes.c_void_p]),
}
