/*
 * sale.c: one complete WeChat official-account sale through libstarpos, step by step, the way
 * a terminal's firmware would run it. Copy from here.
 *
 *   1. starpos_qry                   the merchant's official account (appId)
 *   2. starpos_wechat_oauth_url      the link the payer's WeChat opens; WeChat redirects to
 *                                    the shop's callback with ?code=...
 *   3. starpos_pay                   pay with that code; the answer is 'A' (waiting) by design
 *   4. starpos_wechat_jsapi_params   what the H5 page hands to getBrandWCPayRequest
 *   5. starpos_wait                  query the order until it is final ('S', 'F' or 'D')
 *   6. starpos_refund                give the money back (demo), with the channel order_no
 *                                    from step 5
 *
 * The jsapi parameters (4) come before the wait (5) because the payer needs them to pay; the
 * page's "ok" proves nothing, only the order query does.
 *
 * The rule that matters most: when starpos_status_in_doubt(status) is true after a pay or a
 * refund, the money may have moved. Query the order; never send the pay (or refund) again.
 *
 * Usage:
 *   sale [--gateway URL] [--org-no N] [--merc-id N] [--trm-no N] [--key K]
 *        [--code CODE] [--amount FEN] [--interval-ms MS] [--deadline-ms MS] [--verbose]
 *
 * Each of the first five falls back to the environment: STARPOS_GATEWAY, STARPOS_ORG_NO,
 * STARPOS_MERC_ID, STARPOS_TRM_NO, STARPOS_KEY. --code is the OAuth code from the redirect
 * (a unique one is made up when absent, which only a simulator accepts). --verbose installs a
 * logger (starpos_set_logger) that prints what the library does to stderr.
 *
 * Exit status: 0 the sale ended 'S' and the refund 'S'; 1 a step failed or the payment was
 * declined; 2 bad usage; 3 an outcome is still unknown (follow up with a query later).
 *
 * Build: see the Makefile (cc -std=c99 ... sale.c -lstarpos).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "starpos.h"

#define EXIT_FAILED 1
#define EXIT_USAGE 2
#define EXIT_IN_DOUBT 3

/* Where WeChat sends the payer back with ?code=...: the shop's own page. */
#define REDIRECT_URI "https://shop.example/starpos/callback"

struct options {
    const char *gateway;
    const char *org_no;
    const char *merc_id;
    const char *trm_no;
    const char *key;
    const char *code;
    uint64_t amount;
    uint32_t interval_ms;
    uint32_t deadline_ms;
    int verbose;
};

static void usage(FILE *to)
{
    fprintf(to,
            "usage: sale [--gateway URL] [--org-no N] [--merc-id N] [--trm-no N] [--key K]\n"
            "            [--code CODE] [--amount FEN] [--interval-ms MS] [--deadline-ms MS]\n"
            "            [--verbose]\n"
            "env: STARPOS_GATEWAY STARPOS_ORG_NO STARPOS_MERC_ID STARPOS_TRM_NO STARPOS_KEY\n");
}

/* Parses a decimal number into *out; 0 on success. */
static int parse_number(const char *text, uint64_t max, uint64_t *out)
{
    char *end = NULL;
    unsigned long long value;
    if (text == NULL || *text < '0' || *text > '9') {
        return -1;
    }
    value = strtoull(text, &end, 10);
    if (*end != '\0' || value > max) {
        return -1;
    }
    *out = (uint64_t)value;
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    int i;
    uint64_t n;
    o->gateway = getenv("STARPOS_GATEWAY");
    o->org_no = getenv("STARPOS_ORG_NO");
    o->merc_id = getenv("STARPOS_MERC_ID");
    o->trm_no = getenv("STARPOS_TRM_NO");
    o->key = getenv("STARPOS_KEY");
    o->code = NULL;
    o->amount = 1;
    o->interval_ms = 0; /* library default: every 3 s */
    o->deadline_ms = 0; /* library default: 60 s */
    o->verbose = 0;
    for (i = 1; i < argc; i++) {
        const char *name = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
            usage(stdout);
            exit(0);
        }
        if (strcmp(name, "-v") == 0 || strcmp(name, "--verbose") == 0) {
            o->verbose = 1;
            continue;
        }
        if (value == NULL) {
            fprintf(stderr, "sale: %s needs a value\n", name);
            return -1;
        }
        i++;
        if (strcmp(name, "--gateway") == 0) {
            o->gateway = value;
        } else if (strcmp(name, "--org-no") == 0) {
            o->org_no = value;
        } else if (strcmp(name, "--merc-id") == 0) {
            o->merc_id = value;
        } else if (strcmp(name, "--trm-no") == 0) {
            o->trm_no = value;
        } else if (strcmp(name, "--key") == 0) {
            o->key = value;
        } else if (strcmp(name, "--code") == 0) {
            o->code = value;
        } else if (strcmp(name, "--amount") == 0) {
            if (parse_number(value, UINT64_C(9999999999999), &o->amount) != 0 || o->amount == 0) {
                fprintf(stderr, "sale: --amount must be a positive number of fen\n");
                return -1;
            }
        } else if (strcmp(name, "--interval-ms") == 0 || strcmp(name, "--deadline-ms") == 0) {
            if (parse_number(value, UINT32_MAX, &n) != 0) {
                fprintf(stderr, "sale: %s must be a number of milliseconds\n", name);
                return -1;
            }
            if (name[2] == 'i') {
                o->interval_ms = (uint32_t)n;
            } else {
                o->deadline_ms = (uint32_t)n;
            }
        } else {
            fprintf(stderr, "sale: unknown option %s\n", name);
            return -1;
        }
    }
    /* Never fall back to the production gateway by accident: the URL must be given. */
    if (o->gateway == NULL || o->org_no == NULL || o->merc_id == NULL || o->trm_no == NULL ||
        o->key == NULL) {
        fprintf(stderr, "sale: the gateway URL, org_no, merc_id, trm_no and key are required\n");
        return -1;
    }
    return 0;
}

/*
 * A number unique enough for a demo (seconds, clock ticks and a stack address). Real firmware
 * uses its own receipt counter, kept across reboots.
 */
static void make_unique(char *out, size_t size, const char *prefix)
{
    int here = 0;
    unsigned long mix = (unsigned long)clock() ^ (unsigned long)(uintptr_t)&here;
    snprintf(out, size, "%s%lu%06lu", prefix, (unsigned long)time(NULL), mix % 1000000UL);
}

/*
 * The library's log lines (which call went where, its status and time, the gateway's serials;
 * never the key or the OAuth code). Called from whichever thread makes a call.
 */
static void log_to_stderr(int32_t level, const char *message, void *userdata)
{
    static const char *const names[] = {"?", "error", "warn", "info", "debug"};
    (void)userdata;
    fprintf(stderr, "  [starpos %s] %s\n", level >= 1 && level <= 4 ? names[level] : "?",
            message);
}

/* Prints why a step failed: the status, the library's words and the gateway's refusal. */
static void report(const char *step, starpos_status st, const char *error,
                   const char *return_code, const char *message)
{
    fprintf(stderr, "%s failed: %s (%d): %s\n", step, starpos_status_str((int)st), (int)st,
            error);
    if (st == STARPOS_ERR_GATEWAY) {
        fprintf(stderr, "  gateway refused: returnCode %s, message \"%s\"\n", return_code,
                message);
    }
}

static const char *result_str(char result)
{
    switch (result) {
    case 'S': return "S (paid)";
    case 'F': return "F (failed)";
    case 'D': return "D (revoked)";
    case 'A': return "A (waiting for the payer)";
    case 'Z': return "Z (unknown)";
    case 0: return "(none)";
    default: return "(unexpected)";
    }
}

int main(int argc, char **argv)
{
    struct options opt;
    starpos_config cfg = {0};
    starpos_status st;
    starpos_qry_response qry;
    starpos_pay_request pay_req = {0};
    starpos_pay_response pay;
    starpos_query_response order;
    starpos_refund_request refund_req = {0};
    starpos_refund_response refund;
    char oauth_url[1024];
    char jsapi[1024];
    char code[64];
    char sel_order_no[51];
    const char *qry_no;

    /* Line-buffered so the steps and the failures (stderr) stay in order in a log. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("libstarpos %s\n", starpos_version());
    if (parse_options(argc, argv, &opt) != 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    cfg.base_url = opt.gateway;
    cfg.org_no = opt.org_no;
    cfg.merc_id = opt.merc_id;
    cfg.trm_no = opt.trm_no;
    cfg.key = opt.key;
    if (opt.verbose) {
        starpos_set_logger(log_to_stderr, NULL);
    }
    /* connect_timeout_ms, timeout_ms and flags stay 0: the defaults (10 s, 30 s, keep-alive). */

    /* 1. pubSigQry: which official account the payer pays through. Read-only, safe to repeat. */
    st = starpos_qry(&cfg, NULL, &qry);
    if (st != STARPOS_OK) {
        report("[1] pubSigQry", st, qry.error, qry.return_code, qry.message);
        return EXIT_FAILED;
    }
    /* app_id_key is the official account's secret: never print or log it. */
    printf("[1] pubSigQry: OK, appId %s, mercId %s\n", qry.app_id, qry.merc_id);

    /* 2. The OAuth link: shown as a QR code, opened in the payer's WeChat. */
    st = starpos_wechat_oauth_url(qry.app_id, REDIRECT_URI, opt.trm_no, oauth_url,
                                  sizeof oauth_url);
    if (st != STARPOS_OK) {
        /* For the text helpers the words are in the buffer (and in starpos_last_error()). */
        report("[2] oauth link", st, oauth_url, "", "");
        return EXIT_FAILED;
    }
    printf("[2] oauth link: %s\n", oauth_url);
    if (opt.code == NULL) {
        make_unique(code, sizeof code, "demo");
        opt.code = code;
    }
    printf("    the payer came back with code %s\n", opt.code);

    /*
     * 3. pubSigPay. A merchant order number (selOrderNo) lets the order be found even when the
     *    answer to the pay never arrives: that is what step 3b queries.
     */
    make_unique(sel_order_no, sizeof sel_order_no, opt.trm_no);
    pay_req.code = opt.code;
    pay_req.amount = opt.amount;
    pay_req.total_amount = opt.amount;
    pay_req.subject = "Demo sale";
    pay_req.sel_order_no = sel_order_no;
    st = starpos_pay(&cfg, &pay_req, &pay);
    if (st == STARPOS_OK) {
        printf("[3] pubSigPay: OK, logNo %s, result %s, amount %llu fen\n", pay.log_no,
               result_str(pay.result), (unsigned long long)pay.amount);
        qry_no = pay.log_no;

        /* 4. The parameters for WeixinJSBridge.invoke('getBrandWCPayRequest', ...). */
        st = starpos_wechat_jsapi_params(&pay, jsapi, sizeof jsapi);
        if (st != STARPOS_OK) {
            /* The pay went through all the same: carry on to the query. */
            report("[4] jsapi params", st, jsapi, "", "");
        } else {
            printf("[4] jsapi params for the H5 page: %s\n", jsapi);
        }
    } else if (starpos_status_in_doubt((int)st)) {
        /* The request may have been booked: find out, never send the pay again. */
        report("[3] pubSigPay", st, pay.error, pay.return_code, pay.message);
        printf("[3b] pay outcome unknown: querying selOrderNo %s instead of resending\n",
               sel_order_no);
        qry_no = sel_order_no;
    } else {
        /* INVALID_ARGUMENT, CONNECT (nothing was sent) or GATEWAY (refused): no money moved. */
        report("[3] pubSigPay", st, pay.error, pay.return_code, pay.message);
        return EXIT_FAILED;
    }

    /* 5. Query until final. A failed poll (network) does not end the wait; the deadline does. */
    st = starpos_wait(&cfg, qry_no, opt.interval_ms, opt.deadline_ms, &order);
    if (st == STARPOS_ERR_TIMEOUT) {
        report("[5] wait", st, order.error, "", "");
        printf("[5] order %s still not final (last answer: %s): keep it open and query it later; "
               "do not hand over the goods, do not pay again\n",
               qry_no, result_str(order.result));
        return EXIT_IN_DOUBT;
    }
    if (st != STARPOS_OK) {
        report("[5] wait", st, order.error, order.return_code, order.message);
        return qry_no == sel_order_no ? EXIT_IN_DOUBT : EXIT_FAILED;
    }
    printf("[5] order final: result %s, payChannel %s, orderNo %s, amount %llu fen\n",
           result_str(order.result), order.pay_channel, order.order_no,
           (unsigned long long)order.amount);
    if (order.result != 'S') {
        printf("sale result: %c\n", order.result);
        return EXIT_FAILED;
    }
    printf("sale result: S\n");

    /* 6. Refund all of it (txn_amt 0), by the channel order number the query reported. */
    refund_req.order_no = order.order_no;
    refund_req.txn_amt = 0;
    st = starpos_refund(&cfg, &refund_req, &refund);
    if (st != STARPOS_OK) {
        report("[6] refund", st, refund.error, refund.return_code, refund.message);
        if (starpos_status_in_doubt((int)st)) {
            /* The refund may have been made. Query its tradeNo (filled on failure too) before
             * deciding anything; resending blindly could refund twice. An answer that does not
             * know the tradeNo proves nothing either: keep the refund open for a person or a
             * later query. */
            starpos_query_request check = {0};
            starpos_query_response seen;
            check.qry_no = refund.trade_no;
            printf("[6b] refund outcome unknown: querying tradeNo %s, not resending\n",
                   refund.trade_no);
            st = starpos_query(&cfg, &check, &seen);
            if (st == STARPOS_OK) {
                printf("[6b] query: result %s\n", result_str(seen.result));
            } else {
                report("[6b] query", st, seen.error, seen.return_code, seen.message);
            }
            return EXIT_IN_DOUBT;
        }
        return EXIT_FAILED;
    }
    printf("[6] refund: OK, result %c, txnAmt %llu fen, tradeNo %s, logNo %s\n",
           refund.result ? refund.result : '-', (unsigned long long)refund.txn_amt,
           refund.trade_no, refund.log_no);
    printf("refund result: %c\n", refund.result ? refund.result : '-');
    if (refund.result != 'S') {
        /* 'Z': unknown, query it later; 'F': refused by the channel. */
        return refund.result == 'Z' ? EXIT_IN_DOUBT : EXIT_FAILED;
    }
    printf("done: sale S, refund S\n");
    return 0;
}
