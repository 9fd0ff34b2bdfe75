"""Python bindings for libstarpos, the StarPOS gateway client (WeChat official-account pay).

A thin ``ctypes`` layer over the C ABI in ``include/starpos.h``, with no dependencies beyond
the standard library::

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

Every call returns a plain object (a dataclass with snake_case attributes; amounts are ``int``
fen; ``result`` is a one-character ``str`` or ``None``) or raises :class:`StarposError` (one
subclass per status). When ``error.in_doubt`` is true after a pay or refund, the money may have
moved: query the order, never send the pay again.

The library is found through, in order: the environment variable ``STARPOS_LIBRARY`` (a path),
``libstarpos.so`` beside this file, ``ctypes.util.find_library("starpos")``, then the system
loader (``libstarpos.so`` on its search path).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import enum
import json
import os
import re
from typing import Any, Dict, Mapping, Optional, Union

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
    "QryResult",
    "PayResult",
    "QueryResult",
    "RefundResult",
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
STARPOS_GOODS_TAG_SIZE = 760
STARPOS_PAY_CHANNEL_SIZE = 24
STARPOS_ERROR_SIZE = 512

#: ``starpos_sign_json`` writes 32 hex characters and a NUL.
SIGNATURE_SIZE = 33

#: Flag for :class:`Client`: a new connection for every call instead of keep-alive.
FLAG_NO_KEEPALIVE = STARPOS_FLAG_NO_KEEPALIVE
#: Flag for :class:`Client`: send request bodies in GBK (the gateway's documented encoding).
#: (``STARPOS_FLAG_GBK_STRINGS`` is for C callers holding GBK strings; this module always
#: passes UTF-8.)
FLAG_GBK_BODY = STARPOS_FLAG_GBK_BODY


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
        ("subject", ctypes.c_char * STARPOS_SUBJECT_SIZE),
        ("sel_order_no", ctypes.c_char * STARPOS_SEL_ORDER_NO_SIZE),
        ("goods_tag", ctypes.c_char * STARPOS_GOODS_TAG_SIZE),
        ("attach", ctypes.c_char * STARPOS_ATTACH_SIZE),
        ("error", ctypes.c_char * STARPOS_ERROR_SIZE),
        ("verified", ctypes.c_bool),
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
    )
}

# --------------------------------------------------------------------------------------------
# Loading the library and declaring every function.

_HERE = os.path.dirname(os.path.abspath(__file__))


def _find_library() -> str:
    """The path (or loader name) of libstarpos, per the order in the module documentation."""
    explicit = os.environ.get("STARPOS_LIBRARY")
    if explicit:
        if not os.path.exists(explicit):
            raise OSError(f"STARPOS_LIBRARY={explicit!r}: no such file")
        return explicit
    beside = os.path.join(_HERE, "libstarpos.so")
    if os.path.exists(beside):
        return beside
    found = ctypes.util.find_library("starpos")
    if found:
        return found
    return "libstarpos.so"


def _load() -> ctypes.CDLL:
    path = _find_library()
    try:
        return ctypes.CDLL(path)
    except OSError as e:
        raise OSError(
            f"cannot load libstarpos ({path}): {e}. Set STARPOS_LIBRARY to the path of "
            "libstarpos.so (cargo build puts it in target/<profile>/)"
        ) from e


_lib = _load()

#: The library actually loaded.
library_path: str = _lib._name

_P = ctypes.POINTER
_c_int = ctypes.c_int

#: ``starpos_log_fn``: ``void (*)(int32_t level, const char *message, void *userdata)``.
starpos_log_fn = ctypes.CFUNCTYPE(None, ctypes.c_int32, ctypes.c_char_p, ctypes.c_void_p)

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
}

for _name, (_restype, _argtypes) in _SIGNATURES.items():
    _function = getattr(_lib, _name)
    _function.restype = _restype
    _function.argtypes = _argtypes

#: The loaded ``CDLL``, with ``restype``/``argtypes`` set on every function.
lib = _lib

# --------------------------------------------------------------------------------------------
# Conversions.


def _enc(value: Optional[str], field: str) -> Optional[bytes]:
    """A str (or None) going in: UTF-8 bytes, None for None."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        raise InvalidArgumentError(
            Status.INVALID_ARGUMENT, f"{field}: must be a str, got {type(value).__name__}"
        )
    return value.encode("utf-8")


def _dec(value: bytes) -> str:
    """Bytes coming out: UTF-8 text (the library only writes UTF-8; errors are replaced)."""
    return value.decode("utf-8", errors="replace")


def _result(value: bytes) -> Optional[str]:
    """A ``result`` char: a one-character str, None when 0."""
    return _dec(value) if value and value != b"\x00" else None


def _amount(value: Any, field: str) -> int:
    """An amount in fen going in: a non-negative int below 2**64."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(
            Status.INVALID_ARGUMENT, f"{field}: must be an int number of fen, got {value!r}"
        )
    if value < 0 or value >= 1 << 64:
        raise InvalidArgumentError(Status.INVALID_ARGUMENT, f"{field}: out of range: {value}")
    return value


def _ms(value: Any, field: str) -> int:
    """Milliseconds going in: an int 0..2**32-1."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << 32:
        raise InvalidArgumentError(
            Status.INVALID_ARGUMENT, f"{field}: must be an int 0..4294967295, got {value!r}"
        )
    return value


def _flags(value: Any) -> int:
    """``flags`` going in: an int 0..2**32-1 (the library rejects unknown bits)."""
    return _ms(value, "flags")


def _to_json_text(obj_or_str: Union[str, bytes, Mapping[str, Any]]) -> bytes:
    """A JSON object given as text, bytes or a mapping, as UTF-8 bytes."""
    if isinstance(obj_or_str, bytes):
        return obj_or_str
    if isinstance(obj_or_str, str):
        return obj_or_str.encode("utf-8")
    return json.dumps(obj_or_str, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


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
        return_code: the gateway's ``returnCode`` for GATEWAY (else ``None``).
        message: the gateway's ``message`` (decoded) for GATEWAY (else ``None``).
        response: the partial result where one exists: the refusal's fields on GATEWAY,
            the last answer of :meth:`Client.wait` on TIMEOUT, ``trade_no`` of a failed query
            or refund; else ``None``.
    """

    def __init__(
        self,
        status: int,
        error: str,
        *,
        return_code: Optional[str] = None,
        message: Optional[str] = None,
        response: Any = None,
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
        super().__init__(f"{self.status_name}: {error}")


class InvalidArgumentError(StarposError):
    """INVALID_ARGUMENT: input rejected before anything was sent; ``error`` names the field."""


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


_ERROR_CLASSES = {
    Status.INVALID_ARGUMENT: InvalidArgumentError,
    Status.CONNECT: ConnectError,
    Status.TIMEOUT: TimeoutError_,
    Status.HTTP: HttpError,
    Status.PROTOCOL: ProtocolError,
    Status.SIGNATURE: SignatureError,
    Status.GATEWAY: GatewayError,
    Status.INTERNAL: InternalError,
}


def _error(status: int, error: str, **kwargs: Any) -> StarposError:
    """The :class:`StarposError` subclass for ``status``."""
    cls = _ERROR_CLASSES.get(status, StarposError)  # type: ignore[call-overload]
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
    #: The ``tradeNo`` this query was sent with.
    trade_no: str
    log_no: str
    result: Optional[str]
    pay_channel: str
    order_no: str
    amount: int
    total_amount: int
    subject: str
    sel_order_no: str
    goods_tag: str
    attach: str
    verified: bool


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


def _from_struct(cls: type, struct: ctypes.Structure) -> Any:
    """Builds the dataclass ``cls`` from the C struct's fields of the same names."""
    values = {}
    for f in dataclasses.fields(cls):
        raw = getattr(struct, f.name)
        if f.name == "result":
            values[f.name] = _result(raw)
        elif isinstance(raw, bytes):
            values[f.name] = _dec(raw)
        elif isinstance(raw, bool):
            values[f.name] = raw
        else:
            values[f.name] = int(raw)
    return cls(**values)


def _refusal_fields(struct: ctypes.Structure) -> Dict[str, Any]:
    """The refusal's fields that a failed response struct holds."""
    return {
        "return_code": _dec(struct.return_code) or None,
        "message": _dec(struct.message) or None,
    }


def _check(status: int, struct: ctypes.Structure, cls: type, partial: bool = False) -> Any:
    """The result object on OK; else raises the error the struct describes.

    ``partial``: the struct holds a usable (non-final) answer even on failure (wait's TIMEOUT).
    """
    if status == Status.OK:
        return _from_struct(cls, struct)
    error = _dec(struct.error)
    kwargs: Dict[str, Any] = {}
    if status == Status.GATEWAY:
        kwargs.update(_refusal_fields(struct))
        kwargs["response"] = _from_struct(cls, struct)
    elif partial and struct.verified:
        kwargs["response"] = _from_struct(cls, struct)
    elif hasattr(struct, "trade_no") and struct.trade_no:
        kwargs["response"] = _from_struct(cls, struct)
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
        flags: :data:`FLAG_NO_KEEPALIVE`, :data:`FLAG_GBK_BODY` or 0.
        ca_file: https only (``tls`` builds): a PEM file of CA certificates to trust instead
            of the built-in roots.

    The configuration is checked on every call (the library holds no state per client):
    a bad one raises :class:`InvalidArgumentError` naming the field. Safe to share between
    threads; the GIL is released during each call.
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
    ) -> None:
        # The encoded strings live as long as the client: the struct only points at them.
        self._strings = [
            _enc(base_url, "base_url"),
            _enc(org_no, "org_no"),
            _enc(merc_id, "merc_id"),
            _enc(trm_no, "trm_no"),
            _enc(key, "key"),
        ]
        self._ca_file = _enc(ca_file, "ca_file")
        self._config = starpos_config(
            *self._strings,
            _ms(connect_timeout_ms, "connect_timeout_ms"),
            _ms(timeout_ms, "timeout_ms"),
            _flags(flags),
            self._ca_file,
        )
        self.base_url = base_url
        self.org_no = org_no
        self.merc_id = merc_id
        self.trm_no = trm_no

    def __repr__(self) -> str:
        return (
            f"Client(base_url={self.base_url!r}, org_no={self.org_no!r}, "
            f"merc_id={self.merc_id!r}, trm_no={self.trm_no!r}, key=<hidden>)"
        )

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
            _enc(txn_time, "txn_time"), _enc(attach, "attach"), _enc(version, "version")
        )
        response = starpos_qry_response()
        status = _lib.starpos_qry(ctypes.byref(self._config), ctypes.byref(request),
                                  ctypes.byref(response))
        return _check(status, response, QryResult)

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
        if total_amount is None:
            total_amount = amount
        strings = dict(
            txn_time=_enc(txn_time, "txn_time"),
            version=_enc(version, "version"),
            code=_enc(code, "code"),
            openid=_enc(openid, "openid"),
            subject=_enc(subject, "subject"),
            sel_order_no=_enc(sel_order_no, "sel_order_no"),
            goods_tag=_enc(goods_tag, "goods_tag"),
            attach=_enc(attach, "attach"),
        )
        request = starpos_pay_request(
            amount=_amount(amount, "amount"),
            total_amount=_amount(total_amount, "total_amount"),
            **strings,
        )
        response = starpos_pay_response()
        status = _lib.starpos_pay(ctypes.byref(self._config), ctypes.byref(request),
                                  ctypes.byref(response))
        return _check(status, response, PayResult)

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
        """
        request = starpos_query_request(
            _enc(txn_time, "txn_time"),
            _enc(version, "version"),
            _enc(trade_no, "trade_no"),
            _enc(qry_no, "qry_no"),
        )
        response = starpos_query_response()
        status = _lib.starpos_query(ctypes.byref(self._config), ctypes.byref(request),
                                    ctypes.byref(response))
        return _check(status, response, QueryResult)

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

        Not safe to repeat blindly: after an in-doubt error, ``e.response.trade_no`` is the
        refund's number; query it before trying again.
        """
        request = starpos_refund_request(
            _enc(txn_time, "txn_time"),
            _enc(version, "version"),
            _enc(trade_no, "trade_no"),
            _enc(order_no, "order_no"),
            _amount(txn_amt, "txn_amt"),
        )
        response = starpos_refund_response()
        status = _lib.starpos_refund(ctypes.byref(self._config), ctypes.byref(request),
                                     ctypes.byref(response))
        return _check(status, response, RefundResult)

    def wait(self, qry_no: str, interval_ms: int = 0, deadline_ms: int = 0) -> QueryResult:
        """Queries ``qry_no`` every ``interval_ms`` (0 = 3000) until the order is final ('S',
        'F' or 'D') or ``deadline_ms`` (0 = 60000) has passed.

        Returns the final answer (check its ``result``: only 'S' is paid). Raises
        :class:`TimeoutError_` when the deadline passed, with ``response`` the last answer
        ('A' or 'Z') if any came; :class:`GatewayError` or :class:`InvalidArgumentError` end
        the wait at once; failed polls (network) do not.
        """
        response = starpos_query_response()
        status = _lib.starpos_wait(
            ctypes.byref(self._config),
            _enc(qry_no, "qry_no"),
            _ms(interval_ms, "interval_ms"),
            _ms(deadline_ms, "deadline_ms"),
            ctypes.byref(response),
        )
        return _check(status, response, QueryResult, partial=True)

    def call(self, endpoint: str, fields: Union[Mapping[str, Any], str]) -> Dict[str, str]:
        """Calls any endpoint with its own ``fields`` (a dict, or JSON object text).

        ``orgNo``, ``mercId``, ``trmNo``, ``txnTime`` and ``signType`` are added when absent;
        the request is signed and POSTed to ``<base_url><endpoint>.json``. Returns the verified
        answer as a dict of strings (``message`` decoded, ``signValue`` left out). A refusal
        raises :class:`GatewayError` whose ``response`` is the refusal's dict.
        """
        fields_json = _to_json_text(fields)
        endpoint_b = _enc(endpoint, "endpoint")

        def attempt(buf: ctypes.Array, size: int) -> int:
            return _lib.starpos_call(ctypes.byref(self._config), endpoint_b, fields_json, buf, size)

        status, text, error = _write_text(attempt, 16 * 1024)
        if status == Status.OK:
            return json.loads(text)
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


def _write_text(attempt: Any, size: int) -> "tuple[int, str, str]":
    """Runs a call that writes text into a buffer of ``size`` bytes, growing the buffer once if
    the library says how many bytes are needed. Returns (status, buffer text, error words)."""
    for _ in range(3):
        buf = ctypes.create_string_buffer(size)
        status = attempt(buf, size)
        error = "" if status == Status.OK else _dec(_lib.starpos_last_error() or b"")
        needed = _NEEDED.search(error) if status == Status.INVALID_ARGUMENT else None
        if needed and "out_len" in error and int(needed.group(1)) > size:
            size = int(needed.group(1))
            continue
        return status, _dec(buf.value), error
    return status, _dec(buf.value), error


def version() -> str:
    """The library's version (``"0.1.0"``)."""
    return _dec(_lib.starpos_version())


def status_str(code: int) -> str:
    """The name of a status (``"OK"``, ``"SIGNATURE"``, ...); ``"UNKNOWN"`` for others."""
    if not -(1 << 31) <= int(code) < 1 << 31:
        return "UNKNOWN"
    return _dec(_lib.starpos_status_str(int(code)))


def status_in_doubt(code: int) -> bool:
    """True when a pay or refund that ended with ``code`` may have taken effect (TIMEOUT, HTTP,
    PROTOCOL, SIGNATURE, INTERNAL): query, never resend."""
    if not -(1 << 31) <= int(code) < 1 << 31:
        return False
    return bool(_lib.starpos_status_in_doubt(int(code)))


def last_error() -> str:
    """The words of this thread's last failed library call ("" after a success)."""
    return _dec(_lib.starpos_last_error() or b"")


def oauth_url(app_id: str, redirect_uri: str, state: Optional[str] = None) -> str:
    """WeChat's ``snsapi_base`` authorize link for the payer's browser.

    ``redirect_uri`` (http or https) is percent-encoded; ``state`` is None or 1-128 ASCII
    letters and digits. Raises :class:`InvalidArgumentError` naming the bad argument.
    """
    args = (_enc(app_id, "app_id"), _enc(redirect_uri, "redirect_uri"), _enc(state, "state"))
    status, text, error = _write_text(
        lambda buf, size: _lib.starpos_wechat_oauth_url(*args, buf, size), 1024
    )
    if status != Status.OK:
        raise _error(status, error)
    return text


def _pay_struct(pay_result: Union[PayResult, Mapping[str, Any]]) -> starpos_pay_response:
    """A ``starpos_pay_response`` filled from a :class:`PayResult` (or a dict of its fields)."""
    values = dataclasses.asdict(pay_result) if dataclasses.is_dataclass(pay_result) else dict(
        pay_result
    )
    struct = starpos_pay_response()
    for name, ctype in starpos_pay_response._fields_:
        if name not in values or values[name] is None:
            continue
        value = values[name]
        if name == "result":
            if value:
                struct.result = _enc(value, name)[:1]
        elif isinstance(value, str):
            data = value.encode("utf-8")
            if len(data) >= ctypes.sizeof(ctype):
                raise InvalidArgumentError(
                    Status.INVALID_ARGUMENT,
                    f"{name}: {len(data)} bytes does not fit its {ctypes.sizeof(ctype)}-byte field",
                )
            setattr(struct, name, data)
        elif name in ("amount", "total_amount"):
            setattr(struct, name, _amount(value, name))
        elif name == "verified":
            struct.verified = bool(value)
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
    return json.loads(text)


def sign_json(obj_or_str: Union[str, bytes, Mapping[str, Any]], key: str) -> str:
    """The gateway's MD5 ``signValue`` (32 lower-case hex characters) of a JSON object (a dict
    or its text); a ``signValue`` in it is ignored. Raises :class:`InvalidArgumentError` for
    something that is not a JSON object of plain values, or a bad key."""
    signature = ctypes.create_string_buffer(SIGNATURE_SIZE)
    status = _lib.starpos_sign_json(_to_json_text(obj_or_str), _enc(key, "key"), signature)
    if status != Status.OK:
        raise _error(status, last_error())
    return _dec(signature.value)


def verify_json(obj_or_str: Union[str, bytes, Mapping[str, Any]], key: str) -> bool:
    """True when the ``signValue`` of a gateway answer (as received: ``message`` still
    percent-encoded) is right, False when it is missing or wrong. Raises
    :class:`InvalidArgumentError` for something that is not a JSON object, or a bad key."""
    status = _lib.starpos_verify_json(_to_json_text(obj_or_str), _enc(key, "key"))
    if status == Status.OK:
        return True
    if status == Status.SIGNATURE:
        return False
    raise _error(status, last_error())


#: Every callback ever installed, kept alive: the library may still be calling an old one on
#: another thread at the moment it is replaced.
_loggers = []


def set_logger(callback: Optional[Any]) -> None:
    """Installs a process-wide logger, ``callback(level: int, message: str)``, or removes it
    (``None``). Levels: 1 error, 2 warning, 3 info, 4 debug.

    The library calls it from whichever thread makes a call, so it must be thread-safe. The
    messages never contain the key, ``appIdKey``, ``signValue`` or an OAuth code. An exception
    raised by ``callback`` is swallowed (it cannot cross the library).
    """
    if callback is None:
        _lib.starpos_set_logger(starpos_log_fn(), None)  # a NULL function pointer
        return

    def trampoline(level: int, message: Optional[bytes], _userdata: Any) -> None:
        try:
            callback(int(level), _dec(message or b""))
        except Exception:  # noqa: BLE001 - nothing may propagate into the C caller
            pass

    c_callback = starpos_log_fn(trampoline)
    _loggers.append(c_callback)
    _lib.starpos_set_logger(c_callback, None)
