/* Shared by the benchmark programs in bench/c: MD5 (a small public-domain implementation of
 * RFC 1321, written for this file), the StarPOS signature over flat (name, value) fields, a
 * minimal parser for the gateway's flat JSON answers, percent-decoding, clocks, a latency
 * recorder and the loop that drives N threads for a fixed time.
 *
 * This is what a firmware team writing the integration without the library would need: it is
 * compiled into curl_baseline.c (the baseline), raw_floor.c (to precompute its one request)
 * and fixed_server.c (to sign its one canned answer).
 *
 * Public domain (CC0): copy it freely. */
#ifndef STARPOS_BENCH_COMMON_H
#define STARPOS_BENCH_COMMON_H

#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Every function here is static; not every program uses all of them. */
#define BENCH_FN static __attribute__((unused))

/* ---------------------------------------------------------------- MD5 (RFC 1321) */

typedef struct {
    uint32_t a, b, c, d;
    uint64_t len;
    unsigned char buf[64];
    size_t fill;
} md5_ctx;

#define MD5_ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

BENCH_FN void md5_block(md5_ctx *m, const unsigned char *p) {
    static const uint32_t K[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
        0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
        0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
        0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
        0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
        0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
        0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
        0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391};
    static const unsigned char R[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                        5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
               (uint32_t)p[4 * i + 3] << 24;
    uint32_t a = m->a, b = m->b, c = m->c, d = m->d;
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = i;
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = (5 * i + 1) & 15;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3 * i + 5) & 15;
        } else {
            f = c ^ (b | ~d);
            g = (7 * i) & 15;
        }
        uint32_t t = d;
        d = c;
        c = b;
        b = b + MD5_ROTL(a + f + K[i] + w[g], R[i]);
        a = t;
    }
    m->a += a;
    m->b += b;
    m->c += c;
    m->d += d;
}

BENCH_FN void md5_init(md5_ctx *m) {
    m->a = 0x67452301;
    m->b = 0xefcdab89;
    m->c = 0x98badcfe;
    m->d = 0x10325476;
    m->len = 0;
    m->fill = 0;
}

BENCH_FN void md5_update(md5_ctx *m, const void *data, size_t n) {
    const unsigned char *p = data;
    m->len += n;
    if (m->fill) {
        size_t take = 64 - m->fill < n ? 64 - m->fill : n;
        memcpy(m->buf + m->fill, p, take);
        m->fill += take;
        p += take;
        n -= take;
        if (m->fill < 64) return;
        md5_block(m, m->buf);
        m->fill = 0;
    }
    for (; n >= 64; n -= 64, p += 64) md5_block(m, p);
    memcpy(m->buf, p, n);
    m->fill = n;
}

/* Writes the digest as 32 lower-case hex characters and a NUL. */
BENCH_FN void md5_final_hex(md5_ctx *m, char out[33]) {
    uint64_t bits = m->len * 8;
    unsigned char pad = 0x80, zero = 0, lenb[8];
    md5_update(m, &pad, 1);
    while (m->fill != 56) md5_update(m, &zero, 1);
    for (int i = 0; i < 8; i++) lenb[i] = (unsigned char)(bits >> (8 * i));
    md5_update(m, lenb, 8);
    uint32_t v[4] = {m->a, m->b, m->c, m->d};
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        unsigned char byte = (unsigned char)(v[i / 4] >> (8 * (i % 4)));
        out[2 * i] = hex[byte >> 4];
        out[2 * i + 1] = hex[byte & 15];
    }
    out[32] = 0;
}

/* ---------------------------------------------------------------- the StarPOS signature */

typedef struct {
    const char *name;
    const char *value;
} field;

BENCH_FN int field_cmp(const void *x, const void *y) {
    const field *a = x, *b = y;
    int c = strcasecmp(a->name, b->name);
    return c ? c : strcmp(a->name, b->name);
}

/* Spec section 2: skip signValue, order by lower-cased name, concatenate the values without
 * spaces, append the key, MD5, lower-case hex. Sorts `f` in place. */
BENCH_FN void starpos_sign(field *f, size_t n, const char *key, char out[33]) {
    qsort(f, n, sizeof *f, field_cmp);
    md5_ctx m;
    md5_init(&m);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(f[i].name, "signValue") == 0) continue;
        const char *v = f[i].value, *start = v;
        for (; *v; v++) {
            if (*v == ' ') {
                if (v > start) md5_update(&m, start, (size_t)(v - start));
                start = v + 1;
            }
        }
        if (v > start) md5_update(&m, start, (size_t)(v - start));
    }
    md5_update(&m, key, strlen(key));
    md5_final_hex(&m, out);
}

/* Appends "name":"value" to a JSON object being built in buf (values here never need escaping:
 * the caller's fields are ASCII identifiers, digits and plain text). Returns the new length. */
BENCH_FN size_t json_put(char *buf, size_t len, size_t cap, const char *name, const char *value) {
    int n = snprintf(buf + len, cap - len, "%s\"%s\":\"%s\"", len > 1 ? "," : "", name, value);
    return n < 0 || (size_t)n >= cap - len ? cap : len + (size_t)n;
}

/* ---------------------------------------------------------------- the answer */

/* Decodes %XX and '+' in place. Returns 0, or -1 on a broken escape. */
BENCH_FN int percent_decode(char *s) {
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == '%') {
            if (!isxdigit((unsigned char)r[1]) || !isxdigit((unsigned char)r[2])) return -1;
            char hex[3] = {r[1], r[2], 0};
            *w++ = (char)strtol(hex, NULL, 16);
            r += 2;
        } else {
            *w++ = *r == '+' ? ' ' : *r;
        }
    }
    *w = 0;
    return 0;
}

#define MAX_FIELDS 64

/* A minimal parser for the gateway's answers: one flat JSON object whose values are strings
 * (numbers, true/false/null are kept as their text). Works in place on `s` (NUL-terminated
 * copies of names and values are written over the JSON). Handles the escapes \" \\ \/ \b \f
 * \n \r \t and \uXXXX (to UTF-8, surrogate pairs included). Returns the number of fields, or -1
 * when the text is not such an object. */
BENCH_FN int json_parse_flat(char *s, field *out, int max) {
    static char empty[1];
    int n = 0;
    char *p = s;
#define SKIP_WS() while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++
    SKIP_WS();
    if (*p++ != '{') return -1;
    SKIP_WS();
    if (*p == '}') return 0;
    for (;;) {
        char *parts[2];
        for (int k = 0; k < 2; k++) {
            SKIP_WS();
            if (*p == '"') {
                char *w = ++p;
                parts[k] = w;
                for (;;) {
                    char ch = *p++;
                    if (ch == 0) return -1;
                    if (ch == '"') break;
                    if (ch != '\\') {
                        *w++ = ch;
                        continue;
                    }
                    ch = *p++;
                    switch (ch) {
                    case '"': case '\\': case '/': *w++ = ch; break;
                    case 'b': *w++ = '\b'; break;
                    case 'f': *w++ = '\f'; break;
                    case 'n': *w++ = '\n'; break;
                    case 'r': *w++ = '\r'; break;
                    case 't': *w++ = '\t'; break;
                    case 'u': {
                        unsigned cp = 0;
                        for (int i = 0; i < 4; i++) {
                            if (!isxdigit((unsigned char)p[i])) return -1;
                            cp = cp * 16 + (unsigned)(isdigit((unsigned char)p[i]) ? p[i] - '0' : (tolower((unsigned char)p[i]) - 'a' + 10));
                        }
                        p += 4;
                        if (cp >= 0xD800 && cp < 0xDC00 && p[0] == '\\' && p[1] == 'u') {
                            unsigned lo = (unsigned)strtoul((char[5]){p[2], p[3], p[4], p[5], 0}, NULL, 16);
                            if (lo >= 0xDC00 && lo < 0xE000) {
                                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                                p += 6;
                            }
                        }
                        if (cp < 0x80) *w++ = (char)cp;
                        else if (cp < 0x800) { *w++ = (char)(0xC0 | cp >> 6); *w++ = (char)(0x80 | (cp & 63)); }
                        else if (cp < 0x10000) { *w++ = (char)(0xE0 | cp >> 12); *w++ = (char)(0x80 | ((cp >> 6) & 63)); *w++ = (char)(0x80 | (cp & 63)); }
                        else { *w++ = (char)(0xF0 | cp >> 18); *w++ = (char)(0x80 | ((cp >> 12) & 63)); *w++ = (char)(0x80 | ((cp >> 6) & 63)); *w++ = (char)(0x80 | (cp & 63)); }
                        break;
                    }
                    default: return -1;
                    }
                }
                *w = 0; /* w < p: the closing quote's place or earlier */
            } else if (k == 1 && *p && strchr("-0123456789tfn", *p)) {
                /* A number or literal: its text, moved one byte back over the ':' or space
                 * before it so that a NUL fits without overwriting the delimiter after it. */
                char *start = p;
                while (*p && !strchr(",} \t\r\n", *p)) p++;
                size_t len = (size_t)(p - start);
                memmove(start - 1, start, len);
                start[len - 1] = 0;
                parts[k] = start - 1;
                if (strcmp(parts[k], "null") == 0) parts[k] = empty;
            } else {
                return -1;
            }
            if (k == 0) {
                SKIP_WS();
                if (*p++ != ':') return -1;
            }
        }
        if (n == max) return -1;
        out[n].name = parts[0];
        out[n].value = parts[1];
        n++;
        SKIP_WS();
        char d = *p++;
        if (d == ',') continue;
        if (d == '}') return n;
        return -1;
    }
#undef SKIP_WS
}

BENCH_FN const char *field_get(const field *f, int n, const char *name) {
    for (int i = 0; i < n; i++)
        if (strcmp(f[i].name, name) == 0) return f[i].value;
    return NULL;
}

/* Verifies a parsed answer (message percent-decoded first, as the gateway signs it): 0 when
 * signValue is present and right. Reorders `f`. */
BENCH_FN int starpos_verify(field *f, int n, const char *key) {
    const char *sig = NULL;
    for (int i = 0; i < n; i++) {
        if (strcmp(f[i].name, "signValue") == 0) sig = f[i].value;
        if (strcmp(f[i].name, "message") == 0 && percent_decode((char *)f[i].value) != 0) return -1;
    }
    if (!sig || strlen(sig) != 32) return -1;
    char want[33];
    starpos_sign(f, (size_t)n, key, want);
    unsigned diff = 0;
    for (int i = 0; i < 32; i++) diff |= (unsigned)(tolower((unsigned char)sig[i]) ^ want[i]);
    return diff ? -1 : 0;
}

/* ---------------------------------------------------------------- clocks and statistics */

BENCH_FN uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The local time as yyyyMMddHHmmss. */
BENCH_FN void txn_time_now(char out[15]) {
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 15, "%Y%m%d%H%M%S", &tm);
}

typedef struct {
    uint32_t *ns;
    size_t len, cap;
} lat_rec;

BENCH_FN void lat_add(lat_rec *r, uint64_t ns) {
    if (r->len == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1 << 16;
        r->ns = realloc(r->ns, r->cap * sizeof *r->ns);
        if (!r->ns) abort();
    }
    r->ns[r->len++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
}

BENCH_FN int u32_cmp(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* ---------------------------------------------------------------- the driver */

/* What one benchmark program plugs in: per-thread setup, one call (0 = it worked), teardown. */
typedef struct {
    void *(*thread_init)(int index);
    int (*call)(void *state, uint64_t seq);
    void (*thread_done)(void *state);
} bench_ops;

typedef struct {
    const bench_ops *ops;
    int index;
    volatile int *phase; /* 0 warm-up, 1 measuring, 2 stop */
    lat_rec lat;
    uint64_t calls, errors, warm_errors;
    int ready;
} bench_thread;

BENCH_FN void *bench_thread_main(void *arg) {
    bench_thread *t = arg;
    void *state = t->ops->thread_init(t->index);
    __atomic_store_n(&t->ready, 1, __ATOMIC_RELEASE);
    uint64_t seq = 0;
    for (;;) {
        int phase = __atomic_load_n(t->phase, __ATOMIC_ACQUIRE);
        if (phase == 2) break;
        uint64_t t0 = now_ns();
        int rc = t->ops->call(state, ((uint64_t)t->index << 40) | seq++);
        uint64_t t1 = now_ns();
        if (phase == 1 && __atomic_load_n(t->phase, __ATOMIC_ACQUIRE) == 1) {
            t->calls++;
            if (rc) t->errors++;
            lat_add(&t->lat, t1 - t0);
        } else if (rc) {
            t->warm_errors++;
        }
    }
    if (t->ops->thread_done) t->ops->thread_done(state);
    return NULL;
}

/* Runs `threads` threads doing calls for warm_ms then measures for run_ms, and prints one
 * result line: name, threads, calls, calls/s, median and p99 latency in microseconds. */
BENCH_FN int bench_run(const char *name, const bench_ops *ops, int threads, int warm_ms, int run_ms) {
    volatile int phase = 0;
    bench_thread *ts = calloc((size_t)threads, sizeof *ts);
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    for (int i = 0; i < threads; i++) {
        ts[i].ops = ops;
        ts[i].index = i;
        ts[i].phase = &phase;
        if (pthread_create(&ids[i], NULL, bench_thread_main, &ts[i]) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    for (int i = 0; i < threads; i++)
        while (!__atomic_load_n(&ts[i].ready, __ATOMIC_ACQUIRE)) usleep(1000);
    usleep((useconds_t)warm_ms * 1000);
    uint64_t t0 = now_ns();
    __atomic_store_n(&phase, 1, __ATOMIC_RELEASE);
    usleep((useconds_t)run_ms * 1000);
    __atomic_store_n(&phase, 2, __ATOMIC_RELEASE);
    uint64_t t1 = now_ns();
    uint64_t calls = 0, errors = 0, warm_errors = 0;
    size_t total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        calls += ts[i].calls;
        errors += ts[i].errors;
        warm_errors += ts[i].warm_errors;
        total += ts[i].lat.len;
    }
    uint32_t *all = malloc((total ? total : 1) * sizeof *all);
    size_t at = 0;
    for (int i = 0; i < threads; i++) {
        memcpy(all + at, ts[i].lat.ns, ts[i].lat.len * sizeof *all);
        at += ts[i].lat.len;
        free(ts[i].lat.ns);
    }
    qsort(all, total, sizeof *all, u32_cmp);
    double secs = (double)(t1 - t0) / 1e9;
    double median = total ? all[total / 2] / 1000.0 : 0, p99 = total ? all[total * 99 / 100] / 1000.0 : 0;
    printf("RESULT client=%s threads=%d calls=%llu errors=%llu secs=%.3f cps=%.0f median_us=%.1f "
           "p99_us=%.1f\n",
           name, threads, (unsigned long long)calls, (unsigned long long)errors, secs,
           (double)calls / secs, median, p99);
    fflush(stdout);
    if (errors || warm_errors)
        fprintf(stderr, "%s: %llu failed calls (%llu during warm-up)\n", name,
                (unsigned long long)errors, (unsigned long long)warm_errors);
    free(all);
    free(ts);
    free(ids);
    return errors ? 2 : 0;
}

/* `calls` sequential calls on one thread, untimed (for instruction counts under callgrind,
 * which unlike times do not depend on the machine's load); prints "CALLS client=... calls=N
 * errors=E" and returns 2 if any call failed. */
BENCH_FN int bench_sequential(const char *name, const bench_ops *ops, long calls) {
    void *s = ops->thread_init(0);
    long errors = 0;
    for (long i = 1; i <= calls; i++) errors += ops->call(s, (uint64_t)i);
    ops->thread_done(s);
    printf("CALLS client=%s calls=%ld errors=%ld\n", name, calls, errors);
    return errors ? 2 : 0;
}

/* ---------------------------------------------------------------- options */

typedef struct {
    const char *host; /* 127.0.0.1 */
    int port;
    const char *mode;  /* pay | query */
    const char *qry_no;
    const char *key;
    int threads, warm_ms, run_ms;
    int no_keepalive;
    int unique_sel_order_no; /* a new selOrderNo per call (pay against the simulator) */
    long calls; /* > 0: a fixed number of sequential calls instead (memory runs) */
    const char *ca_file; /* set: https:// with this CA (bench/tls_server), else http:// */
} bench_opts;

BENCH_FN void opts_usage(const char *prog) {
    fprintf(stderr,
            "usage: %s --port P [--host H] [--mode pay|query] [--qry-no N] [--key K]\n"
            "          [--threads T] [--warm-ms MS] [--run-ms MS] [--no-keepalive] [--calls N]\n"
            "          [--unique-sel-order-no] [--ca-file PEM (https)]\n",
            prog);
    exit(64);
}

BENCH_FN bench_opts opts_parse(int argc, char **argv) {
    bench_opts o = {"127.0.0.1", 0, "pay", NULL, "9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A", 1, 300, 2000, 0, 0, 0, NULL};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(s) (strcmp(a, s) == 0 && v && (i++, 1))
        if (OPT("--host")) o.host = v;
        else if (OPT("--port")) o.port = atoi(v);
        else if (OPT("--mode")) o.mode = v;
        else if (OPT("--qry-no")) o.qry_no = v;
        else if (OPT("--key")) o.key = v;
        else if (OPT("--threads")) o.threads = atoi(v);
        else if (OPT("--warm-ms")) o.warm_ms = atoi(v);
        else if (OPT("--run-ms")) o.run_ms = atoi(v);
        else if (OPT("--calls")) o.calls = atol(v);
        else if (OPT("--ca-file")) o.ca_file = v;
        else if (strcmp(a, "--no-keepalive") == 0) o.no_keepalive = 1;
        else if (strcmp(a, "--unique-sel-order-no") == 0) o.unique_sel_order_no = 1;
        else opts_usage(argv[0]);
#undef OPT
    }
    if (o.port <= 0 || o.threads <= 0 || (strcmp(o.mode, "pay") && strcmp(o.mode, "query")) ||
        (strcmp(o.mode, "query") == 0 && !o.qry_no))
        opts_usage(argv[0]);
    return o;
}

/* The resident set size now, in KiB (VmRSS from /proc/self/status). */
BENCH_FN long vm_rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kib = atol(line + 6);
    if (f) fclose(f);
    return kib;
}

/* The fields of a pubSigPay request as the library sends them (the same values in every
 * client). `code` is unique per call. `selOrderNo` is BENCH_SEL_ORDER_NO, the one
 * fixed_server's precomputed answer echoes: the library refuses an answer whose selOrderNo or
 * amounts differ from the request's (spec section 9, src/model/bind.rs), and so does the libcurl
 * client. Against the simulator (which takes each selOrderNo once) pay runs need
 * --unique-sel-order-no. */
#define BENCH_ORG_NO "489"
#define BENCH_MERC_ID "800290000007906"
#define BENCH_TRM_NO "XB006439"
#define BENCH_SUBJECT "Latte grande"
#define BENCH_AMOUNT "1234"
#define BENCH_SEL_ORDER_NO "POS20260105093015000042"

/* Writes the fields every request starts with into f[0..6) and returns 6; `txn_time` is the
 * 14-digit local time (txn_time_now). */
BENCH_FN size_t bench_common_fields(field *f, const char *txn_time) {
    size_t n = 0;
    f[n++] = (field){"orgNo", BENCH_ORG_NO};
    f[n++] = (field){"mercId", BENCH_MERC_ID};
    f[n++] = (field){"trmNo", BENCH_TRM_NO};
    f[n++] = (field){"txnTime", txn_time};
    f[n++] = (field){"signType", "MD5"};
    f[n++] = (field){"version", "V1.0.0"};
    return n;
}

#endif
