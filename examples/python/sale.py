#!/usr/bin/env python3
"""One complete WeChat official-account sale through libstarpos from Python (the same steps
as examples/c/sale.c), then a counter sale.

  1. qry            the merchant's official account (app_id)
  2. oauth_url      the link the payer's WeChat opens; it comes back with ?code=...
  3. pay            pay with that code; the answer is 'A' (waiting) by design
  4. jsapi_params   what the H5 page hands to getBrandWCPayRequest
  5. wait           query the order until it is final ('S', 'F' or 'D')
  6. refund         give the money back (demo), by the channel order_no from step 5
  7. barcode_sale   at the counter: the terminal scanned the payer's payment code; pay and
                    query until final in one call
  8. refund         give that back too

When a pay or refund fails with ``e.in_doubt`` the money may have moved: query, never resend.

Usage:
  sale.py [--gateway URL] [--org-no N] [--merc-id N] [--trm-no N] [--key K]
          [--code CODE] [--auth-code CODE] [--amount FEN] [--interval-ms MS]
          [--deadline-ms MS]

The first five fall back to STARPOS_GATEWAY, STARPOS_ORG_NO, STARPOS_MERC_ID, STARPOS_TRM_NO,
STARPOS_KEY. The ``starpos`` package is the installed one (``pip install ./python``), else
python/ of this checkout; it finds libstarpos as its documentation says (the library bundled
in the package first, then STARPOS_LIBRARY).

Exit status: 0 both sales ended 'S' and both refunds 'S'; 1 a step failed or a payment was
declined; 2 bad usage; 3 an outcome is still unknown (follow up with a query later).
"""

import argparse
import json
import os
import sys
import time
import uuid

try:
    import starpos  # installed: pip install ./python
except ImportError:
    # Run from a checkout without installing: the package is in python/ of this repository.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                    "python"))
    import starpos

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_IN_DOUBT = 3

#: Where WeChat sends the payer back with ?code=...: the shop's own page.
REDIRECT_URI = "https://shop.example/starpos/callback"


def parse_args(argv):
    """The options, with the environment as the fallback for the gateway and credentials."""
    env = os.environ.get
    p = argparse.ArgumentParser(description="A whole StarPOS sale, step by step.")
    p.add_argument("--gateway", default=env("STARPOS_GATEWAY"), help="gateway base URL")
    p.add_argument("--org-no", default=env("STARPOS_ORG_NO"))
    p.add_argument("--merc-id", default=env("STARPOS_MERC_ID"))
    p.add_argument("--trm-no", default=env("STARPOS_TRM_NO"))
    p.add_argument("--key", default=env("STARPOS_KEY"))
    p.add_argument("--code", help="the OAuth code from the redirect (default: made up)")
    p.add_argument("--auth-code", help="the scanned payment code of the counter sale (default: "
                   "made up; the simulator lets such a payer pay after a password)")
    p.add_argument("--amount", type=int, default=1, help="fen (default 1)")
    p.add_argument("--interval-ms", type=int, default=0, help="query every (0 = 3000)")
    p.add_argument("--deadline-ms", type=int, default=0, help="give up after (0 = 60000)")
    args = p.parse_args(argv)
    missing = [n for n in ("gateway", "org_no", "merc_id", "trm_no", "key") if not getattr(args, n)]
    if missing:
        # Never fall back to the production gateway by accident.
        p.print_usage(sys.stderr)
        print(f"sale.py: required: {', '.join(missing)}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    return args


def report(step, e):
    """Prints why a step failed: the status, the library's words and the gateway's refusal."""
    print(f"{step} failed: {e.status_name} ({int(e.status)}): {e.error}", file=sys.stderr)
    if isinstance(e, starpos.GatewayError):
        print(f'  gateway refused: returnCode {e.return_code}, message "{e.message}"',
              file=sys.stderr)


def main(argv=None):
    args = parse_args(argv)
    print(f"libstarpos {starpos.version()}", flush=True)
    client = starpos.Client(args.gateway, args.org_no, args.merc_id, args.trm_no, args.key)

    # 1. pubSigQry. app_id_key is the official account's secret: never print or log it.
    try:
        account = client.qry()
    except starpos.StarposError as e:
        report("[1] pubSigQry", e)
        return EXIT_FAILED
    print(f"[1] pubSigQry: OK, appId {account.app_id}, mercId {account.merc_id}")

    # 2. The OAuth link, shown as a QR code and opened in the payer's WeChat.
    try:
        link = starpos.oauth_url(account.app_id, REDIRECT_URI, state=args.trm_no)
    except starpos.StarposError as e:
        report("[2] oauth link", e)
        return EXIT_FAILED
    print(f"[2] oauth link: {link}")
    code = args.code or f"demo{uuid.uuid4().hex[:20]}"
    print(f"    the payer came back with code {code}")

    # 3. pubSigPay, with a merchant order number so the order can be found even when the answer
    #    never arrives (step 3b).
    sel_order_no = f"{args.trm_no}{int(time.time())}{uuid.uuid4().hex[:8]}"
    qry_no = None
    try:
        paid = client.pay(code=code, amount=args.amount, total_amount=args.amount,
                          subject="Demo sale", sel_order_no=sel_order_no)
    except starpos.StarposError as e:
        report("[3] pubSigPay", e)
        if not e.in_doubt:
            # INVALID_ARGUMENT, CONNECT (nothing sent) or GATEWAY (refused): no money moved.
            return EXIT_FAILED
        print(f"[3b] pay outcome unknown: querying selOrderNo {sel_order_no} instead of resending")
        qry_no = sel_order_no
    else:
        print(f"[3] pubSigPay: OK, logNo {paid.log_no}, result {paid.result}, "
              f"amount {paid.amount} fen")
        qry_no = paid.log_no
        # 4. The parameters for WeixinJSBridge.invoke('getBrandWCPayRequest', ...).
        try:
            page = json.dumps(starpos.jsapi_params(paid), separators=(",", ":"))
            print(f"[4] jsapi params for the H5 page: {page}")
        except starpos.StarposError as e:
            report("[4] jsapi params", e)  # the pay went through all the same: go on

    # 5. Query until final.
    try:
        order = client.wait(qry_no, interval_ms=args.interval_ms, deadline_ms=args.deadline_ms)
    except starpos.TimeoutError_ as e:
        report("[5] wait", e)
        last = e.response.result if e.response else None
        print(f"[5] order {qry_no} still not final (last answer: {last}): keep it open and query "
              "it later; do not hand over the goods, do not pay again")
        return EXIT_IN_DOUBT
    except starpos.StarposError as e:
        report("[5] wait", e)
        return EXIT_IN_DOUBT if qry_no == sel_order_no else EXIT_FAILED
    print(f"[5] order final: result {order.result}, payChannel {order.pay_channel}, "
          f"orderNo {order.order_no}, amount {order.amount} fen")
    print(f"sale result: {order.result}")
    if order.result != "S":
        return EXIT_FAILED

    # 6. Refund all of it, by the channel order number the query reported.
    try:
        refund = client.refund(order.order_no)
    except starpos.StarposError as e:
        report("[6] refund", e)
        if not e.in_doubt:
            return EXIT_FAILED
        # The refund may have been made: query its tradeNo, never resend blindly.
        trade_no = e.response.trade_no if e.response else ""
        print(f"[6b] refund outcome unknown: querying tradeNo {trade_no}, not resending")
        try:
            print(f"[6b] query: result {client.query(trade_no).result}")
        except starpos.StarposError as e2:
            report("[6b] query", e2)
        return EXIT_IN_DOUBT
    print(f"[6] refund: OK, result {refund.result}, txnAmt {refund.txn_amt} fen, "
          f"tradeNo {refund.trade_no}, logNo {refund.log_no}")
    print(f"refund result: {refund.result}")
    if refund.result != "S":
        return EXIT_IN_DOUBT if refund.result == "Z" else EXIT_FAILED

    status = counter_sale(client, args)
    if status == 0:
        print("done: sale S, refund S, counter sale S, counter refund S")
    return status


def counter_sale(client, args):
    """Steps 7 and 8: a barcode sale at the counter, paid and queried until final by the
    library, then refunded. Returns the exit status."""
    # A WeChat payment code is 18 digits from 10-15; the simulator reads the last digit as
    # what the payer does (1: enters a password, then pays).
    auth_code = args.auth_code or "13" + str(uuid.uuid4().int)[:15] + "1"
    try:
        sale = client.barcode_sale(auth_code, args.amount, subject="Demo counter sale",
                                   interval_ms=args.interval_ms, deadline_ms=args.deadline_ms)
    except starpos.StarposError as e:
        report("[7] counter sale", e)
        if not e.in_doubt:
            return EXIT_FAILED  # refused, or nothing sent: no money moved
        # The money may have moved: the tradeNo is the handle. Never scan and pay again.
        print(f"[7b] counter sale outcome unknown: query tradeNo {e.trade_no} later; do not "
              "pay again")
        return EXIT_IN_DOUBT
    print(f"[7] counter sale: result {sale.result}, tradeNo {sale.trade_no}, "
          f"orderNo {sale.order_no}, amount {sale.amount} fen")
    if sale.result != "S":
        return EXIT_FAILED
    try:
        refund = client.refund(sale.order_no)
    except starpos.StarposError as e:
        report("[8] counter refund", e)
        return EXIT_IN_DOUBT if e.in_doubt else EXIT_FAILED
    print(f"[8] counter refund: result {refund.result}, txnAmt {refund.txn_amt} fen")
    if refund.result != "S":
        return EXIT_IN_DOUBT if refund.result == "Z" else EXIT_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())
