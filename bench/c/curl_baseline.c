/* curl_baseline: the same work as abi_bench, written the way a firmware team would without
 * this library: libcurl for HTTP (one CURL easy handle per thread, reused, so its connection
 * stays alive), the JSON built with snprintf, the MD5 signature per the spec (common.h: a small
 * public-domain MD5, the canonical string streamed into it), the answer parsed with a minimal
 * hand-written flat-JSON parser (common.h: strings, numbers, literals, escapes), `message`
 * percent-decoded, the signature verified in constant time, `returnCode` and `result` checked.
 *
 * Like the library it validates nothing on input and copies no fields out: it is the baseline
 * for the work that is unavoidable, done with common C tools.
 *
 *   curl_baseline --port P [--mode pay|query] [--qry-no N] [--threads T] [--warm-ms MS]
 *                 [--run-ms MS] [--ca-file PEM]     (--ca-file: https://, against tls_server) */
#include "common.h"

#include <curl/curl.h>

static bench_opts o;
static char pay_url[160], query_url[160];

typedef struct {
    CURL *curl;
    struct curl_slist *headers;
    char *answer;
    size_t answer_len, answer_cap;
    char body[2048];
} state;

static size_t on_data(char *data, size_t size, size_t n, void *arg) {
    state *s = arg;
    size_t len = size * n;
    if (s->answer_len + len + 1 > s->answer_cap) {
        if (s->answer_len + len + 1 > 65536) return 0; /* too large: the transfer fails */
        s->answer_cap = 65536;
        s->answer = realloc(s->answer, s->answer_cap);
    }
    memcpy(s->answer + s->answer_len, data, len);
    s->answer_len += len;
    return len;
}

static void *thread_init(int index) {
    (void)index;
    state *s = calloc(1, sizeof *s);
    s->curl = curl_easy_init();
    s->headers = curl_slist_append(NULL, "Content-Type: application/json;charset=UTF-8");
    curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, s->headers);
    curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(s->curl, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(s->curl, CURLOPT_URL, o.mode[0] == 'p' ? pay_url : query_url);
    curl_easy_setopt(s->curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L); /* threads */
    curl_easy_setopt(s->curl, CURLOPT_TCP_NODELAY, 1L);
    if (o.ca_file) curl_easy_setopt(s->curl, CURLOPT_CAINFO, o.ca_file); /* https (bench/tls_server) */
    s->answer_cap = 4096;
    s->answer = malloc(s->answer_cap);
    return s;
}

static int call(void *arg, uint64_t seq) {
    state *s = arg;
    char tt[15], code[64], sel[48], trade_no[40], sig[33];
    txn_time_now(tt);
    field f[16];
    size_t n = bench_common_fields(f, tt);
    if (o.mode[0] == 'p') {
        snprintf(code, sizeof code, "curl%d%llx%08llx", getpid(), (unsigned long long)now_ns(),
                 (unsigned long long)seq);
        if (o.unique_sel_order_no)
            snprintf(sel, sizeof sel, "C%d-%llx", getpid(), (unsigned long long)seq);
        else
            memcpy(sel, BENCH_SEL_ORDER_NO, sizeof BENCH_SEL_ORDER_NO);
        f[n++] = (field){"code", code};
        f[n++] = (field){"amount", BENCH_AMOUNT};
        f[n++] = (field){"total_amount", BENCH_AMOUNT};
        f[n++] = (field){"subject", BENCH_SUBJECT};
        f[n++] = (field){"selOrderNo", sel};
    } else {
        snprintf(trade_no, sizeof trade_no, "%llu%08llu", (unsigned long long)(now_ns() / 1000),
                 (unsigned long long)(seq % 100000000));
        f[n++] = (field){"opSys", "3"};
        f[n++] = (field){"characterSet", "00"};
        f[n++] = (field){"tradeNo", trade_no};
        f[n++] = (field){"qryNo", o.qry_no};
    }
    size_t len = 1;
    s->body[0] = '{';
    for (size_t i = 0; i < n; i++) len = json_put(s->body, len, sizeof s->body, f[i].name, f[i].value);
    starpos_sign(f, n, o.key, sig);
    len = json_put(s->body, len, sizeof s->body, "signValue", sig);
    if (len + 2 > sizeof s->body) return 1;
    s->body[len++] = '}';
    s->body[len] = 0;

    curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, s->body);
    curl_easy_setopt(s->curl, CURLOPT_POSTFIELDSIZE, (long)len);
    s->answer_len = 0;
    CURLcode rc = curl_easy_perform(s->curl);
    long http = 0;
    curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &http);
    if (rc != CURLE_OK || http != 200) return 1;
    s->answer[s->answer_len] = 0;

    field a[MAX_FIELDS];
    int m = json_parse_flat(s->answer, a, MAX_FIELDS);
    if (m < 0) return 1;
    const char *code_ = field_get(a, m, "returnCode");
    if (!code_ || strcmp(code_, "000000") != 0) return 1;
    if (starpos_verify(a, m, o.key) != 0) return 1;
    const char *result = field_get(a, m, "result");
    if (!result || !*result) return 1;
    if (o.mode[0] == 'p' && (strcmp(result, "A") != 0 || !field_get(a, m, "logNo"))) return 1;
    /* The answer is this request's (spec section 9), as the library checks: the echoed
     * selOrderNo and amounts, when present, are the ones sent. */
    if (o.mode[0] == 'p') {
        const char *echo;
        if ((echo = field_get(a, m, "selOrderNo")) && *echo && strcmp(echo, sel) != 0) return 1;
        if ((echo = field_get(a, m, "amount")) && *echo && strcmp(echo, BENCH_AMOUNT) != 0) return 1;
        if ((echo = field_get(a, m, "total_amount")) && *echo && strcmp(echo, BENCH_AMOUNT) != 0) return 1;
    }
    return 0;
}

static void thread_done(void *arg) {
    state *s = arg;
    curl_slist_free_all(s->headers);
    curl_easy_cleanup(s->curl);
    free(s->answer);
    free(s);
}

int main(int argc, char **argv) {
    o = opts_parse(argc, argv);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *scheme = o.ca_file ? "https" : "http";
    snprintf(pay_url, sizeof pay_url, "%s://%s:%d/adpweb/ehpspos3/pubSigPay.json", scheme, o.host,
             o.port);
    snprintf(query_url, sizeof query_url, "%s://%s:%d/adpweb/ehpspos3/sdkQryBarcodePay.json", scheme,
             o.host, o.port);
    bench_ops ops = {thread_init, call, thread_done};
    const char *name = o.ca_file ? "curl_baseline_https" : "curl_baseline";
    int rc = o.calls > 0 ? bench_sequential(name, &ops, o.calls)
                         : bench_run(name, &ops, o.threads, o.warm_ms, o.run_ms);
    curl_global_cleanup();
    return rc;
}
