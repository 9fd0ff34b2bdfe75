"""Python bindings for libstarpos, the StarPOS gateway client (WeChat official-account pay and
the counter sales).

A thin ``ctypes`` layer over the C ABI in ``include/starpos.h``, with no dependencies beyond
the standard library (``pip install ./python`` from the repository)::

    import starpos

    client = starpos.Client("http://127.0.0.1:8080/adpweb/ehpspos3/",
                            org_no="489", merc_id="800290000007906",
                            trm_no="XB006439", key="...")
    account = client.qry()
    link = starpos.oauth_url(account.app_id, "https://shop.example/cb", state="T1")
    paid = client.pay(code="<code from the redirect>", amount=100, total_amount=100)
    page = starpos.jsapi_params(paid)            # for getBrandWCPayRequest
    final = client.wait(paid.log_no, interval_ms=1000)
    if final.result == "S":
        client.refund(final.order_no)             # the channel order number

    # At the counter: the terminal scans the payer's payment code.
    sale = client.barcode_sale("134567890123456789", amount=100)

Every call returns a plain object (a dataclass with snake_case attributes; amounts are ``int``
fen; ``result`` is a one-character ``str`` or ``None``) or raises :class:`StarposError` (one
subclass per status). When ``error.in_doubt`` is true after a pay or refund, the money may have
moved: query the order (``error.trade_no`` when the library made one), never send the pay
again.

Arguments are checked before anything is sent: a wrong type, or text that C would read
differently from what Python holds (a NUL character, a lone surrogate, a character that GBK
cannot write for a client with :data:`FLAG_GBK_STRINGS`), raises :class:`InvalidArgumentError`
naming the argument (:class:`ArgumentTypeError`, also a ``TypeError``, for the wrong types).

The library is found through, in order: the environment variable ``STARPOS_LIBRARY`` (a path),
``libstarpos.so`` beside this file (inside the package), ``ctypes.util.find_library("starpos")``,
then the system loader (``libstarpos.so`` on its search path).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import enum
import json
import os
import re
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Type, TypeVar, Union

#: This package's version: the libstarpos version it mirrors (python/pyproject.toml says the
#: same; a unit test compares both with the loaded library's).
__version__ = "0.3.0"

__all__ = [
    "Status",
    "StarposError",
    "InvalidArgumentError",
    "ConnectError",
    "TimeoutError_",
    "HttpError",
    "ProtocolError",
    "SignatureError",
    "GatewayError",
    "InternalError",
    "JournalError",
    "ArgumentTypeError",
    "QryResult",
    "PayResult",
    "QueryResult",
    "RefundResult",
    "BarcodePayResult",
    "QrPayResult",
    "JournalEntry",
    "Client",
    "oauth_url",
    "jsapi_params",
    "sign_json",
    "verify_json",
    "version",
    "status_str",
    "status_in_doubt",
    "last_error",
    "set_logger",
    "library_path",
    "FLAG_NO_KEEPALIVE",
    "FLAG_GBK_BODY",
    "FLAG_GBK_STRINGS",
]

# --------------------------------------------------------------------------------------------
# Sizes, exactly as the #defines of include/starpos.h.

STARPOS_FLAG_NO_KEEPALIVE = 1
STARPOS_FLAG_GBK_STRINGS = 2
STARPOS_FLAG_GBK_BODY = 4
STARPOS_RETURN_CODE_SIZE = 24
STARPOS_MESSAGE_SIZE = 320
STARPOS_SYS_TIME_SIZE = 32
STARPOS_MERC_ID_SIZE = 32
STARPOS_APP_ID_SIZE = 72
STARPOS_APP_ID_KEY_SIZE = 264
STARPOS_ATTACH_SIZE = 776
STARPOS_LOG_NO_SIZE = 48
STARPOS_ORDER_NO_SIZE = 136
STARPOS_TRADE_NO_SIZE = 136
STARPOS_PREPAY_ID_SIZE = 136
STARPOS_API_SHORT_SIZE = 72
STARPOS_API_PACKAGE_SIZE = 264
STARPOS_API_PAYSIGN_SIZE = 136
STARPOS_SUBJECT_SIZE = 776
STARPOS_SEL_ORDER_NO_SIZE = 104
STARPOS_GOODS_TAG_SIZE = 776
STARPOS_PAY_CHANNEL_SIZE = 24
STARPOS_PAY_CODE_SIZE = 520
STARPOS_TXN_TIME_SIZE = 16
STARPOS_KIND_SIZE = 16
STARPOS_ERROR_SIZE = 512
STARPOS_OPEN_ID_SIZE = 264
STARPOS_ADD_FIELD_SIZE = 392

#: ``starpos_sign_json`` writes 32 hex characters and a NUL.
SIGNATURE_SIZE = 33

#: Flag for :class:`Client`: a new connection for every call instead of keep-alive.
FLAG_NO_KEEPALIVE = STARPOS_FLAG_NO_KEEPALIVE
#: Flag for :class:`Client`: send request bodies in GBK (the gateway's documented encoding).
FLAG_GBK_BODY = STARPOS_FLAG_GBK_BODY
#: Flag for :class:`Client`: the strings cross the C boundary in GBK instead of UTF-8 (needs a
#: library built with the ``gbk`` feature). The module encodes and decodes for you; text that
#: GBK cannot write raises :class:`InvalidArgumentError` before anything is sent.
FLAG_GBK_STRINGS = STARPOS_FLAG_GBK_STRINGS


class Status(enum.IntEnum):
    """The outcome of every call (``enum starpos_status``); 0 is success."""

    OK = 0
    #: Input rejected before anything was sent; the error names the field.
    INVALID_ARGUMENT = 1
    #: Gateway not reached; nothing was sent. Safe to retry.
    CONNECT = 2
    #: Sent, no full answer in time: outcome unknown (in doubt).
    TIMEOUT = 3
    #: HTTP status other than 200 (in doubt).
    HTTP = 4
    #: Answer unparseable, incomplete or too large, or the connection broke (in doubt).
    PROTOCOL = 5
    #: Answer's signValue missing or wrong: nothing in it is trusted (in doubt).
    SIGNATURE = 6
    #: returnCode != "000000": the gateway refused; see ``return_code`` and ``message``.
    GATEWAY = 7
    #: A bug was caught inside the library (in doubt).
    INTERNAL = 8
    #: The journal could not be read or written; nothing was sent (not in doubt).
    JOURNAL = 9


# --------------------------------------------------------------------------------------------
# The C structs, field for field in the header's order.

_char_p = ctypes.c_char_p


class starpos_config(ctypes.Structure):
    """``struct starpos_config``: where and as whom to call the gateway."""

    _fields_ = [
        ("base_url", _char_p),
        ("org_no", _char_p),
        ("merc_id", _char_p),
        ("trm_no", _char_p),
        ("key", _char_p),
        ("connect_timeout_ms", ctypes.c_uint32),
        ("timeout_ms", ctypes.c_uint32),
        ("flags", ctypes.c_uint32),
        ("ca_file", _char_p),
        ("trm_typ", _char_p),
        ("opr_id", _char_p),
        ("latitude", _char_p),
        ("longitude", _char_p),
        ("journal_path", _char_p),
        ("journal_retention_days", ctypes.c_uint32),
    ]


class starpos_qry_request(ctypes.Structure):
    """``struct starpos_qry_request``: ``pubSigQry`` input."""

    _fields_ = [
        ("txn_time", _char_p),
        ("attach", _char_p),
        ("version", _char_p),
    ]


class starpos_qry_response(ctypes.Structure):
    """``struct starpos_qry_response``: ``pubSigQry`` output."""

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
    """``struct starpos_pay_request``: ``pubSigPay`` input."""

    _fields_ = [
        ("txn_time", _char_p),
        ("version", _char_p),
        ("code", _char_p),
        ("openid", _char_p),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("subject", _char_p),
        ("sel_order_no", _char_p),
        ("goods_tag", _char_p),
        ("attach", _char_p),
    ]


class starpos_pay_response(ctypes.Structure):
    """``struct starpos_pay_response``: ``pubSigPay`` output."""

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
    """``struct starpos_query_request``: order query (``sdkQryBarcodePay``) input."""

    _fields_ = [
        ("txn_time", _char_p),
        ("version", _char_p),
        ("trade_no", _char_p),
        ("qry_no", _char_p),
    ]


class starpos_query_response(ctypes.Structure):
    """``struct starpos_query_response``: order query output."""

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
    """``struct starpos_refund_request``: refund (``sdkRefundBarcodePay``) input."""

    _fields_ = [
        ("txn_time", _char_p),
        ("version", _char_p),
        ("trade_no", _char_p),
        ("order_no", _char_p),
        ("txn_amt", ctypes.c_uint64),
    ]


class starpos_refund_response(ctypes.Structure):
    """``struct starpos_refund_response``: refund output."""

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


class starpos_barcode_pay_request(ctypes.Structure):
    """``struct starpos_barcode_pay_request``: barcode pay (``sdkBarcodePay``) input."""

    _fields_ = [
        ("txn_time", _char_p),
        ("version", _char_p),
        ("trade_no", _char_p),
        ("auth_code", _char_p),
        ("pay_channel", _char_p),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("subject", _char_p),
        ("sel_order_no", _char_p),
        ("goods_tag", _char_p),
        ("attach", _char_p),
        ("add_field", _char_p),
    ]


class starpos_barcode_pay_response(ctypes.Structure):
    """``struct starpos_barcode_pay_response``: barcode pay output."""

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
    """``struct starpos_qr_pay_request``: QR pay (``sdkBarcodePosPay``) input."""

    _fields_ = [
        ("txn_time", _char_p),
        ("version", _char_p),
        ("trade_no", _char_p),
        ("pay_channel", _char_p),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("subject", _char_p),
        ("sel_order_no", _char_p),
        ("goods_tag", _char_p),
        ("attach", _char_p),
        ("add_field", _char_p),
    ]


class starpos_qr_pay_response(ctypes.Structure):
    """``struct starpos_qr_pay_response``: QR pay output (``pay_code`` is the QR text)."""

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
    """``struct starpos_journal_entry``: one sale of the journal."""

    _fields_ = [
        ("kind", ctypes.c_char * STARPOS_KIND_SIZE),
        ("trade_no", ctypes.c_char * STARPOS_TRADE_NO_SIZE),
        ("sel_order_no", ctypes.c_char * STARPOS_SEL_ORDER_NO_SIZE),
        ("log_no", ctypes.c_char * STARPOS_LOG_NO_SIZE),
        ("order_no", ctypes.c_char * STARPOS_ORDER_NO_SIZE),
        ("txn_time", ctypes.c_char * STARPOS_TXN_TIME_SIZE),
        ("amount", ctypes.c_uint64),
        ("total_amount", ctypes.c_uint64),
        ("status", ctypes.c_int),  # enum starpos_status
        ("result", ctypes.c_char),
        ("settled", ctypes.c_bool),
        ("created_unix_ms", ctypes.c_uint64),
        ("error", ctypes.c_char * STARPOS_ERROR_SIZE),
        ("sys_time", ctypes.c_char * STARPOS_SYS_TIME_SIZE),
        ("not_found", ctypes.c_uint32),
        ("recoveries", ctypes.c_uint32),
        ("attention", ctypes.c_bool),
    ]


#: Every struct of the header, by its C name.
STRUCTS = {
    cls.__name__: cls
    for cls in (
        starpos_config,
        starpos_qry_request,
        starpos_qry_response,
        starpos_pay_request,
        starpos_pay_response,
        starpos_query_request,
        starpos_query_response,
        starpos_refund_request,
        starpos_refund_response,
        starpos_barcode_pay_request,
        starpos_barcode_pay_response,
        starpos_qr_pay_request,
        starpos_qr_pay_response,
        starpos_journal_entry,
    )
}

# --------------------------------------------------------------------------------------------
# Loading the library and declaring every function.

_HERE = os.path.dirname(os.path.abspath(__file__))


def _candidates() -> List[str]:
    """The paths (or loader names) to try for libstarpos, in the order of the module
    documentation. ``STARPOS_LIBRARY``, when set, is the only one."""
    explicit = os.environ.get("STARPOS_LIBRARY")
    if explicit:
        if not os.path.exists(explicit):
            raise OSError(f"STARPOS_LIBRARY={explicit!r}: no such file")
        return [explicit]
    beside = os.path.join(_HERE, "libstarpos.so")
    if os.path.exists(beside):
        return [beside]
    found = ctypes.util.find_library("starpos")
    # find_library answers the SONAME (libstarpos.so.0), which exists only where the library
    # was installed with its links (make install): the plain name is tried after it.
    return [found, "libstarpos.so"] if found and found != "libstarpos.so" else ["libstarpos.so"]


def _load() -> ctypes.CDLL:
    """Loads the first candidate that loads; the error lists what was tried."""
    failures = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            failures.append(f"{path}: {e}")
    raise OSError(
        f"cannot load libstarpos ({'; '.join(failures)}). Set STARPOS_LIBRARY to the path of "
        "libstarpos.so (cargo build puts it in target/<profile>/), or install it (make install)"
    )


_lib = _load()

#: The library actually loaded.
library_path: str = _lib._name

_P = ctypes.POINTER
_c_int = ctypes.c_int

#: ``starpos_log_fn``: ``void (*)(int32_t level, const char *message, void *userdata)``.
starpos_log_fn = ctypes.CFUNCTYPE(None, ctypes.c_int32, ctypes.c_char_p, ctypes.c_void_p)

#: ``starpos_journal_fn``: ``void (*)(const starpos_journal_entry *entry, void *userdata)``.
starpos_journal_fn = ctypes.CFUNCTYPE(None, _P(starpos_journal_entry), ctypes.c_void_p)

#: name -> (restype, argtypes), for every function of include/starpos.h.
_SIGNATURES = {
    "starpos_qry": (
        _c_int,
        [_P(starpos_config), _P(starpos_qry_request), _P(starpos_qry_response)],
    ),
    "starpos_pay": (
        _c_int,
        [_P(starpos_config), _P(starpos_pay_request), _P(starpos_pay_response)],
    ),
    "starpos_query": (
        _c_int,
        [_P(starpos_config), _P(starpos_query_request), _P(starpos_query_response)],
    ),
    "starpos_refund": (
        _c_int,
        [_P(starpos_config), _P(starpos_refund_request), _P(starpos_refund_response)],
    ),
    "starpos_wait": (
        _c_int,
        [_P(starpos_config), _char_p, ctypes.c_uint32, ctypes.c_uint32, _P(starpos_query_response)],
    ),
    "starpos_call": (
        _c_int,
        [_P(starpos_config), _char_p, _char_p, ctypes.c_char_p, ctypes.c_size_t],
    ),
    "starpos_status_str": (_char_p, [_c_int]),
    "starpos_status_in_doubt": (ctypes.c_bool, [_c_int]),
    "starpos_version": (_char_p, []),
    "starpos_last_error": (_char_p, []),
    "starpos_sign_json": (_c_int, [_char_p, _char_p, ctypes.c_char_p]),
    "starpos_verify_json": (_c_int, [_char_p, _char_p]),
    "starpos_wechat_oauth_url": (
        _c_int,
        [_char_p, _char_p, _char_p, ctypes.c_char_p, ctypes.c_size_t],
    ),
    "starpos_wechat_jsapi_params": (
        _c_int,
        [_P(starpos_pay_response), ctypes.c_char_p, ctypes.c_size_t],
    ),
    "starpos_set_logger": (None, [starpos_log_fn, ctypes.c_void_p]),
    "starpos_barcode_pay": (
        _c_int,
        [_P(starpos_config), _P(starpos_barcode_pay_request), _P(starpos_barcode_pay_response)],
    ),
    "starpos_qr_pay": (
        _c_int,
        [_P(starpos_config), _P(starpos_qr_pay_request), _P(starpos_qr_pay_response)],
    ),
    "starpos_barcode_sale": (
        _c_int,
        [
            _P(starpos_config),
            _P(starpos_barcode_pay_request),
            ctypes.c_uint32,
            ctypes.c_uint32,
            _P(starpos_query_response),
        ],
    ),
    "starpos_recover": (
        _c_int,
        [_P(starpos_config), ctypes.c_uint32, starpos_journal_fn, ctypes.c_void_p],
    ),
    "starpos_journal_list": (
        _c_int,
        [_P(starpos_config), starpos_journal_fn, ctypes.c_void_p],
    ),
    "starpos_call_sized": (
        _c_int,
        [_P(starpos_config), _char_p, _char_p, ctypes.c_char_p, ctypes.c_size_t,
         _P(ctypes.c_size_t)],
    ),
    "starpos_wechat_oauth_url_sized": (
        _c_int,
        [_char_p, _char_p, _char_p, ctypes.c_char_p, ctypes.c_size_t, _P(ctypes.c_size_t)],
    ),
    "starpos_wechat_jsapi_params_sized": (
        _c_int,
        [_P(starpos_pay_response), ctypes.c_char_p, ctypes.c_size_t, _P(ctypes.c_size_t)],
    ),
}

#: Functions of this module's header that the loaded library does not export (an older
#: ``libstarpos.so``): the methods that need them raise ``NotImplementedError`` saying so.
MISSING_FUNCTIONS = set()

for _name, (_restype, _argtypes) in _SIGNATURES.items():
    try:
        _function = getattr(_lib, _name)
    except AttributeError:
        MISSING_FUNCTIONS.add(_name)
        continue
    _function.restype = _restype
    _function.argtypes = _argtypes


def _c_function(name: str) -> Any:
    """The library's function ``name``, or ``NotImplementedError`` when the loaded library is
    older than this module and lacks it."""
    if name in MISSING_FUNCTIONS:
        raise NotImplementedError(
            f"{library_path} has no {name}: it is older than this Python module; load a newer "
            "libstarpos (STARPOS_LIBRARY)"
        )
    return getattr(_lib, name)

#: The loaded ``CDLL``, with ``restype``/``argtypes`` set on every function.
lib = _lib

# --------------------------------------------------------------------------------------------
# Conversions.


#: The charset of the strings crossing the C boundary: UTF-8, or GBK for a client with
#: :data:`FLAG_GBK_STRINGS`.
_UTF8 = "utf-8"
_GBK = "gbk"


def _invalid(field: str, rule: str) -> "InvalidArgumentError":
    """INVALID_ARGUMENT naming ``field`` and the rule it broke."""
    return InvalidArgumentError(Status.INVALID_ARGUMENT, f"{field}: {rule}")


def _wrong_type(field: str, wanted: str, value: Any) -> "ArgumentTypeError":
    """INVALID_ARGUMENT (also a ``TypeError``) for an argument of the wrong type."""
    return ArgumentTypeError(
        Status.INVALID_ARGUMENT, f"{field}: must be {wanted}, got {type(value).__name__}"
    )


def _enc(
    value: Any, field: str, charset: str = _UTF8, *, required: bool = False
) -> Optional[bytes]:
    """A string going in, as the bytes C will read: None for None (unless ``required``).

    Raises :class:`InvalidArgumentError` naming ``field`` for anything C would read
    differently from what Python holds: a NUL (C stops there), a lone surrogate (not text), a
    character the charset cannot write, bytes that are not valid in the charset.
    """
    if value is None:
        if required:
            raise _wrong_type(field, "a str (it is required)", value)
        return None
    if isinstance(value, str):
        if "\x00" in value:
            raise _invalid(field, "contains a NUL character")
        try:
            return value.encode(charset)
        except UnicodeEncodeError as e:
            bad = value[e.start]
            if "\ud800" <= bad <= "\udfff":
                raise _invalid(
                    field, f"contains a lone surrogate (U+{ord(bad):04X}) at index {e.start}"
                ) from None
            raise _invalid(
                field,
                f"U+{ord(bad):04X} at index {e.start} cannot be written in {charset.upper()} "
                "(the client has FLAG_GBK_STRINGS)",
            ) from None
    if isinstance(value, (bytes, bytearray)):
        data = bytes(value)
        if b"\x00" in data:
            raise _invalid(field, "contains a NUL byte")
        try:
            data.decode(charset)
        except UnicodeDecodeError as e:
            raise _invalid(field, f"byte {e.start} is not valid {charset.upper()}") from None
        return data
    raise _wrong_type(field, "a str", value)


def _dec(value: bytes, charset: str = _UTF8) -> str:
    """Bytes coming out: text in the client's charset (errors are replaced)."""
    return value.decode(charset, errors="replace")


def _result(value: bytes) -> Optional[str]:
    """A ``result`` char: a one-character str, None when 0."""
    return _dec(value) if value and value != b"\x00" else None


def _uint(value: Any, field: str, bits: int, what: str) -> int:
    """An unsigned integer going in: an ``int`` (not a bool) 0..2**bits-1."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong_type(field, f"an int {what}", value)
    if value < 0:
        raise _invalid(field, f"must not be negative, got {value}")
    if value >= 1 << bits:
        raise _invalid(field, f"must be at most {(1 << bits) - 1}, got {value}")
    return value


def _amount(value: Any, field: str) -> int:
    """An amount in fen going in: a non-negative int below 2**64."""
    return _uint(value, field, 64, "number of fen")


def _ms(value: Any, field: str) -> int:
    """Milliseconds going in: an int 0..2**32-1."""
    return _uint(value, field, 32, "number of milliseconds")


def _flags(value: Any) -> int:
    """``flags`` going in: an int 0..2**32-1 (the library rejects unknown bits)."""
    return _uint(value, "flags", 32, "of FLAG_* bits")


def _to_json_text(
    obj_or_str: Union[str, bytes, Mapping[str, Any]], field: str, charset: str = _UTF8
) -> bytes:
    """A JSON object given as text, bytes or a mapping, as the bytes C will read."""
    if isinstance(obj_or_str, (str, bytes, bytearray)):
        data = _enc(obj_or_str, field, charset)
        assert data is not None
        return data
    if not isinstance(obj_or_str, Mapping):
        raise _wrong_type(field, "a dict or JSON object text", obj_or_str)
    try:
        text = json.dumps(obj_or_str, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError) as e:
        raise _invalid(field, f"cannot be written as JSON: {e}") from None
    data = _enc(text, field, charset)
    assert data is not None
    return data


# --------------------------------------------------------------------------------------------
# Errors.


class StarposError(Exception):
    """A call that did not succeed.

    Attributes:
        status: the status code (an ``int``; a :class:`Status` when known).
        status_name: its name (``"GATEWAY"``, ``"TIMEOUT"``, ...), as ``starpos_status_str``.
        error: what went wrong, in words (names the field for INVALID_ARGUMENT).
        in_doubt: True when a pay or refund may have taken effect all the same: query the
            order, never resend.
        return_code: the gateway's ``returnCode`` for GATEWAY, and for a wait's TIMEOUT when
            no answer but some refusals came (else ``None``).
        message: the gateway's ``message`` (decoded), when ``return_code`` is set.
        response: the partial result where one exists: the refusal's fields on GATEWAY,
            the last answer of :meth:`Client.wait` on TIMEOUT, ``trade_no`` of a failed query
            or refund; else ``None``.
        trade_no: the ``tradeNo`` the request was sent with when the library filled one in
            (query, refund, barcode and QR sales): the handle to query after an in-doubt
            failure; else ``None``.
    """

    def __init__(
        self,
        status: int,
        error: str,
        *,
        return_code: Optional[str] = None,
        message: Optional[str] = None,
        response: Any = None,
        trade_no: Optional[str] = None,
    ) -> None:
        try:
            status = Status(status)
        except ValueError:
            pass
        self.status = status
        self.status_name = status_str(status)
        self.error = error
        self.in_doubt = status_in_doubt(status)
        self.return_code = return_code
        self.message = message
        self.response = response
        self.trade_no = trade_no
        super().__init__(f"{self.status_name}: {error}")


class InvalidArgumentError(StarposError):
    """INVALID_ARGUMENT: input rejected before anything was sent; ``error`` names the field."""


class ArgumentTypeError(InvalidArgumentError, TypeError):
    """INVALID_ARGUMENT for an argument of the wrong type (``None`` where one is required, a
    ``bool`` where an ``int`` is, a non-callable logger): both an :class:`InvalidArgumentError`
    and a ``TypeError``, so either ``except`` catches it."""


class ConnectError(StarposError):
    """CONNECT: the gateway was not reached; nothing was sent. Safe to retry."""


class TimeoutError_(StarposError):
    """TIMEOUT: sent, no full answer in time (or :meth:`Client.wait`'s deadline passed).

    In doubt: query, never resend. For ``wait``, ``response`` is the last answer if any came.
    """


class HttpError(StarposError):
    """HTTP: an HTTP status other than 200 (in doubt)."""


class ProtocolError(StarposError):
    """PROTOCOL: answer unusable or the connection broke after sending (in doubt)."""


class SignatureError(StarposError):
    """SIGNATURE: the answer's signValue is missing or wrong; nothing in it is trusted."""


class GatewayError(StarposError):
    """GATEWAY: the gateway refused (``return_code`` != "000000"); see ``message``."""


class InternalError(StarposError):
    """INTERNAL: a bug was caught inside the library (in doubt)."""


class JournalError(StarposError):
    """JOURNAL: the journal could not be read or written; nothing was sent (not in doubt)."""


_ERROR_CLASSES: Dict[int, Type[StarposError]] = {
    Status.INVALID_ARGUMENT: InvalidArgumentError,
    Status.CONNECT: ConnectError,
    Status.TIMEOUT: TimeoutError_,
    Status.HTTP: HttpError,
    Status.PROTOCOL: ProtocolError,
    Status.SIGNATURE: SignatureError,
    Status.GATEWAY: GatewayError,
    Status.INTERNAL: InternalError,
    Status.JOURNAL: JournalError,
}


def _error(status: int, error: str, **kwargs: Any) -> StarposError:
    """The :class:`StarposError` subclass for ``status``."""
    cls = _ERROR_CLASSES.get(int(status), StarposError)
    return cls(status, error, **kwargs)


# --------------------------------------------------------------------------------------------
# Results.


@dataclasses.dataclass
class QryResult:
    """What ``pubSigQry`` answered: the merchant's WeChat official account."""

    return_code: str
    message: str
    sys_time: str
    merc_id: str
    #: The official account, for :func:`oauth_url`.
    app_id: str
    #: The official account's secret. Never log it (left out of ``repr``).
    app_id_key: str = dataclasses.field(repr=False)
    attach: str
    verified: bool


@dataclasses.dataclass
class PayResult:
    """What ``pubSigPay`` answered. ``result`` is 'A' or 'Z' by design: follow with
    :meth:`Client.wait` on ``log_no``."""

    return_code: str
    message: str
    sys_time: str
    merc_id: str
    log_no: str
    result: Optional[str]
    order_no: str
    amount: int
    total_amount: int
    prepay_id: str
    api_appid: str
    api_timestamp: str
    api_noncestr: str
    api_package: str
    api_signtype: str
    api_paysign: str
    subject: str
    sel_order_no: str
    goods_tag: str
    attach: str
    verified: bool


@dataclasses.dataclass
class QueryResult:
    """What the order query answered. ``result``: 'S' paid, 'F' failed, 'D' revoked (final);
    'A', 'Z' (query again). ``order_no`` is the channel order number a refund needs."""

    return_code: str
    message: str
    sys_time: str
    merc_id: str
    #: The ``tradeNo`` this query was sent with: after :meth:`Client.wait` that of its last
    #: query, not the order's (the order is the ``qry_no`` given); after
    #: :meth:`Client.barcode_sale` the sale's own ``tradeNo``.
    trade_no: str
    log_no: str
    result: Optional[str]
    pay_channel: str
    order_no: str
    amount: int
    total_amount: int
    #: Fen already refunded on the order (answered to version "V1.0.1"; else 0).
    ref_amt: int
    subject: str
    sel_order_no: str
    goods_tag: str
    attach: str
    verified: bool
    #: ``addField``, the common answer parameter (<= 256 GBK bytes); "" when not answered.
    add_field: str = ""


@dataclasses.dataclass
class RefundResult:
    """What the refund answered. ``result``: 'S' refunded, 'F' failed, 'Z' unknown."""

    return_code: str
    message: str
    sys_time: str
    merc_id: str
    #: The ``tradeNo`` the refund was sent with: after an in-doubt failure, query it.
    trade_no: str
    log_no: str
    result: Optional[str]
    txn_amt: int
    amount: int
    total_amount: int
    subject: str
    sel_order_no: str
    goods_tag: str
    attach: str
    verified: bool
    #: ``addField``, the common answer parameter (<= 256 GBK bytes); "" when not answered.
    add_field: str = ""


@dataclasses.dataclass
class BarcodePayResult:
    """What the barcode pay (``sdkBarcodePay``) answered. ``result``: 'S' paid, 'F' failed
    (final); 'A' the payer is entering a password, 'Z' unknown: :meth:`Client.wait` on
    ``trade_no`` until final, never pay again."""

    return_code: str
    message: str
    sys_time: str
    merc_id: str
    #: The sale's ``tradeNo`` (generated when none was given): query it when in doubt.
    trade_no: str
    log_no: str
    result: Optional[str]
    pay_channel: str
    #: The channel's order number (a refund needs it).
    order_no: str
    amount: int
    total_amount: int
    subject: str
    sel_order_no: str
    goods_tag: str
    attach: str
    verified: bool
    #: ``addField``, the common answer parameter (<= 256 GBK bytes); "" when not answered.
    add_field: str = ""
    #: ``openId``: the payer's openid in WeChat, when the gateway answered one ("" for other
    #: channels). A secret, as ``app_id_key``: never log it (left out of ``repr``).
    open_id: str = dataclasses.field(default="", repr=False)


@dataclasses.dataclass
class QrPayResult:
    """What the QR pay (``sdkBarcodePosPay``) answered. ``result`` 'S' means the QR order was
    made, NOT that it is paid: show ``pay_code`` as a QR code, then :meth:`Client.wait` on
    ``trade_no`` until final. 'F' = no order; 'Z' = unknown: query."""

    return_code: str
    message: str
    sys_time: str
    merc_id: str
    #: The sale's ``tradeNo``: query it.
    trade_no: str
    log_no: str
    result: Optional[str]
    pay_channel: str
    #: The text to render as the QR code (valid for 15 minutes).
    pay_code: str
    order_no: str
    amount: int
    total_amount: int
    subject: str
    sel_order_no: str
    goods_tag: str
    attach: str
    verified: bool
    #: ``addField``, the common answer parameter (<= 256 GBK bytes); "" when not answered.
    add_field: str = ""


@dataclasses.dataclass
class JournalEntry:
    """One sale of the journal (:meth:`Client.journal`, :meth:`Client.recover`). Holds no key,
    payment code, OAuth code or openid."""

    #: "pay", "barcode_pay", "qr_pay" or "refund".
    kind: str
    #: The sale's ``tradeNo`` (empty for "pay").
    trade_no: str
    sel_order_no: str
    #: The gateway's ``logNo``, once an answer told it.
    log_no: str
    #: The channel's ``orderNo``, once an answer told it (for "refund": the order refunded).
    order_no: str
    txn_time: str
    #: Fen paid (refund: fen refunded, 0 = all that remained).
    amount: int
    total_amount: int
    #: OK = the final state is known (``result``); an in-doubt status = still unknown
    #: (``error`` says why); another status = refused, no money moved (GATEWAY from recovery:
    #: proven never arrived, see ``not_found``).
    status: Union[Status, int]
    #: 'S', 'F', 'D' when final; else None or the last 'A'/'Z' (a QR order made but
    #: not yet paid is None).
    result: Optional[str]
    #: True when nothing more will be learned or done for this sale.
    settled: bool
    #: When the sale was recorded, milliseconds since 1970-01-01 UTC.
    created_unix_ms: int
    #: Why the sale is not final, or what recovery found.
    error: str
    #: The gateway's ``sysTime`` of the last signed answer about the sale (its clock, right
    #: even when the terminal's is not); empty until one.
    sys_time: str = ""
    #: While the sale has had no answer: signed, bound answers that said the gateway does not
    #: know it (the evidence for "never arrived": 3 over ten minutes of the gateway's clock).
    not_found: int = 0
    #: Recovery passes that ended with the sale still open.
    recoveries: int = 0
    #: True when a person should look: still open after 3 recovery passes.
    attention: bool = False

    @property
    def in_doubt(self) -> bool:
        """True when whether money moved is still unknown (``status`` is an in-doubt one)."""
        return status_in_doubt(int(self.status))


#: A result dataclass.
_R = TypeVar("_R")


def _from_struct(cls: Type[_R], struct: ctypes.Structure, charset: str = _UTF8) -> _R:
    """Builds the dataclass ``cls`` from the C struct's fields of the same names."""
    values: Dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        raw = getattr(struct, f.name)
        if f.name == "result":
            values[f.name] = _result(raw)
        elif f.name == "status":
            try:
                values[f.name] = Status(raw)
            except ValueError:
                values[f.name] = int(raw)
        elif isinstance(raw, bytes):
            values[f.name] = _dec(raw, charset)
        elif isinstance(raw, bool):
            values[f.name] = raw
        else:
            values[f.name] = int(raw)
    return cls(**values)


def _refusal_fields(struct: ctypes.Structure, charset: str) -> Dict[str, Any]:
    """The refusal's fields that a failed response struct holds."""
    return {
        "return_code": _dec(struct.return_code, charset) or None,
        "message": _dec(struct.message, charset) or None,
    }


def _check(
    status: int,
    struct: ctypes.Structure,
    cls: Type[_R],
    charset: str = _UTF8,
    partial: bool = False,
) -> _R:
    """The result object on OK; else raises the error the struct describes.

    ``partial``: the struct holds a usable (non-final) answer even on failure (wait's TIMEOUT).
    """
    if status == Status.OK:
        return _from_struct(cls, struct, charset)
    error = _dec(struct.error, charset)
    kwargs: Dict[str, Any] = {}
    trade_no = getattr(struct, "trade_no", b"")
    if trade_no:
        kwargs["trade_no"] = _dec(trade_no, charset)
    if status == Status.GATEWAY:
        kwargs.update(_refusal_fields(struct, charset))
        kwargs["response"] = _from_struct(cls, struct, charset)
        raise _error(status, error, **kwargs)
    if partial and struct.return_code and struct.return_code != b"000000":
        kwargs.update(_refusal_fields(struct, charset))  # wait: only refusals came
    if partial and struct.verified:
        kwargs["response"] = _from_struct(cls, struct, charset)
    elif trade_no:
        kwargs["response"] = _from_struct(cls, struct, charset)
    raise _error(status, error, **kwargs)


# --------------------------------------------------------------------------------------------
# The client.


class Client:
    """Calls the gateway as one merchant terminal.

    Args:
        base_url: the gateway's base URL, ending in ``/`` (e.g.
            ``http://127.0.0.1:8080/adpweb/ehpspos3/``). ``None`` or ``""`` = production.
        org_no: ``orgNo``, the institution number.
        merc_id: ``mercId``, the merchant number.
        trm_no: ``trmNo``, the terminal number (1-8 letters/digits).
        key: the merchant key (never logged or echoed).
        connect_timeout_ms: DNS lookup and TCP connect, each; 0 = 10000.
        timeout_ms: the whole call; 0 = 30000.
        flags: :data:`FLAG_NO_KEEPALIVE`, :data:`FLAG_GBK_BODY`, :data:`FLAG_GBK_STRINGS`
            or 0.
        ca_file: https only (``tls`` builds): a PEM file of CA certificates to trust instead
            of the built-in roots.
        trm_typ: ``trmTyp`` sent with every ``sdk*`` call: "P" smart POS, "I" smart POS
            (the iOS SDK's name for it), "A" app, "C" PC, "T" table sign; None = not sent.
        opr_id: ``oprId``, the cashier (<= 6 letters/digits); None = not sent.
        latitude, longitude: where the terminal is, as the vendor's SDK docs define it:
            degrees (latitude -90 to 90, longitude -180 to 180) as decimal text with 1 to 5
            decimals, <= 15 characters ("31.23042", "-121.5"); None = not sent. Any other form
            raises :class:`InvalidArgumentError` naming the field at the first call.
        journal_path: the sale journal, a file the library owns; with one, every pay and
            refund is recorded before it is sent and :meth:`recover` settles what a crash
            left open. None = no journal.
        journal_retention_days: days a settled sale stays in the journal; 0 = 7.

    Every argument is checked here: a wrong type, or text C would read differently (a NUL, a
    lone surrogate, a character GBK cannot write under :data:`FLAG_GBK_STRINGS`), raises
    :class:`InvalidArgumentError` naming it. The library checks the rest on every call (it
    holds no state per client). Safe to share between threads; the GIL is released during
    each call.
    """

    def __init__(
        self,
        base_url: Optional[str],
        org_no: str,
        merc_id: str,
        trm_no: str,
        key: str,
        connect_timeout_ms: int = 0,
        timeout_ms: int = 0,
        flags: int = 0,
        ca_file: Optional[str] = None,
        *,
        trm_typ: Optional[str] = None,
        opr_id: Optional[str] = None,
        latitude: Optional[str] = None,
        longitude: Optional[str] = None,
        journal_path: Optional[Union[str, "os.PathLike[str]"]] = None,
        journal_retention_days: int = 0,
    ) -> None:
        flags = _flags(flags)
        #: The charset of every string crossing the C boundary for this client.
        self._charset = _GBK if flags & STARPOS_FLAG_GBK_STRINGS else _UTF8
        cs = self._charset
        if isinstance(journal_path, os.PathLike):
            journal_path = os.fspath(journal_path)
        # The encoded strings live as long as the client: the struct only points at them.
        self._strings = dict(
            base_url=_enc(base_url, "base_url", cs),
            org_no=_enc(org_no, "org_no", cs, required=True),
            merc_id=_enc(merc_id, "merc_id", cs, required=True),
            trm_no=_enc(trm_no, "trm_no", cs, required=True),
            key=_enc(key, "key", cs, required=True),
            ca_file=_enc(ca_file, "ca_file", cs),
            trm_typ=_enc(trm_typ, "trm_typ", cs),
            opr_id=_enc(opr_id, "opr_id", cs),
            latitude=_enc(latitude, "latitude", cs),
            longitude=_enc(longitude, "longitude", cs),
            journal_path=_enc(journal_path, "journal_path", cs),
        )
        self._config = starpos_config(
            connect_timeout_ms=_ms(connect_timeout_ms, "connect_timeout_ms"),
            timeout_ms=_ms(timeout_ms, "timeout_ms"),
            flags=flags,
            journal_retention_days=_uint(
                journal_retention_days, "journal_retention_days", 32, "number of days"
            ),
            **self._strings,
        )
        self.base_url = base_url
        self.org_no = org_no
        self.merc_id = merc_id
        self.trm_no = trm_no
        self.journal_path = journal_path

    def __repr__(self) -> str:
        return (
            f"Client(base_url={self.base_url!r}, org_no={self.org_no!r}, "
            f"merc_id={self.merc_id!r}, trm_no={self.trm_no!r}, key=<hidden>)"
        )

    def _enc(self, value: Any, field: str, *, required: bool = False) -> Optional[bytes]:
        """A string argument in this client's charset (see :func:`_enc`)."""
        return _enc(value, field, self._charset, required=required)

    def _sale_strings(self, **fields: Any) -> Dict[str, Optional[bytes]]:
        """The optional string fields of a pay request, encoded, by name."""
        return {name: self._enc(value, name) for name, value in fields.items()}

    def qry(
        self,
        txn_time: Optional[str] = None,
        attach: Optional[str] = None,
        version: Optional[str] = None,
    ) -> QryResult:
        """``pubSigQry``: the merchant's official account (``app_id``, ``app_id_key``).

        Args:
            txn_time: ``yyyyMMddHHmmss``; None = now.
            attach: free text echoed back (makes the version V1.0.1).
            version: protocol version; None = the default.
        """
        request = starpos_qry_request(
            self._enc(txn_time, "txn_time"),
            self._enc(attach, "attach"),
            self._enc(version, "version"),
        )
        response = starpos_qry_response()
        status = _lib.starpos_qry(ctypes.byref(self._config), ctypes.byref(request),
                                  ctypes.byref(response))
        return _check(status, response, QryResult, self._charset)

    def pay(
        self,
        code: Optional[str] = None,
        openid: Optional[str] = None,
        *,
        amount: int,
        total_amount: Optional[int] = None,
        subject: Optional[str] = None,
        sel_order_no: Optional[str] = None,
        goods_tag: Optional[str] = None,
        attach: Optional[str] = None,
        txn_time: Optional[str] = None,
        version: Optional[str] = None,
    ) -> PayResult:
        """``pubSigPay``: pay with the WeChat OAuth ``code`` (or the payer's ``openid``).

        Args:
            code: the OAuth code from the redirect; exactly one of ``code`` and ``openid``.
            openid: the payer's openid instead.
            amount: fen actually paid, 0 < amount <= total_amount.
            total_amount: the order total in fen; None = ``amount``.
            subject, sel_order_no, goods_tag, attach: optional order details.
            txn_time, version: None = now, the default.

        Returns the answer, whose ``result`` is 'A' or 'Z': follow with :meth:`wait` on
        ``log_no``. On an in-doubt error (``e.in_doubt``) the payment may have gone through:
        query it (by ``sel_order_no`` if you gave one), never send the pay again.
        """
        amount = _amount(amount, "amount")
        total_amount = amount if total_amount is None else _amount(total_amount, "total_amount")
        request = starpos_pay_request(
            amount=amount,
            total_amount=total_amount,
            **self._sale_strings(
                txn_time=txn_time,
                version=version,
                code=code,
                openid=openid,
                subject=subject,
                sel_order_no=sel_order_no,
                goods_tag=goods_tag,
                attach=attach,
            ),
        )
        response = starpos_pay_response()
        status = _lib.starpos_pay(ctypes.byref(self._config), ctypes.byref(request),
                                  ctypes.byref(response))
        return _check(status, response, PayResult, self._charset)

    def _barcode_request(
        self,
        auth_code: Any,
        amount: Any,
        total_amount: Any,
        pay_channel: Any,
        trade_no: Any,
        **optional: Any,
    ) -> starpos_barcode_pay_request:
        """A checked ``starpos_barcode_pay_request`` (for :meth:`barcode_pay` and
        :meth:`barcode_sale`)."""
        amount = _amount(amount, "amount")
        total_amount = amount if total_amount is None else _amount(total_amount, "total_amount")
        return starpos_barcode_pay_request(
            auth_code=self._enc(auth_code, "auth_code", required=True),
            amount=amount,
            total_amount=total_amount,
            **self._sale_strings(pay_channel=pay_channel, trade_no=trade_no, **optional),
        )

    def barcode_pay(
        self,
        auth_code: str,
        amount: int,
        total_amount: Optional[int] = None,
        pay_channel: Optional[str] = None,
        trade_no: Optional[str] = None,
        *,
        subject: Optional[str] = None,
        sel_order_no: Optional[str] = None,
        goods_tag: Optional[str] = None,
        attach: Optional[str] = None,
        add_field: Optional[str] = None,
        txn_time: Optional[str] = None,
        version: Optional[str] = None,
    ) -> BarcodePayResult:
        """``sdkBarcodePay``: the terminal scanned the payment code on the payer's phone.

        Args:
            auth_code: the scanned payment code (digits). Never logged or journaled.
            amount: fen actually paid, 0 < amount <= total_amount.
            total_amount: the order total in fen; None = ``amount``.
            pay_channel: "WXPAY", "ALIPAY" or "YLPAY"; None = from the code's prefix.
            trade_no: this sale's number, unique per merchant; None = generated (always in
                the result, and in the error as ``e.trade_no``).
            subject, sel_order_no, goods_tag, attach, add_field: optional order details.
            txn_time, version: None = now, the default.

        ``result`` 'S' paid, 'F' failed; 'A' or 'Z': :meth:`wait` on ``trade_no``. On an
        in-doubt error, query ``e.trade_no``; never pay again. The result carries the
        answer's ``add_field`` and, for WeChat, the payer's ``open_id`` (a secret: not in
        ``repr``, never log it).
        """
        request = self._barcode_request(
            auth_code, amount, total_amount, pay_channel, trade_no,
            subject=subject, sel_order_no=sel_order_no, goods_tag=goods_tag, attach=attach,
            add_field=add_field, txn_time=txn_time, version=version,
        )
        function = _c_function("starpos_barcode_pay")
        response = starpos_barcode_pay_response()
        status = function(ctypes.byref(self._config), ctypes.byref(request),
                          ctypes.byref(response))
        return _check(status, response, BarcodePayResult, self._charset)

    def qr_pay(
        self,
        pay_channel: str,
        amount: int,
        total_amount: Optional[int] = None,
        trade_no: Optional[str] = None,
        *,
        subject: Optional[str] = None,
        sel_order_no: Optional[str] = None,
        goods_tag: Optional[str] = None,
        attach: Optional[str] = None,
        add_field: Optional[str] = None,
        txn_time: Optional[str] = None,
        version: Optional[str] = None,
    ) -> QrPayResult:
        """``sdkBarcodePosPay``: the terminal shows a QR code (``pay_code``) the payer scans.

        Args:
            pay_channel: "WXPAY", "ALIPAY" or "YLPAY". Required.
            amount, total_amount, trade_no, ...: as :meth:`barcode_pay`.

        ``result`` 'S' means the QR order was made, not that it is paid: show ``pay_code``,
        then :meth:`wait` on ``trade_no`` until final.
        """
        amount = _amount(amount, "amount")
        total_amount = amount if total_amount is None else _amount(total_amount, "total_amount")
        request = starpos_qr_pay_request(
            pay_channel=self._enc(pay_channel, "pay_channel", required=True),
            amount=amount,
            total_amount=total_amount,
            **self._sale_strings(
                trade_no=trade_no, subject=subject, sel_order_no=sel_order_no,
                goods_tag=goods_tag, attach=attach, add_field=add_field, txn_time=txn_time,
                version=version,
            ),
        )
        function = _c_function("starpos_qr_pay")
        response = starpos_qr_pay_response()
        status = function(ctypes.byref(self._config), ctypes.byref(request),
                          ctypes.byref(response))
        return _check(status, response, QrPayResult, self._charset)

    def barcode_sale(
        self,
        auth_code: str,
        amount: int,
        total_amount: Optional[int] = None,
        pay_channel: Optional[str] = None,
        trade_no: Optional[str] = None,
        *,
        subject: Optional[str] = None,
        sel_order_no: Optional[str] = None,
        goods_tag: Optional[str] = None,
        attach: Optional[str] = None,
        add_field: Optional[str] = None,
        txn_time: Optional[str] = None,
        version: Optional[str] = None,
        interval_ms: int = 0,
        deadline_ms: int = 0,
    ) -> QueryResult:
        """A whole counter sale: :meth:`barcode_pay`, then, unless that answer is final,
        queries every ``interval_ms`` (0 = 3000) until final or ``deadline_ms`` (0 = 60000).

        Arguments as :meth:`barcode_pay`. Returns the final state of the order (only
        ``result`` 'S' is paid). :class:`TimeoutError_` when the deadline passed, with
        ``response`` the last answer if any came and ``trade_no`` to query later.
        """
        request = self._barcode_request(
            auth_code, amount, total_amount, pay_channel, trade_no,
            subject=subject, sel_order_no=sel_order_no, goods_tag=goods_tag, attach=attach,
            add_field=add_field, txn_time=txn_time, version=version,
        )
        interval_ms = _ms(interval_ms, "interval_ms")
        deadline_ms = _ms(deadline_ms, "deadline_ms")
        function = _c_function("starpos_barcode_sale")
        response = starpos_query_response()
        status = function(ctypes.byref(self._config), ctypes.byref(request), interval_ms,
                          deadline_ms, ctypes.byref(response))
        return _check(status, response, QueryResult, self._charset, partial=True)

    def query(
        self,
        qry_no: str,
        trade_no: Optional[str] = None,
        txn_time: Optional[str] = None,
        version: Optional[str] = None,
    ) -> QueryResult:
        """``sdkQryBarcodePay``: the order's state now. Safe to repeat.

        Args:
            qry_no: the order's ``logNo``, ``orderNo`` or ``tradeNo``.
            trade_no: this request's number; None = generated (see ``result.trade_no``).
            txn_time, version: None = now, the default ("V1.0.1" also answers ``ref_amt``).
        """
        request = starpos_query_request(
            self._enc(txn_time, "txn_time"),
            self._enc(version, "version"),
            self._enc(trade_no, "trade_no"),
            self._enc(qry_no, "qry_no", required=True),
        )
        response = starpos_query_response()
        status = _lib.starpos_query(ctypes.byref(self._config), ctypes.byref(request),
                                    ctypes.byref(response))
        return _check(status, response, QueryResult, self._charset)

    def refund(
        self,
        order_no: str,
        txn_amt: int = 0,
        trade_no: Optional[str] = None,
        txn_time: Optional[str] = None,
        version: Optional[str] = None,
    ) -> RefundResult:
        """``sdkRefundBarcodePay``: give ``txn_amt`` fen back (0 = all that remains).

        Args:
            order_no: the channel order number from a query that answered 'S'.
            txn_amt: fen to refund; 0 = the rest.
            trade_no: this refund's number; None = generated (see ``result.trade_no``).
            txn_time, version: None = now, the default.

        Not safe to repeat blindly: after an in-doubt error, ``e.trade_no`` is the refund's
        number; query it before trying again.
        """
        request = starpos_refund_request(
            self._enc(txn_time, "txn_time"),
            self._enc(version, "version"),
            self._enc(trade_no, "trade_no"),
            self._enc(order_no, "order_no", required=True),
            _amount(txn_amt, "txn_amt"),
        )
        response = starpos_refund_response()
        status = _lib.starpos_refund(ctypes.byref(self._config), ctypes.byref(request),
                                     ctypes.byref(response))
        return _check(status, response, RefundResult, self._charset)

    def wait(self, qry_no: str, interval_ms: int = 0, deadline_ms: int = 0) -> QueryResult:
        """Queries ``qry_no`` every ``interval_ms`` (0 = 3000) until the order is final ('S',
        'F' or 'D') or ``deadline_ms`` (0 = 60000) has passed.

        Returns the final answer (check its ``result``: only 'S' is paid). Raises
        :class:`TimeoutError_` when the deadline passed, with ``response`` the last answer
        ('A' or 'Z') if any came, or ``return_code`` and ``message`` of the last refusal if
        no answer but some refusals came (right after a pay the gateway may not know the order
        yet), even when a later query got no answer in time. Only
        :class:`InvalidArgumentError` ends the wait early; failed polls and refusals do not.
        """
        qry_no_b = self._enc(qry_no, "qry_no", required=True)
        interval_ms = _ms(interval_ms, "interval_ms")
        deadline_ms = _ms(deadline_ms, "deadline_ms")
        response = starpos_query_response()
        status = _lib.starpos_wait(ctypes.byref(self._config), qry_no_b, interval_ms,
                                   deadline_ms, ctypes.byref(response))
        return _check(status, response, QueryResult, self._charset, partial=True)

    def _journal_call(self, name: str, *args: Any) -> List[JournalEntry]:
        """Runs ``starpos_recover`` or ``starpos_journal_list``, collecting every entry."""
        function = _c_function(name)
        entries: List[JournalEntry] = []
        charset = self._charset

        def collect(entry: Any, _userdata: Any) -> None:
            # Nothing may propagate into C: a failure to convert is kept and raised after.
            try:
                entries.append(_from_struct(JournalEntry, entry.contents, charset))
            except Exception as e:  # noqa: BLE001
                failures.append(e)

        failures: List[Exception] = []
        callback = starpos_journal_fn(collect)
        status = function(ctypes.byref(self._config), *args, callback, None)
        if status != Status.OK:
            raise _error(status, last_error(charset))
        if failures:
            raise failures[0]
        return entries

    def recover(self, deadline_ms: int = 0) -> List[JournalEntry]:
        """Settles what the journal left open (after a crash or a lost answer): queries every
        unsettled sale until ``deadline_ms`` (0 = the library's default) and returns what it
        found, one :class:`JournalEntry` per sale reported. Needs ``journal_path``.

        Entries still ``in_doubt`` stay open for the next ``recover``; never pay them again.
        """
        deadline_ms = _ms(deadline_ms, "deadline_ms")
        return self._journal_call("starpos_recover", deadline_ms)

    def journal(self) -> List[JournalEntry]:
        """Every sale the journal holds (for reprints and end-of-day totals), oldest first as
        the library lists them. Sends nothing. Needs ``journal_path``; a journal that can no
        longer be written is still listed, read-only."""
        return self._journal_call("starpos_journal_list")

    def call(self, endpoint: str, fields: Union[Mapping[str, Any], str]) -> Dict[str, str]:
        """Calls any endpoint with its own ``fields`` (a dict, or JSON object text).

        ``orgNo``, ``mercId``, ``trmNo``, ``txnTime`` and ``signType`` are added when absent;
        the request is signed and POSTed to ``<base_url><endpoint>.json``. Returns the verified
        answer as a dict of strings (``message`` decoded, ``signValue`` left out). A refusal
        raises :class:`GatewayError` whose ``response`` is the refusal's dict.
        """
        endpoint_b = self._enc(endpoint, "endpoint", required=True)
        fields_json = _to_json_text(fields, "fields", self._charset)

        def attempt(buf: "ctypes.Array[ctypes.c_char]", size: int) -> int:
            return int(_lib.starpos_call(ctypes.byref(self._config), endpoint_b, fields_json,
                                         buf, size))

        status, text, error = _write_text(attempt, 16 * 1024, self._charset)
        if status == Status.OK:
            answer: Dict[str, str] = json.loads(text)
            return answer
        if status == Status.GATEWAY:
            try:
                refusal = json.loads(text)
            except ValueError:
                refusal = None
            if isinstance(refusal, dict):
                raise _error(
                    status,
                    error,
                    return_code=refusal.get("returnCode"),
                    message=refusal.get("message"),
                    response=refusal,
                )
        raise _error(status, error)


# --------------------------------------------------------------------------------------------
# Module functions.

_NEEDED = re.compile(r"(\d+) bytes are needed")


def _write_text(
    attempt: Callable[["ctypes.Array[ctypes.c_char]", int], int], size: int, charset: str = _UTF8
) -> Tuple[int, str, str]:
    """Runs a call that writes text into a buffer of ``size`` bytes, growing the buffer once if
    the library says how many bytes are needed. Returns (status, buffer text, error words)."""
    for _ in range(3):
        buf = ctypes.create_string_buffer(size)
        status = attempt(buf, size)
        error = "" if status == Status.OK else last_error(charset)
        needed = _NEEDED.search(error) if status == Status.INVALID_ARGUMENT else None
        if needed and "out_len" in error and int(needed.group(1)) > size:
            size = int(needed.group(1))
            continue
        return status, _dec(buf.value, charset), error
    return status, _dec(buf.value, charset), error


def _status_code(code: Any) -> Optional[int]:
    """A status argument: an ``int`` (not a bool); None when outside C's ``int``."""
    if isinstance(code, bool) or not isinstance(code, int):
        raise _wrong_type("code", "an int status", code)
    return int(code) if -(1 << 31) <= code < 1 << 31 else None


def version() -> str:
    """The library's version (``"0.3.0"``)."""
    return _dec(_lib.starpos_version())


def status_str(code: int) -> str:
    """The name of a status (``"OK"``, ``"SIGNATURE"``, ...); ``"UNKNOWN"`` for others."""
    value = _status_code(code)
    if value is None:
        return "UNKNOWN"
    return _dec(_lib.starpos_status_str(value))


def status_in_doubt(code: int) -> bool:
    """True when a pay or refund that ended with ``code`` may have taken effect (TIMEOUT, HTTP,
    PROTOCOL, SIGNATURE, INTERNAL): query, never resend."""
    value = _status_code(code)
    if value is None:
        return False
    return bool(_lib.starpos_status_in_doubt(value))


def last_error(charset: str = _UTF8) -> str:
    """The words of this thread's last failed library call ("" after a success). ``charset``:
    "gbk" after a call by a client with :data:`FLAG_GBK_STRINGS`."""
    if charset not in (_UTF8, _GBK):
        raise _invalid("charset", f'must be "utf-8" or "gbk", got {charset!r}')
    return _dec(_lib.starpos_last_error() or b"", charset)


def oauth_url(app_id: str, redirect_uri: str, state: Optional[str] = None) -> str:
    """WeChat's ``snsapi_base`` authorize link for the payer's browser.

    ``redirect_uri`` (http or https) is percent-encoded; ``state`` is None or 1-128 ASCII
    letters and digits. Raises :class:`InvalidArgumentError` naming the bad argument.
    """
    args = (
        _enc(app_id, "app_id", required=True),
        _enc(redirect_uri, "redirect_uri", required=True),
        _enc(state, "state"),
    )
    status, text, error = _write_text(
        lambda buf, size: _lib.starpos_wechat_oauth_url(*args, buf, size), 1024
    )
    if status != Status.OK:
        raise _error(status, error)
    return text


def _pay_struct(pay_result: Union[PayResult, Mapping[str, Any]]) -> starpos_pay_response:
    """A ``starpos_pay_response`` filled from a :class:`PayResult` (or a dict of its fields)."""
    if isinstance(pay_result, PayResult):
        values = dataclasses.asdict(pay_result)
    elif isinstance(pay_result, Mapping):
        values = dict(pay_result)
    else:
        raise _wrong_type("pay_result", "a PayResult or a dict of its fields", pay_result)
    fields = [(f[0], f[1]) for f in starpos_pay_response._fields_]
    known = {name for name, _ in fields}
    unknown = sorted(str(k) for k in values if k not in known)
    if unknown:
        raise _invalid("pay_result", f"unknown field {unknown[0]!r}")
    struct = starpos_pay_response()
    for name, ctype in fields:
        value = values.get(name)
        if value is None:
            continue
        if name in ("amount", "total_amount"):
            setattr(struct, name, _amount(value, name))
        elif name == "verified":
            if not isinstance(value, bool):
                raise _wrong_type(name, "a bool", value)
            struct.verified = value
        elif name == "result":
            data = _enc(value, name) or b""
            if len(data) > 1:
                raise _invalid(name, f"must be one character, got {value!r}")
            struct.result = data or b"\x00"
        else:
            data = _enc(value, name) or b""
            if len(data) >= ctypes.sizeof(ctype):
                raise _invalid(
                    name, f"{len(data)} bytes does not fit its {ctypes.sizeof(ctype)}-byte field"
                )
            setattr(struct, name, data)
    return struct


def jsapi_params(pay_result: Union[PayResult, Mapping[str, Any]]) -> Dict[str, str]:
    """The object for ``WeixinJSBridge.invoke('getBrandWCPayRequest', ...)`` from a pay answer:
    a dict with ``appId``, ``timeStamp``, ``nonceStr``, ``package``, ``signType``, ``paySign``
    in that order. Raises :class:`InvalidArgumentError` when one of them is missing."""
    struct = _pay_struct(pay_result)
    status, text, error = _write_text(
        lambda buf, size: _lib.starpos_wechat_jsapi_params(ctypes.byref(struct), buf, size), 2048
    )
    if status != Status.OK:
        raise _error(status, error)
    params: Dict[str, str] = json.loads(text)
    return params


def sign_json(obj_or_str: Union[str, bytes, Mapping[str, Any]], key: str) -> str:
    """The gateway's MD5 ``signValue`` (32 lower-case hex characters) of a JSON object (a dict
    or its text); a ``signValue`` in it is ignored. Raises :class:`InvalidArgumentError` for
    something that is not a JSON object of plain values, or a bad key."""
    text = _to_json_text(obj_or_str, "obj_or_str")
    key_b = _enc(key, "key", required=True)
    signature = ctypes.create_string_buffer(SIGNATURE_SIZE)
    status = _lib.starpos_sign_json(text, key_b, signature)
    if status != Status.OK:
        raise _error(status, last_error())
    return _dec(signature.value)


def verify_json(obj_or_str: Union[str, bytes, Mapping[str, Any]], key: str) -> bool:
    """True when the ``signValue`` of a gateway answer (as received: ``message`` still
    percent-encoded) is right, False when it is missing or wrong. Raises
    :class:`InvalidArgumentError` for something that is not a JSON object, or a bad key."""
    text = _to_json_text(obj_or_str, "obj_or_str")
    key_b = _enc(key, "key", required=True)
    status = _lib.starpos_verify_json(text, key_b)
    if status == Status.OK:
        return True
    if status == Status.SIGNATURE:
        return False
    raise _error(status, last_error())


#: Every callback ever installed, kept alive: the library may still be calling an old one on
#: another thread at the moment it is replaced.
_loggers: List[Any] = []


def set_logger(callback: Optional[Callable[[int, str], Any]]) -> None:
    """Installs a process-wide logger, ``callback(level: int, message: str)``, or removes it
    (``None``). Levels: 1 error, 2 warning, 3 info, 4 debug.

    The library calls it from whichever thread makes a call, so it must be thread-safe. The
    messages never contain the key, ``appIdKey``, ``signValue`` or an OAuth code. An exception
    raised by ``callback`` is swallowed (it cannot cross the library). Something that is not
    callable raises :class:`ArgumentTypeError` (a ``TypeError``).
    """
    if callback is None:
        _lib.starpos_set_logger(starpos_log_fn(), None)  # a NULL function pointer
        return
    if not callable(callback):
        raise _wrong_type("callback", "callable or None", callback)

    def trampoline(level: int, message: Optional[bytes], _userdata: Any) -> None:
        try:
            callback(int(level), _dec(message or b""))
        except Exception:  # noqa: BLE001 - nothing may propagate into the C caller
            pass

    c_callback = starpos_log_fn(trampoline)
    _loggers.append(c_callback)
    _lib.starpos_set_logger(c_callback, None)
