"""The client: :class:`Client`, one merchant terminal calling the gateway, and its flags."""

from __future__ import annotations

import ctypes
import json
import os
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Type, TypeVar, Union

from ._abi import (
    STARPOS_CALL_ANSWER_SIZE,
    STARPOS_FLAG_GBK_BODY,
    STARPOS_FLAG_GBK_STRINGS,
    STARPOS_FLAG_NO_KEEPALIVE,
    STARPOS_FLAG_REVOKE_ON_GIVE_UP,
    starpos_barcode_pay_request,
    starpos_barcode_pay_response,
    starpos_config,
    starpos_journal_fn,
    starpos_pay_request,
    starpos_pay_response,
    starpos_qr_pay_request,
    starpos_qr_pay_response,
    starpos_qry_request,
    starpos_qry_response,
    starpos_query_request,
    starpos_query_response,
    starpos_refund_request,
    starpos_refund_response,
    starpos_revoke_request,
    starpos_revoke_response,
    starpos_summary_fn,
)
from ._errors import Status, _error
from ._loader import _c_function, _lib
from ._results import (
    BarcodePayResult,
    JournalEntry,
    PayResult,
    QrPayResult,
    QryResult,
    QueryResult,
    RefundResult,
    RevokeResult,
    SummaryRow,
    _check,
    _from_struct,
)
from ._till import Cancel, Progress, _progress_callback
from ._text import (
    _GBK,
    _UTF8,
    _amount,
    _enc,
    _flags,
    _ms,
    _to_json_text,
    _uint,
    _write_text,
    last_error,
)

#: Flag for :class:`Client`: a new connection for every call instead of keep-alive.
FLAG_NO_KEEPALIVE = STARPOS_FLAG_NO_KEEPALIVE
#: Flag for :class:`Client`: send request bodies in GBK (the gateway's documented encoding).
FLAG_GBK_BODY = STARPOS_FLAG_GBK_BODY
#: Flag for :class:`Client`: the strings cross the C boundary in GBK instead of UTF-8 (needs a
#: library built with the ``gbk`` feature). The module encodes and decodes for you; text that
#: GBK cannot write raises :class:`InvalidArgumentError` before anything is sent.
FLAG_GBK_STRINGS = STARPOS_FLAG_GBK_STRINGS
#: Flag for :class:`Client`: the closed loop. When :meth:`Client.barcode_sale` gives up in
#: doubt (its deadline, or the cancel), it revokes the sale so the payer is never charged: the
#: result is then 'D' (revoked), or the sale's final state if it reached one first.
FLAG_REVOKE_ON_GIVE_UP = STARPOS_FLAG_REVOKE_ON_GIVE_UP


#: A C request struct of the mirror.
_S = TypeVar("_S", bound=ctypes.Structure)


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
        cancel: a :class:`Cancel` that ends this client's waits (:meth:`wait`,
            :meth:`barcode_sale`, :meth:`recover`) from another thread within milliseconds:
            :class:`CancelledError` (in doubt: the order may still be paid; query its
            ``trade_no`` later, the journal keeps it open), or :class:`CancelledNotSentError`
            when fired before a request left (nothing sent). The client keeps it alive; once
            fired, every later call ends the same way. None = not cancellable.
        progress: called on the waiting thread with a :class:`Progress` once before a wait's
            first query and after each query (queries so far, the last result, elapsed ms,
            ms until the next query): a status line for the cashier. It should return
            quickly; it may call ``cancel.request()``. What it raises is logged (logger
            ``starpos``) and ignored: it never reaches C or ends the wait. None = not told.

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
        cancel: Optional[Cancel] = None,
        progress: Optional[Callable[[Progress], Any]] = None,
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
        if cancel is not None and not isinstance(cancel, Cancel):
            raise TypeError(f"cancel: must be a starpos.Cancel or None, got {type(cancel).__name__}")
        if progress is not None and not callable(progress):
            raise TypeError(f"progress: must be callable or None, got {type(progress).__name__}")
        #: The cancel handle the config points at: kept alive (and not freed) by this client.
        self._cancel = cancel
        if cancel is not None:
            with cancel._in_use():
                self._config.cancel = cancel._handle
        #: The CFUNCTYPE the config points at: referenced here so it is never collected.
        self._progress = (
            None if progress is None else _progress_callback(progress, self._charset, cancel)
        )
        if self._progress is not None:
            self._config.progress = self._progress
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

    def _call(self, function: Any, *args: Any) -> Any:
        """``function(config, *args)``, the cancel handle (if any) held alive meanwhile."""
        if self._cancel is None:
            return function(ctypes.byref(self._config), *args)
        with self._cancel._in_use():
            return function(ctypes.byref(self._config), *args)

    def _enc(self, value: Any, field: str, *, required: bool = False) -> Optional[bytes]:
        """A string argument in this client's charset (see :func:`_enc`)."""
        return _enc(value, field, self._charset, required=required)

    def _request(self, struct: Type[_S], required: Tuple[str, ...] = (), **values: Any) -> _S:
        """The C request ``struct`` filled by field name, each value checked and converted by
        its field's type in the mirror, in the order given (the first bad one is named): text
        (``char *``) in this client's charset (None stays NULL, unless the name is in
        ``required``), fen (``uint64_t``) as a non-negative int. So a field the header adds to
        a request needs no code here, only its argument."""
        types: Dict[str, Any] = {f[0]: f[1] for f in struct._fields_}
        request = struct()
        for name, value in values.items():
            ctype = types.get(name)
            if ctype is ctypes.c_char_p:
                setattr(request, name, self._enc(value, name, required=name in required))
            elif ctype is ctypes.c_uint64:
                setattr(request, name, _amount(value, name))
            else:
                raise TypeError(f"{struct.__name__} has no text or fen field {name!r}")
        return request

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
        request = self._request(
            starpos_qry_request, txn_time=txn_time, attach=attach, version=version
        )
        response = starpos_qry_response()
        status = self._call(_lib.starpos_qry, ctypes.byref(request),
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
        request = self._request(
            starpos_pay_request,
            amount=amount,
            total_amount=amount if total_amount is None else total_amount,
            txn_time=txn_time,
            version=version,
            code=code,
            openid=openid,
            subject=subject,
            sel_order_no=sel_order_no,
            goods_tag=goods_tag,
            attach=attach,
        )
        response = starpos_pay_response()
        status = self._call(_lib.starpos_pay, ctypes.byref(request),
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
        return self._request(
            starpos_barcode_pay_request,
            ("auth_code",),
            amount=amount,
            total_amount=amount if total_amount is None else total_amount,
            auth_code=auth_code,
            pay_channel=pay_channel,
            trade_no=trade_no,
            **optional,
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
        status = self._call(function, ctypes.byref(request),
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
        request = self._request(
            starpos_qr_pay_request,
            ("pay_channel",),
            amount=amount,
            total_amount=amount if total_amount is None else total_amount,
            pay_channel=pay_channel,
            trade_no=trade_no, subject=subject, sel_order_no=sel_order_no,
            goods_tag=goods_tag, attach=attach, add_field=add_field, txn_time=txn_time,
            version=version,
        )
        function = _c_function("starpos_qr_pay")
        response = starpos_qr_pay_response()
        status = self._call(function, ctypes.byref(request),
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
        :class:`CancelledError` when the client's ``cancel`` ended the wait (in doubt: query
        ``trade_no`` later, never pay again), :class:`CancelledNotSentError` when it was fired
        before the pay was sent.
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
        status = self._call(function, ctypes.byref(request), interval_ms,
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
        request = self._request(
            starpos_query_request, ("qry_no",),
            txn_time=txn_time, version=version, trade_no=trade_no, qry_no=qry_no,
        )
        response = starpos_query_response()
        status = self._call(_lib.starpos_query, ctypes.byref(request),
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
        request = self._request(
            starpos_refund_request, ("order_no",),
            txn_time=txn_time, version=version, trade_no=trade_no, order_no=order_no,
            txn_amt=txn_amt,
        )
        response = starpos_refund_response()
        status = self._call(_lib.starpos_refund, ctypes.byref(request),
                            ctypes.byref(response))
        return _check(status, response, RefundResult, self._charset)

    def revoke(
        self,
        qry_no: str,
        trade_no: Optional[str] = None,
        txn_time: Optional[str] = None,
        version: Optional[str] = None,
    ) -> RevokeResult:
        """``RevokeBarcodepay``: undo the counter sale whose ``tradeNo`` is ``qry_no``, the
        same day only.

        'S': revoked; the sale now queries 'D' (a paid sale's money goes back, an unpaid one
        can no longer be paid). 'F': not revoked. 'Z', or an in-doubt error: :meth:`wait` on
        ``qry_no`` until final ('D' = the revoke went through); never sell again blindly.
        Acquirers that do not support revoking refuse it (:class:`GatewayError`, nothing
        moved): refund instead. ``result.trade_no`` is this revoke's own number.
        """
        request = self._request(
            starpos_revoke_request, ("qry_no",),
            qry_no=qry_no, trade_no=trade_no, txn_time=txn_time, version=version,
        )
        response = starpos_revoke_response()
        status = self._call(_lib.starpos_revoke, ctypes.byref(request),
                            ctypes.byref(response))
        return _check(status, response, RevokeResult, self._charset)

    def wait(self, qry_no: str, interval_ms: int = 0, deadline_ms: int = 0) -> QueryResult:
        """Queries ``qry_no`` every ``interval_ms`` (0 = 3000) until the order is final ('S',
        'F' or 'D') or ``deadline_ms`` (0 = 60000) has passed.

        Returns the final answer (check its ``result``: only 'S' is paid). Raises
        :class:`TimeoutError_` when the deadline passed, with ``response`` the last answer
        ('A' or 'Z') if any came, or ``return_code`` and ``message`` of the last refusal if
        no answer but some refusals came (right after a pay the gateway may not know the order
        yet), even when a later query got no answer in time. Only
        :class:`InvalidArgumentError` ends the wait early; failed polls and refusals do not,
        the client's ``cancel`` does (:class:`CancelledError`: the order may still be paid).
        """
        qry_no_b = self._enc(qry_no, "qry_no", required=True)
        interval_ms = _ms(interval_ms, "interval_ms")
        deadline_ms = _ms(deadline_ms, "deadline_ms")
        response = starpos_query_response()
        status = self._call(_lib.starpos_wait, qry_no_b, interval_ms,
                            deadline_ms, ctypes.byref(response))
        return _check(status, response, QueryResult, self._charset, partial=True)

    def _journal_call(self, name: str, *args: Any) -> List[JournalEntry]:
        """Runs ``starpos_recover`` or ``starpos_journal_list``, collecting every entry."""
        return self._collect(name, starpos_journal_fn, JournalEntry, *args)

    def _collect(self, name: str, fn_type: Any, cls: Any, *args: Any) -> List[Any]:
        """Runs the C function ``name`` whose last two arguments are a callback of ``fn_type``
        and its userdata, collecting what it reports as ``cls`` dataclasses."""
        function = _c_function(name)
        items: List[Any] = []
        charset = self._charset

        def collect(item: Any, _userdata: Any) -> None:
            # Nothing may propagate into C: a failure to convert is kept and raised after.
            try:
                items.append(_from_struct(cls, item.contents, charset))
            except Exception as e:  # noqa: BLE001
                failures.append(e)

        failures: List[Exception] = []
        callback = fn_type(collect)
        status = self._call(function, *args, callback, None)
        if status != Status.OK:
            raise _error(status, last_error(charset))
        if failures:
            raise failures[0]
        return items

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

    def journal_summary(self) -> List[SummaryRow]:
        """The closing summary, what a cashier prints at the end of the day: the journal's
        sales added up per kind and channel, one :class:`SummaryRow` each (ordered "pay",
        "barcode_pay", "qr_pay", "refund", then by channel; empty for an empty journal). The
        open sales a row counts are those :meth:`journal` lists with ``settled`` False; run
        :meth:`recover` before closing to settle them. Sends nothing. Needs ``journal_path``.
        """
        return self._collect("starpos_journal_summary", starpos_summary_fn, SummaryRow)

    def call(self, endpoint: str, fields: Union[Mapping[str, Any], str]) -> Dict[str, str]:
        """Calls any endpoint with its own ``fields`` (a dict, or JSON object text).

        ``orgNo``, ``mercId``, ``trmNo``, ``txnTime`` and ``signType`` are added when absent;
        the request is signed and POSTed to ``<base_url><endpoint>.json``. Returns the verified
        answer as a dict of strings (``message`` decoded, ``signValue`` left out). A refusal
        raises :class:`GatewayError` whose ``response`` is the refusal's dict.
        """
        endpoint_b = self._enc(endpoint, "endpoint", required=True)
        fields_json = _to_json_text(fields, "fields", self._charset)

        function = _c_function("starpos_call_sized")

        def attempt(buf: "ctypes.Array[ctypes.c_char]", size: int, needed: Any) -> int:
            return int(self._call(function, endpoint_b, fields_json, buf, size,
                                  needed))

        # A buffer for any answer, and no second attempt: a money call whose answer did not
        # fit could not be asked for again (the library refuses a smaller buffer for one).
        status, text, error = _write_text(attempt, STARPOS_CALL_ANSWER_SIZE, self._charset,
                                          retry=False)
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
