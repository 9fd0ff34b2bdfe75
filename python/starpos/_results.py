"""The results: one dataclass per answer (snake_case attributes, ``int`` fen, ``result`` a
one-character ``str`` or ``None``), built from the C response structs, and the errors a failed
response struct describes."""

from __future__ import annotations

import ctypes
import dataclasses
from typing import Any, Dict, Optional, Tuple, TypeVar, Type, Union

from . import _abi
from ._errors import Status, _error, status_in_doubt
from ._text import _UTF8, _dec, _result


#: The answers' classes, each made from its response struct's ``_fields_`` in the mirror
#: (``_abi.py``, generated from the header): same names, same order, ``error`` left out (it
#: goes into the exception). ``c_char`` arrays are ``str``, ``result`` (one ``c_char``) is
#: ``Optional[str]``, ``uint64`` fen ``int``, ``bool`` ``bool``. Fields the struct has after
#: ``verified`` (appended later, for the ABI) default to "". What a table cannot say (what the
#: answer means) is the docstring here.
_ANSWERS: Dict[str, Tuple[Type[ctypes.Structure], str]] = {
    "QryResult": (
        _abi.starpos_qry_response,
        """What ``pubSigQry`` answered: the merchant's WeChat official account (``app_id``, for
    :func:`oauth_url`; ``app_id_key`` its secret: never log it, left out of ``repr``).""",
    ),
    "PayResult": (
        _abi.starpos_pay_response,
        """What ``pubSigPay`` answered. ``result`` is 'A' or 'Z' by design: follow with
    :meth:`Client.wait` on ``log_no``.""",
    ),
    "QueryResult": (
        _abi.starpos_query_response,
        """What the order query answered. ``result``: 'S' paid, 'F' failed, 'D' revoked (final);
    'A', 'Z' (query again). ``order_no`` is the channel order number a refund needs.
    ``trade_no``: the ``tradeNo`` this query was sent with (after :meth:`Client.wait` that of
    its last query; after :meth:`Client.barcode_sale` the sale's own). ``ref_amt``: fen
    already refunded (answered to version "V1.0.1"; else 0). ``add_field``: ``addField``
    (<= 256 GBK bytes), "" when not answered.""",
    ),
    "RefundResult": (
        _abi.starpos_refund_response,
        """What the refund answered. ``result``: 'S' refunded, 'F' failed, 'Z' unknown.
    ``trade_no``: the ``tradeNo`` the refund was sent with (after an in-doubt failure, query
    it).""",
    ),
    "RevokeResult": (
        _abi.starpos_revoke_response,
        """What the revoke (``RevokeBarcodepay``) answered. ``result``: 'S' revoked (the sale now
    queries 'D'), 'F' not revoked, 'Z' unknown: :meth:`Client.wait` on the sale's
    ``trade_no`` until final ('D' = revoked). ``trade_no`` here is this revoke's own.""",
    ),
    "BarcodePayResult": (
        _abi.starpos_barcode_pay_response,
        """What the barcode pay (``sdkBarcodePay``) answered. ``result``: 'S' paid, 'F' failed
    (final); 'A' the payer is entering a password, 'Z' unknown: :meth:`Client.wait` on
    ``trade_no`` (the sale's, generated when none was given) until final, never pay again.
    ``order_no``: the channel's order number (a refund needs it). ``open_id``: the payer's
    openid in WeChat when answered ("" otherwise); a secret, left out of ``repr``.""",
    ),
    "QrPayResult": (
        _abi.starpos_qr_pay_response,
        """What the QR pay (``sdkBarcodePosPay``) answered. ``result`` 'S' means the QR order was
    made, NOT that it is paid: show ``pay_code`` (valid for 15 minutes) as a QR code, then
    :meth:`Client.wait` on ``trade_no`` until final. 'F' = no order; 'Z' = unknown: query.""",
    ),
}

#: Answer fields never shown by ``repr`` (secrets).
_SECRETS = frozenset({"app_id_key", "open_id"})
#: Response-struct fields that are not result attributes (``error`` goes into the exception).
_NOT_ATTRIBUTES = frozenset({"error"})


def _py_type(ctype: Any) -> str:
    """The attribute type (as a string, like the hand-written dataclasses' annotations) of a
    response struct field's ctypes type."""
    if ctype is ctypes.c_char:
        return "Optional[str]"
    if ctype is ctypes.c_bool:
        return "bool"
    if ctype is ctypes.c_uint64:
        return "int"
    if issubclass(ctype, ctypes.Array) and ctype._type_ is ctypes.c_char:
        return "str"
    raise TypeError(f"no result type for {ctype!r}")


def _answer_class(name: str, struct: Type[ctypes.Structure], doc: str) -> type:
    """The dataclass ``name`` with ``struct``'s fields (see ``_ANSWERS``)."""
    fields = []
    after_verified = False
    for fname, ctype in struct._fields_:  # type: ignore[attr-defined]
        if fname in _NOT_ATTRIBUTES:
            continue
        opts: Dict[str, Any] = {}
        if fname in _SECRETS:
            opts["repr"] = False
        if after_verified:
            opts["default"] = ""
        fields.append((fname, _py_type(ctype), dataclasses.field(**opts)))
        if fname == "verified":
            after_verified = True
    cls = dataclasses.make_dataclass(name, fields, namespace={"__doc__": doc})
    cls.__module__ = __name__
    return cls


QryResult = _answer_class("QryResult", *_ANSWERS["QryResult"])
PayResult = _answer_class("PayResult", *_ANSWERS["PayResult"])
QueryResult = _answer_class("QueryResult", *_ANSWERS["QueryResult"])
RefundResult = _answer_class("RefundResult", *_ANSWERS["RefundResult"])
RevokeResult = _answer_class("RevokeResult", *_ANSWERS["RevokeResult"])
BarcodePayResult = _answer_class("BarcodePayResult", *_ANSWERS["BarcodePayResult"])
QrPayResult = _answer_class("QrPayResult", *_ANSWERS["QrPayResult"])


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
    #: ``payChannel`` ("WXPAY", "ALIPAY", "YLPAY"): the answer's, else the one a counter sale
    #: was sent with; a refund's is the order's it refunds. Empty while unknown.
    pay_channel: str = ""
    #: ``oprId``, the cashier the sale was sent for (the client's ``opr_id``); empty when none.
    opr_id: str = ""

    @property
    def in_doubt(self) -> bool:
        """True when whether money moved is still unknown (``status`` is an in-doubt one)."""
        return status_in_doubt(int(self.status))


@dataclasses.dataclass
class SummaryRow:
    """One line of the closing summary (:meth:`Client.journal_summary`): the sales of one kind
    on one channel that the journal holds. Amounts in fen."""

    #: "pay", "barcode_pay", "qr_pay" or "refund".
    kind: str
    #: "WXPAY", "ALIPAY", "YLPAY"; empty for the sales whose channel is not known.
    pay_channel: str
    #: How many sales: paid, failed, refused and open alike.
    count: int
    #: Fen paid: the settled pays whose result is 'S' (a QR order not paid yet is not paid).
    paid_fen: int
    #: Fen refunded: the settled refunds whose result is 'S'.
    refunded_fen: int
    #: Fen revoked: 0 (revoking is not implemented yet; the field keeps the row's shape).
    revoked_fen: int
    #: How many are still open: :meth:`Client.journal` lists them (``settled`` False),
    #: :meth:`Client.recover` settles them.
    open: int


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
