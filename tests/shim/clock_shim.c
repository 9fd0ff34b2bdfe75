/* A wall clock that is not the machine's, for tests: LD_PRELOAD this library and the process
 * reads CLOCK_REALTIME (clock_gettime, gettimeofday, time) moved by an offset or frozen, while
 * CLOCK_MONOTONIC (every timeout and deadline) runs as usual.
 *
 *   STARPOS_SHIM_CLOCK_OFFSET=<seconds>  the real time plus this (may be negative);
 *   STARPOS_SHIM_CLOCK_AT=<seconds>      frozen at this many seconds since 1970 (wins).
 *
 * Built by the tests at run time (tests/common/clock_shim.rs): cc -shared -fPIC ... -ldl. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

typedef int (*clock_gettime_fn)(clockid_t, struct timespec *);

static clock_gettime_fn real_clock_gettime(void) {
    static clock_gettime_fn real;
    if (!real) {
        real = (clock_gettime_fn)dlsym(RTLD_NEXT, "clock_gettime");
    }
    return real;
}

static int is_wall(clockid_t id) {
    return id == CLOCK_REALTIME
#ifdef CLOCK_REALTIME_COARSE
           || id == CLOCK_REALTIME_COARSE
#endif
        ;
}

/* Moves a real wall-clock reading as the environment says. */
static void shift(struct timespec *ts) {
    const char *at = getenv("STARPOS_SHIM_CLOCK_AT");
    if (at && *at) {
        ts->tv_sec = (time_t)strtoll(at, NULL, 10);
        ts->tv_nsec = 0;
        return;
    }
    const char *offset = getenv("STARPOS_SHIM_CLOCK_OFFSET");
    if (offset && *offset) {
        ts->tv_sec += (time_t)strtoll(offset, NULL, 10);
    }
}

int clock_gettime(clockid_t id, struct timespec *ts) {
    clock_gettime_fn real = real_clock_gettime();
    if (!real) {
        return -1;
    }
    int rc = real(id, ts);
    if (rc == 0 && is_wall(id)) {
        shift(ts);
    }
    return rc;
}

int gettimeofday(struct timeval *tv, void *tz) {
    (void)tz;
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
        return -1;
    }
    tv->tv_sec = ts.tv_sec;
    tv->tv_usec = ts.tv_nsec / 1000;
    return 0;
}

time_t time(time_t *out) {
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
        return (time_t)-1;
    }
    if (out) {
        *out = ts.tv_sec;
    }
    return ts.tv_sec;
}
