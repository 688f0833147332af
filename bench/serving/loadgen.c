/*
 * Open-loop HTTP/1.1 load at a fixed rate, one thread and one epoll loop: the same schedule, latency definition
 * and RESULT line as LoadClient.java, with far less of the client's own scheduling in the tail (LoadClient parks
 * one Java thread per connection; on a 2-core machine shared with the server their wake-ups queue behind the
 * server's threads and show up as send lag).
 *
 * Each of C keep-alive connections owns every C-th slot of one global schedule (slot i is due at start + i / rate)
 * and has one request in flight. A request's latency runs from its slot's due time to the last byte of its
 * response, so a stall delays and counts every request scheduled behind it (no coordinated omission, as in wrk2).
 * All latencies are kept and sorted: percentiles are exact (nearest rank). The send lag (sent - due) is reported
 * too: it is part of each latency and bounds what the client adds.
 *
 *   cc -O2 -o loadgen loadgen.c
 *   loadgen URL BODY_FILE|- RATE SECONDS [WARMUP_SECONDS=5] [CONNECTIONS=32]
 *
 * URL is http://HOST:PORT/PATH with a numeric IPv4 host. BODY_FILE is POSTed as application/json; "-" sends GET.
 * Responses must carry Content-Length (Lathe's and uvicorn's do). Linux only (epoll_pwait2, timer slack).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int fd;
    long long slot;      /* the slot in flight, or the next one when idle */
    int busy;
    int64_t sent;
    char *buf;
    size_t len, cap;
    size_t written;
    int waiting; /* EPOLLOUT requested: the request did not fit the socket buffer */
} conn_t;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what) {
    perror(what);
    exit(2);
}

static int cmp64(const void *a, const void *b) {
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

static double pct(int64_t *sorted, long n, double q) {
    if (n == 0) return 0.0 / 0.0;
    long rank = (long) (q * n + 0.999999999);
    if (rank < 1) rank = 1;
    return sorted[rank - 1] / 1e6;
}

static struct sockaddr_in addr;
static char *request;
static size_t request_len;

/*
 * Connects (blocking: a loopback connect takes microseconds), then switches to non-blocking. Called when the
 * connection's first slot is due, so connections open one after another as the schedule starts, as LoadClient's
 * do: a multi-process server (uvicorn --workers) then spreads them over its workers instead of the first worker
 * to wake taking them all.
 */
static void open_conn(conn_t *c, int epoll) {
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0) die("socket");
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *) &addr, sizeof addr) < 0) die("connect");
    if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) < 0) die("fcntl");
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(epoll, EPOLL_CTL_ADD, c->fd, &ev) < 0) die("epoll_ctl");
    c->len = 0;
    c->written = request_len; /* nothing pending until a request is sent */
}

/* Writes what is left of the request, watching for writability only while the socket is full; -1 on error. */
static int flush(conn_t *c, int epoll) {
    while (c->written < request_len) {
        ssize_t n = write(c->fd, request + c->written, request_len - c->written);
        if (n < 0) {
            if (errno != EAGAIN) return -1;
            if (!c->waiting) {
                struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
                if (epoll_ctl(epoll, EPOLL_CTL_MOD, c->fd, &ev) < 0) die("epoll_ctl");
                c->waiting = 1;
            }
            return 0;
        }
        c->written += (size_t) n;
    }
    if (c->waiting) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(epoll, EPOLL_CTL_MOD, c->fd, &ev) < 0) die("epoll_ctl");
        c->waiting = 0;
    }
    return 0;
}

/* 1 when buf holds one whole response (status in *status), 0 when more is needed, -1 when it cannot be parsed. */
static int complete(conn_t *c, int *status) {
    char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
    if (!end) return 0;
    size_t head = (size_t) (end - c->buf) + 4;
    if (c->len < 12 || memcmp(c->buf, "HTTP/1.", 7) != 0) return -1;
    *status = atoi(c->buf + 9);
    long length = -1;
    for (char *line = memchr(c->buf, '\n', head); line && line < end; line = memchr(line + 1, '\n', (size_t) (end - line))) {
        if (strncasecmp(line + 1, "content-length:", 15) == 0) length = atol(line + 16);
        if (strncasecmp(line + 1, "transfer-encoding:", 18) == 0) return -1;
    }
    if (length < 0) return -1;
    if (c->len < head + (size_t) length) return 0;
    if (c->len > head + (size_t) length) return -1; /* one request in flight: nothing may follow */
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: loadgen URL BODY_FILE|- RATE SECONDS [WARMUP_SECONDS=5] [CONNECTIONS=32]\n");
        return 2;
    }
    const char *url = argv[1];
    double rate = atof(argv[3]), seconds = atof(argv[4]);
    double warmup = argc > 5 ? atof(argv[5]) : 5;
    int connections = argc > 6 ? atoi(argv[6]) : 32;

    char host[64], path[1024] = "/";
    int port = 80;
    if (sscanf(url, "http://%63[^:/]:%d%1023s", host, &port, path) < 2) {
        fprintf(stderr, "loadgen: URL must be http://IPV4:PORT/PATH, got %s\n", url);
        return 2;
    }
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t) port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "loadgen: host must be a numeric IPv4 address, got %s\n", host);
        return 2;
    }
    char *body = NULL;
    long body_len = 0;
    if (strcmp(argv[2], "-") != 0) {
        FILE *f = fopen(argv[2], "rb");
        if (!f) die(argv[2]);
        fseek(f, 0, SEEK_END);
        body_len = ftell(f);
        fseek(f, 0, SEEK_SET);
        body = malloc((size_t) body_len);
        if (fread(body, 1, (size_t) body_len, f) != (size_t) body_len) die("read body");
        fclose(f);
    }
    request = malloc(2048 + (size_t) body_len);
    request_len = body
            ? (size_t) sprintf(request, "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\nContent-Length: %ld\r\n\r\n",
                    path, host, port, body_len)
            : (size_t) sprintf(request, "GET %s HTTP/1.1\r\nHost: %s:%d\r\n\r\n", path, host, port);
    if (body) {
        memcpy(request + request_len, body, (size_t) body_len);
        request_len += (size_t) body_len;
    }

    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); /* wake when asked, not up to 50 us later */
    int64_t period = (int64_t) (1e9 / rate + 0.5);
    long long total = (long long) ((warmup + seconds) * rate + 0.5);
    long long measured_from = (long long) (warmup * rate + 0.5);
    long capacity = (long) (total - measured_from) + 1;
    int64_t *latencies = malloc(sizeof(int64_t) * (size_t) capacity);
    int64_t *lags = malloc(sizeof(int64_t) * (size_t) capacity);
    long count = 0, errors = 0;
    int64_t last_end = 0;

    int epoll = epoll_create1(0);
    if (epoll < 0) die("epoll_create1");
    conn_t *conns = calloc((size_t) connections, sizeof(conn_t));
    for (int k = 0; k < connections; k++) {
        conns[k].slot = k;
        conns[k].cap = 65536;
        conns[k].buf = malloc(conns[k].cap);
        conns[k].fd = -1; /* opened when its first slot is due */
    }
    int64_t start = now_ns() + 200000000LL;
    int active = 0;
    for (int k = 0; k < connections; k++) {
        active += conns[k].slot < total;
    }
    struct epoll_event events[256];
    while (active > 0) {
        int64_t now = now_ns();
        int64_t next = INT64_MAX;
        for (int k = 0; k < connections; k++) {
            conn_t *c = &conns[k];
            if (c->busy || c->slot >= total) continue;
            int64_t due = start + c->slot * period;
            if (due <= now) {
                if (c->fd < 0) open_conn(c, epoll);
                c->busy = 1;
                c->sent = now;
                c->len = 0;
                c->written = 0;
                if (flush(c, epoll) < 0) die("write");
            } else if (due < next) {
                next = due;
            }
        }
        struct timespec timeout;
        struct timespec *wait = NULL;
        if (next != INT64_MAX) {
            int64_t left = next - now_ns();
            if (left < 0) left = 0;
            timeout.tv_sec = left / 1000000000LL;
            timeout.tv_nsec = left % 1000000000LL;
            wait = &timeout;
        }
        int n = epoll_pwait2(epoll, events, 256, wait, NULL);
        if (n < 0 && errno != EINTR) die("epoll_pwait2");
        for (int i = 0; i < n; i++) {
            conn_t *c = events[i].data.ptr;
            if ((events[i].events & EPOLLOUT) && c->busy && flush(c, epoll) < 0) die("write");
            if (!(events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
            for (;;) {
                if (c->len == c->cap) {
                    c->cap *= 2;
                    c->buf = realloc(c->buf, c->cap);
                }
                ssize_t got = read(c->fd, c->buf + c->len, c->cap - c->len);
                if (got > 0) {
                    c->len += (size_t) got;
                    continue;
                }
                if (got < 0 && errno == EAGAIN) break;
                fprintf(stderr, "loadgen: connection %ld closed by the server\n", (long) (c - conns));
                return 1;
            }
            if (!c->busy) continue;
            int status;
            int done = complete(c, &status);
            if (done == 0) continue;
            int64_t end = now_ns();
            int64_t due = start + c->slot * period;
            if (c->slot >= measured_from) {
                if (done == 1 && status == 200) {
                    latencies[count] = end - due;
                    lags[count] = c->sent - due;
                    count++;
                } else {
                    errors++;
                }
                last_end = end;
            }
            if (done < 0) {
                fprintf(stderr, "loadgen: unparseable response: %.*s\n", (int) (c->len < 200 ? c->len : 200), c->buf);
                return 1;
            }
            c->busy = 0;
            c->len = 0;
            c->slot += connections;
            if (c->slot >= total) {
                close(c->fd);
                c->fd = -1;
                active--;
            }
        }
    }
    qsort(latencies, (size_t) count, sizeof(int64_t), cmp64);
    qsort(lags, (size_t) count, sizeof(int64_t), cmp64);
    double elapsed = (double) (last_end - (start + measured_from * period)) / 1e9;
    printf("RESULT url=%s rate=%.0f achieved=%.0f seconds=%.0f connections=%d requests=%ld errors=%ld"
           " p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f lag_p50_ms=%.3f lag_p99_ms=%.3f\n",
            url, rate, count / elapsed, seconds, connections, count, errors, pct(latencies, count, 0.50),
            pct(latencies, count, 0.90), pct(latencies, count, 0.99), pct(latencies, count, 0.999),
            count ? latencies[count - 1] / 1e6 : 0.0 / 0.0, pct(lags, count, 0.50), pct(lags, count, 0.99));
    return errors > 0;
}
