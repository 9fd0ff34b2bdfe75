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

The library is found through, in order: ``libstarpos.so`` beside this file (inside the package:
the one ``pip install ./python`` or a wheel built and bundled), the environment variable
``STARPOS_LIBRARY`` (a path; for a package without a bundled library),
``ctypes.util.find_library("starpos")``, then the system loader (``libstarpos.so`` on its
search path). :data:`library_path` is the file that was loaded.

The package, by role (everything public is imported here; the modules are private):

- ``_abi``: the ctypes mirror of ``include/starpos.h`` (every ``STARPOS_*`` constant, enum
  value, struct, callback type and function signature), GENERATED: after the header changes,
  regenerate it from the repository root with ``python3 scripts/gen_python_abi.py`` (CI checks
  it with ``--check``);
- ``_loader``: finds and loads libstarpos and declares the signatures on it;
- ``_text``: text and numbers across the C boundary, the last error, the buffer-writing calls;
- ``_errors``: :class:`Status`, :class:`StarposError` and its subclasses, the status helpers;
- ``_answers``: the answer dataclasses, generated with ``_abi`` from the header's response
  structs (so their fields are the header's, and a type checker sees them);
- ``_results``: the journal's dataclasses, and the results and errors made from a response
  struct;
- ``_functions``: the module functions (``oauth_url``, ``jsapi_params``, ``sign_json``, ...);
- ``_till``: :class:`Cancel` (ends a wait from another thread) and :class:`Progress` (what a
  client's ``progress`` callable is told while it waits);
- ``_client``: :class:`Client`.
"""

from __future__ import annotations

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
    "CancelledError",
    "CancelledNotSentError",
    "ArgumentTypeError",
    "QryResult",
    "PayResult",
    "QueryResult",
    "RefundResult",
    "RevokeResult",
    "BarcodePayResult",
    "QrPayResult",
    "JournalEntry",
    "SummaryRow",
    "Client",
    "Cancel",
    "Progress",
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
    "FLAG_REVOKE_ON_GIVE_UP",
]

# Beyond __all__, as before the split: the header's STARPOS_* #defines, structs and callback
# types (the enum's values through Status), the loaded library and what it lacks. `x as x`
# re-exports them for type checkers too.
from ._abi import (
    STARPOS_ADD_FIELD_SIZE as STARPOS_ADD_FIELD_SIZE,
    STARPOS_API_PACKAGE_SIZE as STARPOS_API_PACKAGE_SIZE,
    STARPOS_API_PAYSIGN_SIZE as STARPOS_API_PAYSIGN_SIZE,
    STARPOS_API_SHORT_SIZE as STARPOS_API_SHORT_SIZE,
    STARPOS_APP_ID_KEY_SIZE as STARPOS_APP_ID_KEY_SIZE,
    STARPOS_APP_ID_SIZE as STARPOS_APP_ID_SIZE,
    STARPOS_ATTACH_SIZE as STARPOS_ATTACH_SIZE,
    STARPOS_CALL_ANSWER_SIZE as STARPOS_CALL_ANSWER_SIZE,
    STARPOS_ERROR_SIZE as STARPOS_ERROR_SIZE,
    STARPOS_FLAG_GBK_BODY as STARPOS_FLAG_GBK_BODY,
    STARPOS_FLAG_GBK_STRINGS as STARPOS_FLAG_GBK_STRINGS,
    STARPOS_FLAG_NO_KEEPALIVE as STARPOS_FLAG_NO_KEEPALIVE,
    STARPOS_FLAG_REVOKE_ON_GIVE_UP as STARPOS_FLAG_REVOKE_ON_GIVE_UP,
    STARPOS_GOODS_TAG_SIZE as STARPOS_GOODS_TAG_SIZE,
    STARPOS_KIND_SIZE as STARPOS_KIND_SIZE,
    STARPOS_LOG_NO_SIZE as STARPOS_LOG_NO_SIZE,
    STARPOS_MERC_ID_SIZE as STARPOS_MERC_ID_SIZE,
    STARPOS_MESSAGE_SIZE as STARPOS_MESSAGE_SIZE,
    STARPOS_OPEN_ID_SIZE as STARPOS_OPEN_ID_SIZE,
    STARPOS_OPR_ID_SIZE as STARPOS_OPR_ID_SIZE,
    STARPOS_ORDER_NO_SIZE as STARPOS_ORDER_NO_SIZE,
    STARPOS_PAY_CHANNEL_SIZE as STARPOS_PAY_CHANNEL_SIZE,
    STARPOS_PAY_CODE_SIZE as STARPOS_PAY_CODE_SIZE,
    STARPOS_PREPAY_ID_SIZE as STARPOS_PREPAY_ID_SIZE,
    STARPOS_RETURN_CODE_SIZE as STARPOS_RETURN_CODE_SIZE,
    STARPOS_SEL_ORDER_NO_SIZE as STARPOS_SEL_ORDER_NO_SIZE,
    STARPOS_SUBJECT_SIZE as STARPOS_SUBJECT_SIZE,
    STARPOS_SYS_TIME_SIZE as STARPOS_SYS_TIME_SIZE,
    STARPOS_TRADE_NO_SIZE as STARPOS_TRADE_NO_SIZE,
    STARPOS_TXN_TIME_SIZE as STARPOS_TXN_TIME_SIZE,
    STRUCTS as STRUCTS,
    starpos_barcode_pay_request as starpos_barcode_pay_request,
    starpos_barcode_pay_response as starpos_barcode_pay_response,
    starpos_config as starpos_config,
    starpos_journal_entry as starpos_journal_entry,
    starpos_journal_fn as starpos_journal_fn,
    starpos_log_fn as starpos_log_fn,
    starpos_pay_request as starpos_pay_request,
    starpos_pay_response as starpos_pay_response,
    starpos_progress as starpos_progress,
    starpos_progress_fn as starpos_progress_fn,
    starpos_qr_pay_request as starpos_qr_pay_request,
    starpos_qr_pay_response as starpos_qr_pay_response,
    starpos_qry_request as starpos_qry_request,
    starpos_qry_response as starpos_qry_response,
    starpos_query_request as starpos_query_request,
    starpos_query_response as starpos_query_response,
    starpos_refund_request as starpos_refund_request,
    starpos_refund_response as starpos_refund_response,
    starpos_summary_fn as starpos_summary_fn,
    starpos_summary_row as starpos_summary_row,
)
from ._abi import SIGNATURES as _SIGNATURES  # noqa: F401 (the tests read it)
from ._client import (
    FLAG_GBK_BODY,
    FLAG_GBK_STRINGS,
    FLAG_NO_KEEPALIVE,
    FLAG_REVOKE_ON_GIVE_UP,
    Client,
)
from ._errors import (
    ArgumentTypeError,
    ConnectError,
    GatewayError,
    HttpError,
    InternalError,
    InvalidArgumentError,
    JournalError,
    CancelledError,
    CancelledNotSentError,
    ProtocolError,
    SignatureError,
    StarposError,
    Status,
    TimeoutError_,
    status_in_doubt,
    status_str,
)
from ._functions import (
    SIGNATURE_SIZE as SIGNATURE_SIZE,
    jsapi_params,
    oauth_url,
    set_logger,
    sign_json,
    verify_json,
    version,
)
from ._till import Cancel, Progress
from ._loader import MISSING_FUNCTIONS as MISSING_FUNCTIONS
from ._loader import lib as lib
from ._loader import library_path
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
)
from ._text import last_error
