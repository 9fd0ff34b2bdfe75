"""The till in control of a wait: :class:`Cancel` (``starpos_cancel_*``) ends a
:meth:`Client.wait`, :meth:`Client.barcode_sale` or :meth:`Client.recover` from another thread
within milliseconds, and :class:`Progress` is what a ``progress`` callable is told while it
waits."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
from typing import Any, Callable, Iterator, Optional

from ._abi import starpos_progress_fn
from ._loader import _c_function
from ._text import _dec, _result

_log = logging.getLogger("starpos")


class Cancel:
    """A cancel handle: give it to a :class:`Client` (``cancel=``), fire it with
    :meth:`request` from any thread (a UI thread, a timer) and the client's wait in progress
    ends within milliseconds: :class:`CancelledError` (in doubt: the order may still be paid,
    query its ``trade_no`` later; the journal keeps the sale open), or
    :class:`CancelledNotSentError` when it was fired before the request left (nothing sent).
    Once fired it stays fired: every later call of that client ends the same way, so make a
    new handle (and client) for the next sale.

    Close it with :meth:`close` or use it as a context manager; a close while a call uses it
    frees it when that call ends.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._users = 0
        self._closed = False
        self._handle: Optional[int] = None
        handle = _c_function("starpos_cancel_new")()
        if not handle:
            raise OSError("starpos_cancel_new failed: the process may open no more files")
        self._handle = int(handle)

    def request(self) -> None:
        """Fires the handle: the wait using it ends. Any thread, any number of times (only the
        first has an effect); a no-op once closed."""
        with self._lock:
            if self._handle is not None and not self._closed:
                _c_function("starpos_cancel_request")(self._handle)

    def close(self) -> None:
        """Frees the handle (once the calls using it have ended). Idempotent."""
        with self._lock:
            self._closed = True
            self._free_if_unused()

    def _free_if_unused(self) -> None:
        if self._closed and self._users == 0 and self._handle is not None:
            handle, self._handle = self._handle, None
            _c_function("starpos_cancel_free")(handle)

    @contextlib.contextmanager
    def _in_use(self) -> Iterator[None]:
        """Held around every call of a client given this handle: it is not freed meanwhile."""
        with self._lock:
            if self._closed:
                raise ValueError("this Client's Cancel was closed: make a new Cancel and Client")
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                self._free_if_unused()

    def __enter__(self) -> "Cancel":
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        # A Client keeps its Cancel alive: this runs only once no client can use it.
        if getattr(self, "_lock", None) is not None:
            self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<starpos.Cancel {state}>"


@dataclasses.dataclass(frozen=True)
class Progress:
    """Where a wait stands, as a client's ``progress`` callable is told: once before the
    first query and after each query's answer or failure."""

    #: The order followed (the wait's ``qry_no``, the sale's ``tradeNo``).
    trade_no: str
    #: The last answer's result ('A', 'Z', 'S', ...), None before any came.
    result: Optional[str]
    #: Queries sent so far in this wait.
    queries: int
    #: Milliseconds since the wait began.
    elapsed_ms: int
    #: Milliseconds until the next query (0 when none will: the wait ends).
    next_query_ms: int


def _progress_callback(
    progress: Callable[[Progress], Any], charset: str, cancel: Optional[Cancel]
) -> Any:
    """The C callback for ``starpos_config.progress``: it calls ``progress`` with a
    :class:`Progress`. Nothing it raises crosses into C: an exception is logged (logger
    ``starpos``) and the wait goes on; a KeyboardInterrupt (Ctrl-C while the wait runs on the
    main thread) fires the client's ``cancel``, if it has one."""

    def report(pointer: Any, _userdata: Any) -> None:
        try:
            p = pointer.contents
            progress(
                Progress(
                    trade_no=_dec(p.trade_no or b"", charset),
                    result=_result(p.result),
                    queries=int(p.queries),
                    elapsed_ms=int(p.elapsed_ms),
                    next_query_ms=int(p.next_query_ms),
                )
            )
        except KeyboardInterrupt:
            if cancel is not None:
                cancel.request()
            else:
                _log.warning("progress: KeyboardInterrupt ignored (the client has no cancel)")
        except BaseException:  # noqa: BLE001 (nothing may propagate into C)
            _log.exception("progress callable raised; ignored, the wait goes on")

    return starpos_progress_fn(report)
