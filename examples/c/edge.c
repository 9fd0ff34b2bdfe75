/*
 * edge.c: what libstarpos does with bad input through the C ABI: NULL pointers, missing
 * fields, buffers too small. Every case must come back INVALID_ARGUMENT (nothing sent) with
 * words that name the field, or the size needed. Also checks the status helpers and the
 * signature helpers against the gateway documentation's worked example.
 *
 * Needs no gateway: the configured URL points at a closed port (127.0.0.1:9); only the logger
 * check tries to connect there, and expects that to fail.
 *
 * Usage: edge            Exit status: 0 when every check passed, 1 otherwise.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "starpos.h"

static int checks = 0;
static int failures = 0;

/* Records one check: prints "ok" or "FAIL" with what was seen. */
static void expect(int passed, const char *what, const char *seen)
{
    checks++;
    if (passed) {
        printf("ok   %s\n", what);
    } else {
        failures++;
        printf("FAIL %s (got: %s)\n", what, seen);
    }
}

/*
 * Checks status == want and that text contains needle (when needle is not NULL). text may be
 * starpos_last_error(), valid only until the next call into the library: copied first.
 */
static void expect_status(const char *what, starpos_status st, starpos_status want,
                          const char *text, const char *needle)
{
    char copy[STARPOS_ERROR_SIZE];
    char seen[STARPOS_ERROR_SIZE + 64];
    snprintf(copy, sizeof copy, "%s", text);
    snprintf(seen, sizeof seen, "%s, \"%s\"", starpos_status_str((int)st), copy);
    expect(st == want && (needle == NULL || strstr(copy, needle) != NULL), what, seen);
}

/* A configuration that is valid but points at a port nobody listens on (discard, 9). */
static starpos_config valid_config(void)
{
    starpos_config cfg = {0};
    cfg.base_url = "http://127.0.0.1:9/adpweb/ehpspos3/";
    cfg.org_no = "489";
    cfg.merc_id = "800290000007906";
    cfg.trm_no = "XB006439";
    cfg.key = "9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A";
    return cfg;
}

static void check_helpers(void)
{
    char seen[64];
    expect(strcmp(starpos_status_str(STARPOS_OK), "OK") == 0, "status_str(0) is OK",
           starpos_status_str(STARPOS_OK));
    expect(strcmp(starpos_status_str(STARPOS_ERR_INVALID_ARGUMENT), "INVALID_ARGUMENT") == 0,
           "status_str(1) is INVALID_ARGUMENT", starpos_status_str(1));
    expect(strcmp(starpos_status_str(STARPOS_ERR_GATEWAY), "GATEWAY") == 0,
           "status_str(7) is GATEWAY", starpos_status_str(7));
    expect(strcmp(starpos_status_str(99), "UNKNOWN") == 0, "status_str(99) is UNKNOWN",
           starpos_status_str(99));
    expect(strcmp(starpos_status_str(-1), "UNKNOWN") == 0, "status_str(-1) is UNKNOWN",
           starpos_status_str(-1));
    snprintf(seen, sizeof seen, "%d%d%d%d%d%d%d%d%d", starpos_status_in_doubt(0),
             starpos_status_in_doubt(1), starpos_status_in_doubt(2), starpos_status_in_doubt(3),
             starpos_status_in_doubt(4), starpos_status_in_doubt(5), starpos_status_in_doubt(6),
             starpos_status_in_doubt(7), starpos_status_in_doubt(8));
    expect(strcmp(seen, "000111101") == 0 && !starpos_status_in_doubt(99),
           "in_doubt: TIMEOUT HTTP PROTOCOL SIGNATURE INTERNAL only", seen);
    expect(strchr(starpos_version(), '.') != NULL, "version looks like one", starpos_version());
}

static void check_null_pointers(void)
{
    starpos_config cfg = valid_config();
    starpos_config no_key = valid_config();
    starpos_config bad_flags = valid_config();
    starpos_qry_response qry;
    starpos_pay_request pay_req = {0};
    starpos_pay_response pay;
    starpos_query_request query_req = {0};
    starpos_query_response query;
    starpos_refund_request refund_req = {0};
    starpos_refund_response refund;
    starpos_status st;
    char answer[256];

    st = starpos_qry(NULL, NULL, &qry);
    expect_status("qry: config NULL", st, STARPOS_ERR_INVALID_ARGUMENT, qry.error, "config");
    expect_status("qry: last_error repeats it", st, STARPOS_ERR_INVALID_ARGUMENT,
                  starpos_last_error(), "config");

    st = starpos_qry(&cfg, NULL, NULL);
    expect_status("qry: response NULL", st, STARPOS_ERR_INVALID_ARGUMENT, starpos_last_error(),
                  "response");

    no_key.key = NULL;
    st = starpos_qry(&no_key, NULL, &qry);
    expect_status("qry: config.key NULL", st, STARPOS_ERR_INVALID_ARGUMENT, qry.error, "key");

    bad_flags.flags = 0x80;
    st = starpos_qry(&bad_flags, NULL, &qry);
    expect_status("qry: unknown flags", st, STARPOS_ERR_INVALID_ARGUMENT, qry.error, "flags");

    st = starpos_pay(&cfg, NULL, &pay);
    expect_status("pay: request NULL", st, STARPOS_ERR_INVALID_ARGUMENT, pay.error, "request");

    pay_req.amount = 100;
    pay_req.total_amount = 100;
    st = starpos_pay(&cfg, &pay_req, &pay);
    expect_status("pay: code and openid NULL", st, STARPOS_ERR_INVALID_ARGUMENT, pay.error,
                  "code");

    pay_req.code = "abc";
    pay_req.amount = 101;
    st = starpos_pay(&cfg, &pay_req, &pay);
    expect_status("pay: amount > total_amount", st, STARPOS_ERR_INVALID_ARGUMENT, pay.error,
                  "amount");
    expect(!starpos_status_in_doubt((int)st), "pay: INVALID_ARGUMENT is not in doubt",
           starpos_status_str((int)st));

    st = starpos_query(&cfg, &query_req, &query);
    expect_status("query: qry_no NULL", st, STARPOS_ERR_INVALID_ARGUMENT, query.error,
                  "qry_no");

    st = starpos_refund(&cfg, &refund_req, &refund);
    expect_status("refund: order_no NULL", st, STARPOS_ERR_INVALID_ARGUMENT, refund.error,
                  "order_no");

    st = starpos_wait(&cfg, NULL, 10, 10, &query);
    expect_status("wait: qry_no NULL", st, STARPOS_ERR_INVALID_ARGUMENT, query.error, "qry_no");

    st = starpos_call(&cfg, NULL, "{}", answer, sizeof answer);
    expect_status("call: endpoint NULL", st, STARPOS_ERR_INVALID_ARGUMENT, answer, "endpoint");

    st = starpos_call(&cfg, "pubSigQry", "{}", NULL, 0);
    expect_status("call: answer buffer NULL", st, STARPOS_ERR_INVALID_ARGUMENT,
                  starpos_last_error(), "NULL");

    st = starpos_verify_json(NULL, cfg.key);
    expect_status("verify_json: json NULL", st, STARPOS_ERR_INVALID_ARGUMENT,
                  starpos_last_error(), "json_object");

    st = starpos_wechat_jsapi_params(NULL, answer, sizeof answer);
    expect_status("jsapi_params: pay NULL", st, STARPOS_ERR_INVALID_ARGUMENT, answer,
                  "pay_response");

    memset(&pay, 0, sizeof pay);
    st = starpos_wechat_jsapi_params(&pay, answer, sizeof answer);
    expect_status("jsapi_params: empty pay response", st, STARPOS_ERR_INVALID_ARGUMENT, answer,
                  "apiAppid");

    st = starpos_wechat_oauth_url(NULL, "https://shop.example/cb", NULL, answer, sizeof answer);
    expect_status("oauth_url: app_id NULL", st, STARPOS_ERR_INVALID_ARGUMENT, answer, "app_id");

    st = starpos_wechat_oauth_url("wx1a2b3c4d5e6f7a8b", "https://shop.example/cb", "not ok",
                                  answer, sizeof answer);
    expect_status("oauth_url: state with a space", st, STARPOS_ERR_INVALID_ARGUMENT, answer,
                  "state");
}

/*
 * A buffer too small: INVALID_ARGUMENT, the size needed in words, and nothing written past
 * out_len (the bytes after it keep their canary value).
 */
static void check_small_buffer(const char *what, starpos_status st, const char *buf,
                               size_t out_len, size_t needed)
{
    char needle[64];
    char seen[128];
    size_t i;
    int intact = 1;
    snprintf(needle, sizeof needle, "%lu bytes are needed", (unsigned long)needed);
    expect_status(what, st, STARPOS_ERR_INVALID_ARGUMENT, starpos_last_error(), needle);
    for (i = out_len; i < out_len + 16; i++) {
        intact &= buf[i] == '#';
    }
    /* buf may lack its NUL when the check fails: print at most out_len + 16 bytes of it. */
    snprintf(seen, sizeof seen, "%.*s", (int)(out_len + 16), buf);
    expect(intact && memchr(buf, '\0', out_len) != NULL,
           "  ... NUL-terminated inside out_len, nothing written past it", seen);
}

static void check_buffers(void)
{
    starpos_pay_response pay;
    starpos_status st;
    char full[1024];
    char small[64];
    char signature[33];
    size_t needed;
    const char *example =
        "{\"amount\":\"1\",\"authCode\":\"130219205322723729\",\"characterSet\":\"00\","
        "\"mercId\":\"800290000000441\",\"opSys\":\"3\",\"orgNo\":\"489\","
        "\"payChannel\":\"WXPAY\",\"signType\":\"MD5\",\"total_amount\":\"1\","
        "\"tradeNo\":\"20170804103115431251\",\"trmNo\":\"95006888\","
        "\"txnTime\":\"20170804103115\",\"version\":\"V1.0.0\",\"signValue\":\"\"}";
    const char *example_key = "Pz5meIuUxRKcF7rlvPglliyfwvC9vhjGcBy61WHM00Qfwz0E6yTTLwgxJsFYE9IQ";

    st = starpos_wechat_oauth_url("wx1a2b3c4d5e6f7a8b", "https://shop.example/cb?t=1", "abc123",
                                  full, sizeof full);
    expect_status("oauth_url: fits in 1024 bytes", st, STARPOS_OK, full, "redirect_uri=https%3A");
    expect(strcmp(starpos_last_error(), "") == 0, "last_error is empty after success",
           starpos_last_error());
    needed = strlen(full) + 1;
    memset(small, '#', sizeof small);
    st = starpos_wechat_oauth_url("wx1a2b3c4d5e6f7a8b", "https://shop.example/cb?t=1", "abc123",
                                  small, 16);
    check_small_buffer("oauth_url: 16 bytes is too small", st, small, 16, needed);
    expect_status("  ... the buffer holds the words too", st, STARPOS_ERR_INVALID_ARGUMENT,
                  small, "out_len");

    memset(small, '#', sizeof small);
    st = starpos_wechat_oauth_url("wx1a2b3c4d5e6f7a8b", "https://shop.example/cb?t=1", "abc123",
                                  small, needed - 1);
    expect_status("oauth_url: one byte short", st, STARPOS_ERR_INVALID_ARGUMENT,
                  starpos_last_error(), "bytes are needed");

    memset(&pay, 0, sizeof pay);
    strcpy(pay.api_appid, "wx1a2b3c4d5e6f7a8b");
    strcpy(pay.api_timestamp, "1700000000");
    strcpy(pay.api_noncestr, "n0nce");
    strcpy(pay.api_package, "prepay_id=wx2017");
    strcpy(pay.api_signtype, "MD5");
    strcpy(pay.api_paysign, "C380BEC2BFD727A4B6845133519F3AD6");
    st = starpos_wechat_jsapi_params(&pay, full, sizeof full);
    expect_status("jsapi_params: from a filled response", st, STARPOS_OK, full,
                  "\"package\":\"prepay_id=wx2017\"");
    needed = strlen(full) + 1;
    memset(small, '#', sizeof small);
    st = starpos_wechat_jsapi_params(&pay, small, 32);
    check_small_buffer("jsapi_params: 32 bytes is too small", st, small, 32, needed);

    memset(small, '#', sizeof small);
    st = starpos_wechat_oauth_url("wx1a2b3c4d5e6f7a8b", "https://shop.example/cb", NULL, small, 0);
    expect_status("oauth_url: out_len 0", st, STARPOS_ERR_INVALID_ARGUMENT, starpos_last_error(),
                  "out_len");
    expect(small[0] == '#', "  ... nothing written", small[0] == '#' ? "#" : "a write");

    st = starpos_sign_json(example, example_key, signature);
    expect_status("sign_json: the documentation's worked example", st, STARPOS_OK, signature,
                  "a8fda4082fbdd3e3ff679097cd4fae72");
    st = starpos_sign_json(example, example_key, NULL);
    expect_status("sign_json: signature NULL", st, STARPOS_ERR_INVALID_ARGUMENT,
                  starpos_last_error(), "NULL");
    st = starpos_sign_json(example, NULL, signature);
    expect_status("sign_json: key NULL", st, STARPOS_ERR_INVALID_ARGUMENT, signature, "key");
    st = starpos_sign_json("[1,2]", example_key, signature);
    expect_status("sign_json: not an object", st, STARPOS_ERR_INVALID_ARGUMENT,
                  starpos_last_error(), NULL);
    st = starpos_verify_json(example, example_key);
    expect_status("verify_json: empty signValue is SIGNATURE", st, STARPOS_ERR_SIGNATURE,
                  starpos_status_str((int)st), NULL);
}

/* What the test logger saw. */
static int log_count = 0;
static char log_last[512];

static void count_logs(int32_t level, const char *message, void *userdata)
{
    (void)level;
    *(int *)userdata += 1;
    snprintf(log_last, sizeof log_last, "%s", message);
}

/*
 * The logger: installed, it hears about a call that fails to connect (127.0.0.1:9) without the
 * key; removed (NULL), it hears nothing more.
 */
static void check_logger(void)
{
    starpos_config cfg = valid_config();
    starpos_qry_response qry;
    starpos_status st;
    int before;
    cfg.connect_timeout_ms = 2000;
    cfg.timeout_ms = 2000;
    starpos_set_logger(count_logs, &log_count);
    st = starpos_qry(&cfg, NULL, &qry);
    expect(st != STARPOS_OK, "logger: qry to a closed port fails", starpos_status_str((int)st));
    expect(log_count > 0 && strstr(log_last, "pubSigQry") != NULL,
           "logger: the failed call was logged", log_last);
    expect(strstr(log_last, cfg.key) == NULL, "logger: the key is not in the log", log_last);
    starpos_set_logger(NULL, NULL);
    before = log_count;
    st = starpos_qry(&cfg, NULL, &qry);
    expect(st != STARPOS_OK && log_count == before, "logger: NULL turns it off", log_last);
}

/* The counter sales and the journal: bad input is refused before anything is sent. */
static void check_counter_and_journal(void)
{
    starpos_config cfg = valid_config();
    starpos_config bad_typ = valid_config();
    starpos_barcode_pay_request scan = {0};
    starpos_barcode_pay_response paid;
    starpos_qr_pay_request qr = {0};
    starpos_qr_pay_response made;
    starpos_query_response done;
    starpos_status st;

    expect(strcmp(starpos_status_str(STARPOS_ERR_JOURNAL), "JOURNAL") == 0,
           "status_str(9) is JOURNAL", starpos_status_str(9));
    expect(!starpos_status_in_doubt(STARPOS_ERR_JOURNAL), "JOURNAL is not in doubt",
           "nothing was sent");

    st = starpos_barcode_pay(&cfg, NULL, &paid);
    expect_status("barcode_pay: request NULL", st, STARPOS_ERR_INVALID_ARGUMENT, paid.error,
                  "request");
    scan.amount = 100;
    scan.total_amount = 100;
    st = starpos_barcode_pay(&cfg, &scan, &paid);
    expect_status("barcode_pay: auth_code NULL", st, STARPOS_ERR_INVALID_ARGUMENT, paid.error,
                  "auth_code");
    scan.auth_code = "999";
    st = starpos_barcode_pay(&cfg, &scan, &paid);
    expect_status("barcode_pay: a code of no known shape needs pay_channel", st,
                  STARPOS_ERR_INVALID_ARGUMENT, paid.error, "pay_channel");
    expect(paid.trade_no[0] == '\0', "barcode_pay: no trade_no for an invalid request",
           paid.trade_no);
    st = starpos_barcode_sale(&cfg, &scan, 0, 0, NULL);
    expect_status("barcode_sale: out NULL", st, STARPOS_ERR_INVALID_ARGUMENT,
                  starpos_last_error(), "response");
    st = starpos_barcode_sale(&cfg, &scan, 0, 0, &done);
    expect_status("barcode_sale: bad code", st, STARPOS_ERR_INVALID_ARGUMENT, done.error,
                  "pay_channel");

    qr.amount = 100;
    qr.total_amount = 100;
    st = starpos_qr_pay(&cfg, &qr, &made);
    expect_status("qr_pay: pay_channel NULL", st, STARPOS_ERR_INVALID_ARGUMENT, made.error,
                  "pay_channel");
    bad_typ.trm_typ = "X";
    qr.pay_channel = "WXPAY";
    st = starpos_qr_pay(&bad_typ, &qr, &made);
    expect_status("qr_pay: trm_typ X", st, STARPOS_ERR_INVALID_ARGUMENT, made.error, "trm_typ");

    st = starpos_recover(&cfg, 0, NULL, NULL);
    expect_status("recover: no journal_path", st, STARPOS_ERR_INVALID_ARGUMENT,
                  starpos_last_error(), "journal_path");
    cfg.journal_path = "/";
    st = starpos_journal_list(&cfg, NULL, NULL);
    expect_status("journal_list: callback NULL", st, STARPOS_ERR_INVALID_ARGUMENT,
                  starpos_last_error(), "callback");
}

int main(void)
{
    printf("libstarpos %s\n", starpos_version());
    check_helpers();
    check_null_pointers();
    check_buffers();
    check_logger();
    check_counter_and_journal();
    printf("edge: %d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
