/* raw_floor: the floor for one call over loopback. Each thread opens one kept-alive TCP
 * connection, then per call writes the same precomputed request bytes (one signed pubSigPay or
 * sdkQryBarcodePay, headers and body in one write) and reads the answer: headers up to the
 * blank line, then Content-Length bytes. No signing, no parsing beyond that, no verification:
 * what is left is the kernel and the server.
 *
 *   raw_floor --port P [--mode pay|query] [--qry-no N] [--threads T] [--warm-ms MS] [--run-ms MS]
 *             [--like-ureq]
 *
 * --like-ureq is a diagnostic: the same bytes, but sent with the system calls ureq 3 makes on a
 * pooled connection (strace of abi_bench): the head and the body in two send()s, SO_SNDTIMEO
 * before each and SO_RCVTIMEO before reading, and two liveness probes (FIONBIO on, a 1-byte
 * recv that fails with EAGAIN, FIONBIO off). It shows what that pattern costs with no user-space
 * work at all.
 *
 * With --mode pay the request is the same every time (a gateway would refuse the repeated
 * OAuth code; the fixed-answer server does not look). With --mode query it is the same valid
 * order query every time, which the simulator answers in full. */
#include "common.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>

static bench_opts o;
static int like_ureq;
static size_t head_len;
static char request[4096];
static size_t request_len;

static void build_request(void) {
    char tt[15];
    txn_time_now(tt);
    field f[16];
    size_t n = bench_common_fields(f, tt);
    const char *endpoint;
    if (o.mode[0] == 'p') {
        endpoint = "pubSigPay";
        f[n++] = (field){"code", "071aBcDeF2gHiJ3kLmN4oPqR5sTuV6wX"};
        f[n++] = (field){"amount", BENCH_AMOUNT};
        f[n++] = (field){"total_amount", BENCH_AMOUNT};
        f[n++] = (field){"subject", BENCH_SUBJECT};
        f[n++] = (field){"selOrderNo", "POS20260105093015000042"};
    } else {
        endpoint = "sdkQryBarcodePay";
        f[n++] = (field){"opSys", "3"};
        f[n++] = (field){"characterSet", "00"};
        f[n++] = (field){"tradeNo", "20260105093015123450000001"};
        f[n++] = (field){"qryNo", o.qry_no};
    }
    char body[2048];
    size_t len = 1;
    body[0] = '{';
    for (size_t i = 0; i < n; i++) len = json_put(body, len, sizeof body, f[i].name, f[i].value);
    char sig[33];
    starpos_sign(f, n, o.key, sig);
    len = json_put(body, len, sizeof body, "signValue", sig);
    body[len++] = '}';
    body[len] = 0;
    request_len = (size_t)snprintf(request, sizeof request,
                                   "POST /adpweb/ehpspos3/%s.json HTTP/1.1\r\nHost: %s:%d\r\n"
                                   "Content-Type: application/json;charset=UTF-8\r\n"
                                   "Content-Length: %zu\r\n\r\n%s",
                                   endpoint, o.host, o.port, len, body);
    head_len = request_len - len;
}

static void set_timeout(int fd, int opt) {
    struct timeval tv = {9, 990000};
    setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof tv);
}

/* ureq's check that a pooled connection is still open: non-blocking 1-byte read. */
static void probe(int fd) {
    int on = 1, off = 0;
    char c;
    ioctl(fd, FIONBIO, &on);
    if (recv(fd, &c, 1, 0) != -1 || errno != EAGAIN) fprintf(stderr, "raw_floor: probe read data\n");
    ioctl(fd, FIONBIO, &off);
}

typedef struct {
    int fd;
    char buf[65536];
} state;

static void *thread_init(int index) {
    (void)index;
    state *s = malloc(sizeof *s);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o.port)};
    inet_pton(AF_INET, o.host, &a.sin_addr);
    if (connect(s->fd, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("raw_floor: connect");
        exit(1);
    }
    return s;
}

static int call(void *arg, uint64_t seq) {
    (void)seq;
    state *s = arg;
    if (like_ureq) {
        probe(s->fd);
        set_timeout(s->fd, SO_SNDTIMEO);
        if (send(s->fd, request, head_len, MSG_NOSIGNAL) != (ssize_t)head_len) return 1;
        set_timeout(s->fd, SO_SNDTIMEO);
        if (send(s->fd, request + head_len, request_len - head_len, MSG_NOSIGNAL) !=
            (ssize_t)(request_len - head_len))
            return 1;
        set_timeout(s->fd, SO_RCVTIMEO);
    } else if (write(s->fd, request, request_len) != (ssize_t)request_len) {
        return 1;
    }
    size_t have = 0, need = 0;
    for (;;) {
        ssize_t r = read(s->fd, s->buf + have, sizeof s->buf - 1 - have);
        if (r <= 0) return 1;
        have += (size_t)r;
        if (!need) {
            s->buf[have] = 0;
            char *end = strstr(s->buf, "\r\n\r\n");
            if (!end) continue;
            char *cl = strcasestr(s->buf, "\r\ncontent-length:");
            if (!cl || cl > end) return 1;
            need = (size_t)(end + 4 - s->buf) + strtoul(cl + 17, NULL, 10);
            if (strncmp(s->buf, "HTTP/1.1 200", 12) != 0) return 1;
        }
        if (have >= need) {
            if (like_ureq) probe(s->fd);
            return have == need ? 0 : 1;
        }
    }
}

static void thread_done(void *arg) {
    state *s = arg;
    close(s->fd);
    free(s);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--like-ureq") == 0) {
            like_ureq = 1;
            for (int j = i; j + 1 < argc; j++) argv[j] = argv[j + 1];
            argc--;
            break;
        }
    o = opts_parse(argc, argv);
    build_request();
    bench_ops ops = {thread_init, call, thread_done};
    const char *name = like_ureq ? "raw_like_ureq" : "raw_floor";
    return o.calls > 0 ? bench_sequential(name, &ops, o.calls) : bench_run(name, &ops, o.threads, o.warm_ms, o.run_ms);
}
