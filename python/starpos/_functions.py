"""The module functions that need no client: the library's version, the WeChat steps
(``oauth_url``, ``jsapi_params``), the gateway's signature (``sign_json``, ``verify_json``)
and the process-wide logger (``set_logger``)."""

from __future__ import annotations

import ctypes
import dataclasses
import json
from typing import Any, Callable, Dict, List, Mapping, Optional, Union

from ._abi import starpos_log_fn, starpos_pay_response
from ._errors import Status, _error, _invalid, _wrong_type
from ._loader import _c_function, _lib
from ._results import PayResult
from ._text import _amount, _dec, _enc, _to_json_text, _write_text, last_error

#: ``starpos_sign_json`` writes 32 hex characters and a NUL.
SIGNATURE_SIZE = 33


def version() -> str:
    """The library's version (``"0.3.0"``)."""
    return _dec(_lib.starpos_version())


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
    function = _c_function("starpos_wechat_oauth_url_sized")
    status, text, error = _write_text(
        lambda buf, size, needed: function(*args, buf, size, needed), 1024
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
    function = _c_function("starpos_wechat_jsapi_params_sized")
    status, text, error = _write_text(
        lambda buf, size, needed: function(ctypes.byref(struct), buf, size, needed), 2048
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
