"""The results: one dataclass per answer (snake_case attributes, ``int`` fen, ``result`` a
one-character ``str`` or ``None``), built from the C response structs, and the errors a failed
response struct describes."""

from __future__ import annotations

import ctypes
import dataclasses
from typing import Any, Dict, Optional, TypeVar, Type, Union

# The answers' classes: generated with the mirror from the header's response structs
# (``_answers.py``, scripts/gen_python_abi.py), plain dataclasses a type checker sees.
from ._answers import (
    BarcodePayResult as BarcodePayResult,
    PayResult as PayResult,
    QrPayResult as QrPayResult,
    QryResult as QryResult,
    QueryResult as QueryResult,
    RefundResult as RefundResult,
    RevokeResult as RevokeResult,
)
from ._errors import Status, _error, status_in_doubt
from ._text import _UTF8, _dec, _result


@dataclasses.dataclass
class JournalEntry:
    """One sale of the journal (:meth:`Client.journal`, :meth:`Client.recover`). Holds no key,
    payment code, OAuth code or openid."""

    #: "pay", "barcode_pay", "qr_pay", "refund" or "revoke".
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
    #: Fen revoked: the settled revokes whose result is 'S' (their sales, then 'D', are not
    #: in ``paid_fen``).
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
