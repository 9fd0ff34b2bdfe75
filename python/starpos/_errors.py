"""Statuses and errors: :class:`Status` (``enum starpos_status``), :class:`StarposError` and its
one subclass per status, and the status helpers ``status_str`` and ``status_in_doubt``."""

from __future__ import annotations

import enum
from typing import Any, Dict, Optional, Type

from . import _abi
from ._loader import _lib


class Status(enum.IntEnum):
    """The outcome of every call (``enum starpos_status``); 0 is success."""

    OK = _abi.STARPOS_OK
    #: Input rejected before anything was sent; the error names the field.
    INVALID_ARGUMENT = _abi.STARPOS_ERR_INVALID_ARGUMENT
    #: Gateway not reached; nothing was sent. Safe to retry.
    CONNECT = _abi.STARPOS_ERR_CONNECT
    #: Sent, no full answer in time: outcome unknown (in doubt).
    TIMEOUT = _abi.STARPOS_ERR_TIMEOUT
    #: HTTP status other than 200 (in doubt).
    HTTP = _abi.STARPOS_ERR_HTTP
    #: Answer unparseable, incomplete or too large, or the connection broke (in doubt).
    PROTOCOL = _abi.STARPOS_ERR_PROTOCOL
    #: Answer's signValue missing or wrong: nothing in it is trusted (in doubt).
    SIGNATURE = _abi.STARPOS_ERR_SIGNATURE
    #: returnCode != "000000": the gateway refused; see ``return_code`` and ``message``.
    GATEWAY = _abi.STARPOS_ERR_GATEWAY
    #: A bug was caught inside the library (in doubt).
    INTERNAL = _abi.STARPOS_ERR_INTERNAL
    #: The journal could not be read or written; nothing was sent (not in doubt).
    JOURNAL = _abi.STARPOS_ERR_JOURNAL
    #: The cancel ended the call after a request may have left (in doubt: query ``trade_no``).
    CANCELLED = _abi.STARPOS_ERR_CANCELLED
    #: The cancel was fired before the request was sent: nothing was sent (not in doubt).
    CANCELLED_NOT_SENT = _abi.STARPOS_ERR_CANCELLED_NOT_SENT


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


class CancelledError(StarposError):
    """CANCELLED: the cancel ended the call after a request may have left (in doubt)."""


class CancelledNotSentError(StarposError):
    """CANCELLED_NOT_SENT: the cancel was fired before the request was sent (not in doubt)."""


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
    Status.CANCELLED: CancelledError,
    Status.CANCELLED_NOT_SENT: CancelledNotSentError,
}


def _error(status: int, error: str, **kwargs: Any) -> StarposError:
    """The :class:`StarposError` subclass for ``status``."""
    cls = _ERROR_CLASSES.get(int(status), StarposError)
    return cls(status, error, **kwargs)


def _invalid(field: str, rule: str) -> "InvalidArgumentError":
    """INVALID_ARGUMENT naming ``field`` and the rule it broke."""
    return InvalidArgumentError(Status.INVALID_ARGUMENT, f"{field}: {rule}")


def _wrong_type(field: str, wanted: str, value: Any) -> "ArgumentTypeError":
    """INVALID_ARGUMENT (also a ``TypeError``) for an argument of the wrong type."""
    return ArgumentTypeError(
        Status.INVALID_ARGUMENT, f"{field}: must be {wanted}, got {type(value).__name__}"
    )


def _status_code(code: Any) -> Optional[int]:
    """A status argument: an ``int`` (not a bool); None when outside C's ``int``."""
    if isinstance(code, bool) or not isinstance(code, int):
        raise _wrong_type("code", "an int status", code)
    return int(code) if -(1 << 31) <= code < 1 << 31 else None


def status_str(code: int) -> str:
    """The name of a status (``"OK"``, ``"SIGNATURE"``, ...); ``"UNKNOWN"`` for others."""
    value = _status_code(code)
    if value is None:
        return "UNKNOWN"
    name: bytes = _lib.starpos_status_str(value)  # static ASCII, never NULL
    return name.decode("ascii", errors="replace")


def status_in_doubt(code: int) -> bool:
    """True when a pay or refund that ended with ``code`` may have taken effect (TIMEOUT, HTTP,
    PROTOCOL, SIGNATURE, INTERNAL): query, never resend."""
    value = _status_code(code)
    if value is None:
        return False
    return bool(_lib.starpos_status_in_doubt(value))
