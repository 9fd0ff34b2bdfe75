/* fixed_server: a minimal HTTP/1.1 server for the end-to-end benchmarks. Whatever is POSTed
 * to it, it answers 200 with one precomputed, correctly signed pubSigPay answer (the fields and
 * sizes the simulator answers with, `message` percent-encoded, signed with the merchant key),
 * so the clients do all their usual work (the library verifies the answer; the curl baseline
 * parses and verifies it) while the server does almost none.
 *
 *   fixed_server [--port P] [--threads N] [--key K]      (port 0 or none: any free port)
 *
 * N event loops (default 2, one per core), each with its own SO_REUSEPORT listener and epoll
 * set; non-blocking sockets, TCP_NODELAY, keep-alive unless the request says
 * `Connection: close`. Requests may be pipelined. Prints "listening on PORT" when ready. */
#include "common.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#define BUF 16384

typedef struct {
    int fd;
    size_t len;
    char buf[BUF];
} conn;

static char *response;
static size_t response_len;
static int port; /* 0 until the first listener is bound to any free port */

static void build_response(const char *key) {
    /* The answer a pubSigPay gets, as the simulator writes it (see sim/src/handlers.rs). */
    field f[] = {
        {"returnCode", "000000"},
        {"message", "\xe7\xad\x89\xe5\xbe\x85\xe6\x94\xaf\xe4\xbb\x98"}, /* 等待支付 */
        {"sysTime", "20260105093015"},
        {"mercId", BENCH_MERC_ID},
        {"logNo", "202601050000012345"},
        {"result", "A"},
        {"orderNo", "202601050000012345"},
        {"amount", BENCH_AMOUNT},
        {"total_amount", BENCH_AMOUNT},
        {"PrepayId", "wx20260105093015a1b2c3d4e5f6a7b8c9d0"},
        {"apiAppid", "wx1a2b3c4d5e6f7a8b"},
        {"apiTimestamp", "1767576615"},
        {"apiNoncestr", "5f0c8e1d2b3a49786a5b4c3d2e1f0a9b"},
        {"apiPackage", "prepay_id=wx20260105093015a1b2c3d4e5f6a7b8c9d0"},
        {"apiSigntype", "MD5"},
        {"apiPaysign", "8F2D6C1A0B9E4D3C2B1A0F9E8D7C6B5A"},
        {"subject", BENCH_SUBJECT},
        {"selOrderNo", BENCH_SEL_ORDER_NO},
    };
    size_t n = sizeof f / sizeof f[0];
    char sig[33];
    field sorted[sizeof f / sizeof f[0]];
    memcpy(sorted, f, sizeof f);
    starpos_sign(sorted, n, key, sig);
    char body[4096];
    size_t len = 1;
    body[0] = '{';
    for (size_t i = 0; i < n; i++) {
        const char *v = f[i].value;
        char enc[128];
        if (strcmp(f[i].name, "message") == 0) { /* percent-encoded, as the gateway sends it */
            char *w = enc;
            for (const unsigned char *r = (const unsigned char *)v; *r; r++) w += sprintf(w, "%%%02X", *r);
            v = enc;
        }
        len = json_put(body, len, sizeof body, f[i].name, v);
    }
    len = json_put(body, len, sizeof body, "signValue", sig);
    body[len++] = '}';
    body[len] = 0;
    response = malloc(len + 256);
    response_len = (size_t)sprintf(response,
                                   "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n"
                                   "Content-Length: %zu\r\n\r\n%s",
                                   len, body);
}

static int listener(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 1024) != 0) {
        perror("fixed_server: bind/listen");
        exit(1);
    }
    if (port == 0) { /* the first listener took any free port: the others join it */
        socklen_t len = sizeof a;
        getsockname(fd, (struct sockaddr *)&a, &len);
        port = ntohs(a.sin_port);
    }
    return fd;
}

static int write_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
        } else if (w < 0 && errno == EAGAIN) {
            struct pollfd pfd = {fd, POLLOUT, 0};
            poll(&pfd, 1, 1000);
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else {
            return -1;
        }
    }
    return 0;
}

/* Answers every complete request in c->buf. Returns -1 when the connection should close. */
static int serve(conn *c) {
    for (;;) {
        c->buf[c->len] = 0;
        char *end = strstr(c->buf, "\r\n\r\n");
        if (!end) return c->len >= BUF - 1 ? -1 : 0;
        size_t head = (size_t)(end + 4 - c->buf);
        size_t body = 0;
        int close_after = 0;
        for (char *line = strstr(c->buf, "\r\n"); line && line < end; line = strstr(line + 2, "\r\n")) {
            char *h = line + 2;
            if (strncasecmp(h, "content-length:", 15) == 0) body = strtoul(h + 15, NULL, 10);
            else if (strncasecmp(h, "connection:", 11) == 0) {
                char *v = h + 11;
                while (*v == ' ') v++;
                if (strncasecmp(v, "close", 5) == 0) close_after = 1;
            }
        }
        if (head + body > BUF - 1) return -1;
        if (c->len < head + body) return 0;
        if (write_all(c->fd, response, response_len) != 0) return -1;
        if (close_after) return -1;
        memmove(c->buf, c->buf + head + body, c->len - head - body);
        c->len -= head + body;
    }
}

static void *loop(void *arg) {
    int lfd = (int)(intptr_t)arg;
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event events[64];
    for (;;) {
        int n = epoll_wait(ep, events, 64, -1);
        for (int i = 0; i < n; i++) {
            conn *c = events[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    int one = 1;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    conn *nc = malloc(sizeof *nc);
                    nc->fd = fd;
                    nc->len = 0;
                    struct epoll_event cev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = nc};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
                }
                continue;
            }
            int dead = 0;
            for (;;) {
                ssize_t r = read(c->fd, c->buf + c->len, BUF - 1 - c->len);
                if (r > 0) {
                    c->len += (size_t)r;
                    if (serve(c) != 0) {
                        dead = 1;
                        break;
                    }
                    if (c->len < BUF - 1) continue;
                    dead = 1;
                    break;
                }
                if (r == 0 || (errno != EAGAIN && errno != EINTR)) dead = 1;
                if (r < 0 && errno == EINTR) continue;
                break;
            }
            if (dead) {
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                free(c);
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    int threads = 2;
    const char *key = "9E1D5C0A7B3F4E2D8C6A1B0F3E5D7C9A";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--port") == 0) port = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--threads") == 0) threads = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--key") == 0) key = argv[i + 1];
        else {
            fprintf(stderr, "usage: fixed_server --port P [--threads N] [--key K]\n");
            return 64;
        }
    }
    if (port < 0 || threads <= 0) {
        fprintf(stderr, "usage: fixed_server --port P [--threads N] [--key K]\n");
        return 64;
    }
    signal(SIGPIPE, SIG_IGN);
    build_response(key);
    pthread_t id;
    for (int i = 0; i < threads; i++) {
        int lfd = listener();
        pthread_create(&id, NULL, loop, (void *)(intptr_t)lfd);
    }
    printf("listening on %d\n", port);
    fflush(stdout);
    pause();
    return 0;
}
