/* abi_bench: the library through its C ABI, the way firmware calls it: `starpos_pay` (or
 * `starpos_query`) in a loop, one zero-initialised config shared by every thread, keep-alive
 * (the library's shared pool) unless --no-keepalive (STARPOS_FLAG_NO_KEEPALIVE).
 *
 *   abi_bench --port P [--mode pay|query] [--qry-no N] [--threads T] [--warm-ms MS]
 *             [--run-ms MS] [--no-keepalive]
 *   abi_bench --port P --calls N [--mode ...]     sequential calls; prints VmRSS every 10k calls
 *
 * --host localhost makes the base URL name a host instead of an IP address, as the production
 * URL does, so the library's name lookup is part of every call it makes.
 *
 * Built twice by bench/run.sh: as abi_bench, and with -DCOUNT_MALLOC as abi_bench_count, whose
 * own malloc/calloc/realloc/memalign (which interpose on libc's for the whole process, the
 * library included) count heap allocations, so --calls also prints allocations per call. */
#include "common.h"
#include "starpos.h"

#ifdef COUNT_MALLOC
/* glibc's own entry points, under their internal names. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);
static uint64_t n_alloc, n_realloc;
void *malloc(size_t n) {
    __atomic_fetch_add(&n_alloc, 1, __ATOMIC_RELAXED);
    return __libc_malloc(n);
}
void *calloc(size_t a, size_t b) {
    __atomic_fetch_add(&n_alloc, 1, __ATOMIC_RELAXED);
    return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n) {
    __atomic_fetch_add(p ? &n_realloc : &n_alloc, 1, __ATOMIC_RELAXED);
    return __libc_realloc(p, n);
}
void *memalign(size_t al, size_t n) {
    __atomic_fetch_add(&n_alloc, 1, __ATOMIC_RELAXED);
    return __libc_memalign(al, n);
}
void *aligned_alloc(size_t al, size_t n) { return memalign(al, n); }
int posix_memalign(void **out, size_t al, size_t n) {
    void *p = memalign(al, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
void free(void *p) { __libc_free(p); }
#endif

static bench_opts o;
static starpos_config cfg;
static char base_url[128];

typedef struct {
    int index;
    starpos_pay_request pay;
    starpos_pay_response pay_out;
    starpos_query_request query;
    starpos_query_response query_out;
    char code[64], sel_order_no[48];
} state;

static void *thread_init(int index) {
    state *s = calloc(1, sizeof *s);
    s->index = index;
    s->pay.code = s->code;
    s->pay.amount = 1234;
    s->pay.total_amount = 1234;
    s->pay.subject = BENCH_SUBJECT;
    s->pay.sel_order_no = s->sel_order_no;
    s->query.qry_no = o.qry_no;
    return s;
}

static int call(void *arg, uint64_t seq) {
    state *s = arg;
    starpos_status st;
    if (o.mode[0] == 'p') {
        /* An OAuth code is single-use: a new one per call. selOrderNo: see BENCH_SEL_ORDER_NO. */
        snprintf(s->code, sizeof s->code, "bench%d%llx%08llx", getpid(), (unsigned long long)now_ns(),
                 (unsigned long long)seq);
        if (o.unique_sel_order_no)
            snprintf(s->sel_order_no, sizeof s->sel_order_no, "B%d-%llx", getpid(), (unsigned long long)seq);
        else
            memcpy(s->sel_order_no, BENCH_SEL_ORDER_NO, sizeof BENCH_SEL_ORDER_NO);
        st = starpos_pay(&cfg, &s->pay, &s->pay_out);
        if (st == STARPOS_OK && s->pay_out.result != 'A') st = STARPOS_ERR_PROTOCOL;
    } else {
        st = starpos_query(&cfg, &s->query, &s->query_out);
    }
    if (st != STARPOS_OK) {
        static int told;
        if (!__atomic_exchange_n(&told, 1, __ATOMIC_RELAXED))
            fprintf(stderr, "abi_bench: %s: %s\n", starpos_status_str((int)st), starpos_last_error());
        return 1;
    }
    return 0;
}

static void thread_done(void *s) { free(s); }

int main(int argc, char **argv) {
    o = opts_parse(argc, argv);
    snprintf(base_url, sizeof base_url, "%s://%s:%d/adpweb/ehpspos3/", o.ca_file ? "https" : "http",
             o.host, o.port);
    cfg.ca_file = o.ca_file;
    cfg.base_url = base_url;
    cfg.org_no = BENCH_ORG_NO;
    cfg.merc_id = BENCH_MERC_ID;
    cfg.trm_no = BENCH_TRM_NO;
    cfg.key = o.key;
    cfg.timeout_ms = 10000;
    cfg.flags = o.no_keepalive ? STARPOS_FLAG_NO_KEEPALIVE : 0;
    bench_ops ops = {thread_init, call, thread_done};
    /* abi_keepalive, abi_no_keepalive; "_dns" when the base URL names a host (the library then
     * looks it up); BENCH_NAME replaces "abi" (bench/run.sh: "cand" for a candidate build). */
    char name[64];
    const char *prefix = getenv("BENCH_NAME") ? getenv("BENCH_NAME") : "abi";
    int named_host = strspn(o.host, "0123456789.") != strlen(o.host);
    snprintf(name, sizeof name, "%s_%s%s%s", prefix, o.no_keepalive ? "no_keepalive" : "keepalive",
             named_host ? "_dns" : "", o.ca_file ? "_https" : "");
    if (o.calls <= 0) return bench_run(name, &ops, o.threads, o.warm_ms, o.run_ms);

    /* Memory run: sequential calls, VmRSS every 10k calls (and allocations per call when
     * built with COUNT_MALLOC). */
    void *s = thread_init(0);
    long errors = 0;
    printf("MEM calls=0 vmrss_kib=%ld\n", vm_rss_kib());
    uint64_t t0 = now_ns();
#ifdef COUNT_MALLOC
    uint64_t a0 = 0, r0 = 0;
    long counted_from = o.calls < 2000 ? 0 : 1000;
#endif
    for (long i = 1; i <= o.calls; i++) {
#ifdef COUNT_MALLOC
        if (i == counted_from + 1) {
            a0 = __atomic_load_n(&n_alloc, __ATOMIC_RELAXED);
            r0 = __atomic_load_n(&n_realloc, __ATOMIC_RELAXED);
        }
#endif
        errors += call(s, (uint64_t)i);
        if (i % 10000 == 0) printf("MEM calls=%ld vmrss_kib=%ld\n", i, vm_rss_kib());
    }
    double secs = (double)(now_ns() - t0) / 1e9;
#ifdef COUNT_MALLOC
    double n = (double)(o.calls - counted_from);
    printf("ALLOCS client=%s mode=%s allocs_per_call=%.1f reallocs_per_call=%.1f\n", name, o.mode,
           (double)(__atomic_load_n(&n_alloc, __ATOMIC_RELAXED) - a0) / n,
           (double)(__atomic_load_n(&n_realloc, __ATOMIC_RELAXED) - r0) / n);
#endif
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) printf("MEM peak_vmhwm_kib=%ld\n", atol(line + 6));
    if (f) fclose(f);
    printf("MEM calls=%ld errors=%ld secs=%.2f\n", o.calls, errors, secs);
    thread_done(s);
    return errors ? 2 : 0;
}
