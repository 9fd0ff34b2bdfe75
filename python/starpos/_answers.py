"""The answer classes: one dataclass per response struct of ``include/starpos.h``, its
fields in the struct's order (see ``ANSWER_CLASSES`` in the generator for the rules).

GENERATED from include/starpos.h by scripts/gen_python_abi.py, with ``_abi.py``: do not
edit; regenerate with ``python3 scripts/gen_python_abi.py``. CI checks it is up to date.
"""

from __future__ import annotations

import dataclasses
from typing import Optional


@dataclasses.dataclass
class QryResult:
    """What ``pubSigQry`` answered: the merchant's WeChat official account (``app_id``, for
    :func:`oauth_url`; ``app_id_key`` its secret: never log it, left out of ``repr``)."""

    return_code: str
    message: str
    sys_time: str
    merc_id: str
    app_id: str
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
    'A', 'Z' (query again). ``order_no`` is the channel order number a refund needs.
    ``trade_no``: the ``tradeNo`` this query was sent with (after :meth:`Client.wait` that of
    its last query; after :meth:`Client.barcode_sale` the sale's own). ``ref_amt``: fen
    already refunded (answered to version "V1.0.1"; else 0). ``add_field``: ``addField`` (<=
    256 GBK bytes), "" when not answered."""

    return_code: str
    message: str
    sys_time: str
    merc_id: str
    trade_no: str
    log_no: str
    result: Optional[str]
    pay_channel: str
    order_no: str
    amount: int
    total_amount: int
    ref_amt: int
    subject: str
    sel_order_no: str
    goods_tag: str
    attach: str
    verified: bool
    add_field: str = ""


@dataclasses.dataclass
class RefundResult:
    """What the refund answered. ``result``: 'S' refunded, 'F' failed, 'Z' unknown.
    ``trade_no``: the ``tradeNo`` the refund was sent with (after an in-doubt failure, query
    it)."""

    return_code: str
    message: str
    sys_time: str
    merc_id: str
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
    add_field: str = ""


@dataclasses.dataclass
class RevokeResult:
    """What the revoke (``RevokeBarcodepay``) answered. ``result``: 'S' revoked (the sale now
    queries 'D'), 'F' not revoked, 'Z' unknown: :meth:`Client.wait` on the sale's
    ``trade_no`` until final ('D' = revoked). ``trade_no`` here is this revoke's own."""

    return_code: str
    message: str
    sys_time: str
    merc_id: str
    trade_no: str
    log_no: str
    result: Optional[str]
    pay_channel: str
    amount: int
    total_amount: int
    subject: str
    sel_order_no: str
    goods_tag: str
    attach: str
    add_field: str
    verified: bool


@dataclasses.dataclass
class BarcodePayResult:
    """What the barcode pay (``sdkBarcodePay``) answered. ``result``: 'S' paid, 'F' failed
    (final); 'A' the payer is entering a password, 'Z' unknown: :meth:`Client.wait` on
    ``trade_no`` (the sale's, generated when none was given) until final, never pay again.
    ``order_no``: the channel's order number (a refund needs it). ``open_id``: the payer's
    openid in WeChat when answered ("" otherwise); a secret, left out of ``repr``."""

    return_code: str
    message: str
    sys_time: str
    merc_id: str
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
    add_field: str = ""
    open_id: str = dataclasses.field(repr=False, default="")


@dataclasses.dataclass
class QrPayResult:
    """What the QR pay (``sdkBarcodePosPay``) answered. ``result`` 'S' means the QR order was
    made, NOT that it is paid: show ``pay_code`` (valid for 15 minutes) as a QR code, then
    :meth:`Client.wait` on ``trade_no`` until final. 'F' = no order; 'Z' = unknown: query."""

    return_code: str
    message: str
    sys_time: str
    merc_id: str
    trade_no: str
    log_no: str
    result: Optional[str]
    pay_channel: str
    pay_code: str
    order_no: str
    amount: int
    total_amount: int
    subject: str
    sel_order_no: str
    goods_tag: str
    attach: str
    verified: bool
    add_field: str = ""
