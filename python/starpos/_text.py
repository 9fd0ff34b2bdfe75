"""Text across the C boundary: Python values checked and encoded going in (``str`` to the bytes
C reads, ints to their C ranges), bytes decoded coming out, the thread's last error, and the
calls that write text into a caller's buffer (sized by the library, never by its words)."""

from __future__ import annotations

import ctypes
import json
from typing import Any, Callable, Mapping, Optional, Tuple, Union

from ._errors import Status, _invalid, _wrong_type
from ._loader import _lib


#: The charset of the strings crossing the C boundary: UTF-8, or GBK for a client with
#: :data:`FLAG_GBK_STRINGS`.
_UTF8 = "utf-8"
_GBK = "gbk"


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


def last_error(charset: str = _UTF8) -> str:
    """The words of this thread's last failed library call ("" after a success). ``charset``:
    "gbk" after a call by a client with :data:`FLAG_GBK_STRINGS`."""
    if charset not in (_UTF8, _GBK):
        raise _invalid("charset", f'must be "utf-8" or "gbk", got {charset!r}')
    return _dec(_lib.starpos_last_error() or b"", charset)


def _write_text(
    attempt: Callable[["ctypes.Array[ctypes.c_char]", int, Any], int],
    size: int,
    charset: str = _UTF8,
    retry: bool = True,
) -> Tuple[int, str, str]:
    """Runs a ``*_sized`` call that writes text into a buffer of ``size`` bytes:
    ``attempt(buffer, size, needed)``, ``needed`` a pointer to a ``size_t`` the library sets to
    the bytes its text needs. When the buffer was too small (INVALID_ARGUMENT with ``needed``
    above ``size``) it runs again with a buffer of that size, unless ``retry`` is false (a call
    that sends a request must not send it twice). Returns (status, buffer text, error words)."""
    needed = ctypes.c_size_t(0)
    for _ in range(3):
        buf = ctypes.create_string_buffer(size)
        needed.value = 0
        status = attempt(buf, size, ctypes.byref(needed))
        error = "" if status == Status.OK else last_error(charset)
        if retry and status == Status.INVALID_ARGUMENT and needed.value > size:
            size = needed.value
            continue
        return status, _dec(buf.value, charset), error
    return status, _dec(buf.value, charset), error
