/*
 * counter.c: the counter sales through libstarpos, with the sale journal, the way a till runs
 * them. Copy from here.
 *
 *   0. starpos_recover        at start-up, before any new sale: every sale a crash or power
 *                             cut left open is queried (never paid again) and reported
 *   1. starpos_barcode_sale   the terminal scanned the payer's payment code: pay once, then
 *                             follow 'A' (password) or 'Z' by the sale's own tradeNo
 *   2. starpos_qr_pay         the terminal shows a QR code ('S' = the order was made) ...
 *      starpos_wait           ... and waits until the payer has paid it
 *   3. starpos_journal_list   the sales the journal holds: the end-of-day total
 *
 * The till stays in control of every wait: a cancel handle (starpos_cancel_new) per sale, which
 * the UI thread fires (starpos_cancel_request) when the cashier presses cancel, and a progress
 * callback that draws the status line ("waiting for the payer: 3 queries, last A, 4.2 s, next
 * in 0.8 s"). Here a "cashier" thread stands in for the UI: it presses cancel after
 * --cancel-after-ms (never, by default). A cancelled wait is STARPOS_ERR_CANCELLED, in doubt:
 * the payer may still confirm, so the till never scans the code again; it queries the tradeNo
 * later (the journal keeps the sale open and the next start's recovery settles it).
 *
 * The closed loop (--revoke-on-give-up, STARPOS_FLAG_REVOKE_ON_GIVE_UP): when the till gives a
 * barcode sale up in doubt (its deadline, or the cancel), the library revokes it
 * (RevokeBarcodepay) and follows the revoke to its end, so a payer who confirms later is not
 * charged: the sale then ends OK with result 'D', or 'S' if the payer paid before the revoke
 * could undo it (print the receipt). Acquirers that do not support revoking refuse it; the
 * sale then stays in doubt as without the flag.
 *
 * With a journal, every sale is on stable storage before its first byte leaves; if it cannot
 * be written the call is STARPOS_ERR_JOURNAL and nothing is sent. The journal never holds the
 * key or a payment code.
 *
 * Usage:
 *   counter --journal FILE [--gateway URL] [--org-no N] [--merc-id N] [--trm-no N] [--key K]
 *           [--auth-code CODE] [--amount FEN] [--interval-ms MS] [--deadline-ms MS]
 *           [--cancel-after-ms MS] [--revoke-on-give-up]
 *
 * Credentials fall back to STARPOS_GATEWAY, STARPOS_ORG_NO, STARPOS_MERC_ID, STARPOS_TRM_NO,
 * STARPOS_KEY. --auth-code is the scanned payment code (a made-up WeChat one when absent,
 * which only a simulator accepts; ending in 1, the simulator's payer enters a password).
 *
 * Exit status: 0 both sales paid; 1 a step failed or a sale was declined; 2 bad usage; 3 an
 * outcome is still unknown, a cancelled wait included (it stays open in the journal: run
 * again, recovery settles it).
 */

/* isatty, clock_gettime, pthread_cond_timedwait. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "starpos.h"

#define EXIT_FAILED 1
#define EXIT_USAGE 2
#define EXIT_IN_DOUBT 3

struct options {
    const char *gateway, *org_no, *merc_id, *trm_no, *key, *journal, *auth_code;
    uint64_t amount;
    uint32_t interval_ms, deadline_ms;
    /* When the simulated cashier presses cancel during the barcode sale; 0 = never. */
    uint32_t cancel_after_ms;
    /* The closed loop: revoke a barcode sale given up in doubt. */
    int revoke_on_give_up;
};

static void usage(FILE *to)
{
    fprintf(to, "usage: counter --journal FILE [--gateway URL] [--org-no N] [--merc-id N]\n"
                "               [--trm-no N] [--key K] [--auth-code CODE] [--amount FEN]\n"
                "               [--interval-ms MS] [--deadline-ms MS] [--cancel-after-ms MS]\n"
                "               [--revoke-on-give-up]\n"
                "env: STARPOS_GATEWAY STARPOS_ORG_NO STARPOS_MERC_ID STARPOS_TRM_NO STARPOS_KEY\n");
}

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
    *out = value;
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    int i;
    uint64_t n;
    memset(o, 0, sizeof *o);
    o->gateway = getenv("STARPOS_GATEWAY");
    o->org_no = getenv("STARPOS_ORG_NO");
    o->merc_id = getenv("STARPOS_MERC_ID");
    o->trm_no = getenv("STARPOS_TRM_NO");
    o->key = getenv("STARPOS_KEY");
    o->amount = 880;
    for (i = 1; i < argc; i++) {
        const char *name = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
            usage(stdout);
            exit(0);
        }
        if (strcmp(name, "--revoke-on-give-up") == 0) {
            o->revoke_on_give_up = 1;
            continue;
        }
        if (value == NULL) {
            fprintf(stderr, "counter: %s needs a value\n", name);
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
        } else if (strcmp(name, "--journal") == 0) {
            o->journal = value;
        } else if (strcmp(name, "--auth-code") == 0) {
            o->auth_code = value;
        } else if (strcmp(name, "--amount") == 0) {
            if (parse_number(value, UINT64_C(9999999999999), &o->amount) != 0 || o->amount == 0) {
                fprintf(stderr, "counter: --amount must be a positive number of fen\n");
                return -1;
            }
        } else if (strcmp(name, "--interval-ms") == 0 || strcmp(name, "--deadline-ms") == 0 ||
                   strcmp(name, "--cancel-after-ms") == 0) {
            if (parse_number(value, UINT32_MAX, &n) != 0) {
                fprintf(stderr, "counter: %s must be a number of milliseconds\n", name);
                return -1;
            }
            if (name[2] == 'i') {
                o->interval_ms = (uint32_t)n;
            } else if (name[2] == 'd') {
                o->deadline_ms = (uint32_t)n;
            } else {
                o->cancel_after_ms = (uint32_t)n;
            }
        } else {
            fprintf(stderr, "counter: unknown option %s\n", name);
            return -1;
        }
    }
    if (o->gateway == NULL || o->org_no == NULL || o->merc_id == NULL || o->trm_no == NULL ||
        o->key == NULL || o->journal == NULL) {
        fprintf(stderr, "counter: the gateway URL, org_no, merc_id, trm_no, key and --journal "
                        "are required\n");
        return -1;
    }
    return 0;
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

/*
 * The till's UI during one wait: a cancel handle the UI thread fires, and the status line.
 * On a real till the cancel button's handler calls starpos_cancel_request(sale->cancel); here
 * a thread presses it after press_after_ms, unless the sale ended first.
 */
struct cashier {
    starpos_cancel *cancel;
    uint32_t press_after_ms; /* 0 = never */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t ended_cv;
    int ended, pressed, drawn;
};

static void *cashier_ui(void *arg)
{
    struct cashier *c = arg;
    struct timespec at;
    int waited = 0;
    clock_gettime(CLOCK_REALTIME, &at);
    at.tv_sec += (time_t)(c->press_after_ms / 1000);
    at.tv_nsec += (long)(c->press_after_ms % 1000) * 1000000L;
    if (at.tv_nsec >= 1000000000L) {
        at.tv_sec++;
        at.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&c->lock);
    while (!c->ended && waited != ETIMEDOUT) {
        waited = pthread_cond_timedwait(&c->ended_cv, &c->lock, &at);
    }
    if (!c->ended) {
        /* The cashier pressed cancel: any thread may fire the handle, at any time. */
        starpos_cancel_request(c->cancel);
        c->pressed = 1;
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* A new handle for one sale (a fired handle stays fired), and the UI thread if it presses. */
static int cashier_start(struct cashier *c, uint32_t press_after_ms)
{
    memset(c, 0, sizeof *c);
    c->cancel = starpos_cancel_new();
    if (c->cancel == NULL) {
        return -1;
    }
    c->press_after_ms = press_after_ms;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->ended_cv, NULL);
    if (press_after_ms > 0 && pthread_create(&c->thread, NULL, cashier_ui, c) != 0) {
        c->press_after_ms = 0;
    }
    return 0;
}

/* The wait returned: stop the UI thread, clear the status line, free the handle. */
static void cashier_end(struct cashier *c)
{
    pthread_mutex_lock(&c->lock);
    c->ended = 1;
    pthread_cond_signal(&c->ended_cv);
    pthread_mutex_unlock(&c->lock);
    if (c->press_after_ms > 0) {
        pthread_join(c->thread, NULL);
    }
    if (c->drawn && isatty(STDERR_FILENO)) {
        fputs("\r\033[K", stderr);
    }
    pthread_cond_destroy(&c->ended_cv);
    pthread_mutex_destroy(&c->lock);
    starpos_cancel_free(c->cancel); /* no call uses it any more */
    c->cancel = NULL;
}

/*
 * starpos_config.progress: called on the waiting thread before the first query and after
 * each. Return quickly. On a terminal the line is rewritten in place; else one line a report.
 */
static void on_progress(const starpos_progress *p, void *userdata)
{
    struct cashier *c = userdata;
    char last[16] = "";
    char next[32] = "";
    if (p->result != 0) {
        snprintf(last, sizeof last, ", last %c", p->result);
    }
    if (p->next_query_ms > 0) {
        snprintf(next, sizeof next, ", next in %.1f s", (double)p->next_query_ms / 1000.0);
    }
    int tty = isatty(STDERR_FILENO);
    fprintf(stderr, "%swaiting for the payer: %u %s%s, %.1f s%s%s", tty ? "\r" : "    ",
            (unsigned)p->queries, p->queries == 1 ? "query" : "queries", last,
            (double)p->elapsed_ms / 1000.0, next, tty ? "\033[K" : "\n");
    fflush(stderr);
    c->drawn = 1;
}

/* Step 0's callback: one sale that a crash had left open, now settled or still unknown. */
static void on_recovered(const starpos_journal_entry *e, void *userdata)
{
    int *open = userdata;
    if (e->status == STARPOS_OK) {
        /* Final: settle the till (print the receipt it never printed, or void the sale). */
        printf("[0] recovered %s %s: %s, %llu fen\n", e->kind, e->trade_no,
               result_str(e->result), (unsigned long long)e->amount);
    } else if (starpos_status_in_doubt((int)e->status)) {
        /* Still unknown: it stays open; the next start (or a query of trade_no) settles it. */
        printf("[0] still unknown %s %s: %s\n", e->kind, e->trade_no, e->error);
        (*open)++;
    } else {
        printf("[0] %s %s: no money moved (%s)\n", e->kind, e->trade_no, e->error);
    }
}

/* Step 3's callback: adds up what was paid. */
struct totals {
    unsigned paid, open;
    unsigned long long fen;
};

static void on_listed(const starpos_journal_entry *e, void *userdata)
{
    struct totals *t = userdata;
    printf("    journal: %-11s %-28s %-9s %c %8llu fen %s\n", e->kind,
           e->trade_no[0] ? e->trade_no : e->log_no, starpos_status_str((int)e->status),
           e->result ? e->result : '-', (unsigned long long)e->amount,
           e->settled ? "settled" : "OPEN");
    if (!e->settled) {
        t->open++;
    } else if (e->status == STARPOS_OK && e->result == 'S' && strcmp(e->kind, "refund") != 0) {
        t->paid++;
        t->fen += e->amount;
    }
}

int main(int argc, char **argv)
{
    struct options opt;
    starpos_config cfg = {0};
    starpos_status st;
    starpos_barcode_pay_request scan = {0};
    starpos_qr_pay_request qr = {0};
    starpos_qr_pay_response made;
    starpos_query_response done;
    struct totals totals = {0, 0, 0};
    struct cashier ui;
    char code[32];
    int open = 0, unknown = 0;

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
    cfg.trm_typ = "P";        /* a smart POS; sent with every sdk* call */
    cfg.opr_id = "01";        /* the cashier */
    cfg.journal_path = opt.journal;

    /* 0. Before any new sale: settle what the last run left open. Queries only. */
    st = starpos_recover(&cfg, 10000, on_recovered, &open);
    if (st != STARPOS_OK) {
        /* JOURNAL: the file cannot be read; fix the storage before selling. */
        fprintf(stderr, "[0] recover failed: %s: %s\n", starpos_status_str((int)st),
                starpos_last_error());
        return EXIT_FAILED;
    }
    printf("[0] recover: OK, %d sale(s) still unknown\n", open);

    /* 1. The payer's payment code, scanned. The channel comes from the code's prefix. */
    if (opt.auth_code == NULL) {
        snprintf(code, sizeof code, "13%06lu%09lu1", (unsigned long)(time(NULL) % 1000000UL),
                 (unsigned long)clock() % 1000000000UL);
        opt.auth_code = code;
    }
    scan.auth_code = opt.auth_code;
    scan.amount = opt.amount;
    scan.total_amount = opt.amount;
    scan.subject = "Coffee";
    if (cashier_start(&ui, opt.cancel_after_ms) != 0) {
        fprintf(stderr, "[1] starpos_cancel_new failed: no file descriptor left\n");
        return EXIT_FAILED;
    }
    cfg.cancel = ui.cancel;
    cfg.progress = on_progress;
    cfg.progress_userdata = &ui;
    if (opt.revoke_on_give_up) {
        cfg.flags |= STARPOS_FLAG_REVOKE_ON_GIVE_UP;
    }
    st = starpos_barcode_sale(&cfg, &scan, opt.interval_ms, opt.deadline_ms, &done);
    cfg.flags &= ~STARPOS_FLAG_REVOKE_ON_GIVE_UP;
    cashier_end(&ui);
    cfg.cancel = NULL; /* freed: the config must not point at it any more */
    if (ui.pressed) {
        printf("[1] the cashier pressed cancel\n");
    }
    if (st == STARPOS_OK && done.result == 'D') {
        /* The closed loop: given up and revoked; a payer who confirms now is not charged. */
        printf("[1] barcode sale given up and revoked (D): the payer is not charged, tradeNo %s\n",
               done.trade_no);
        return EXIT_FAILED;
    } else if (st == STARPOS_OK) {
        printf("[1] barcode sale: final, result %s, tradeNo %s, channel %s\n",
               result_str(done.result), done.trade_no, done.pay_channel);
        if (done.result != 'S') {
            return EXIT_FAILED;
        }
    } else if (st == STARPOS_ERR_CANCELLED) {
        /* The till stopped waiting, not the payer paying: the order may still be paid (the
         * payer may confirm later). Never scan the code again; query the tradeNo later (the
         * journal keeps the sale open; the next start's recovery settles it). */
        printf("[1] barcode sale cancelled, may still be paid: query tradeNo %s later (%s)\n",
               done.trade_no, done.error);
        unknown = 1;
    } else if (st == STARPOS_ERR_CANCELLED_NOT_SENT) {
        /* Cancelled before the pay left: nothing was sent, no money moved. */
        printf("[1] barcode sale cancelled before it was sent: no money moved\n");
    } else if (starpos_status_in_doubt((int)st)) {
        /* The payer may have been charged: never scan the code again. The journal keeps the
         * sale open; recovery (or a query of trade_no) settles it. */
        printf("[1] barcode sale still unknown: tradeNo %s (%s): %s\n", done.trade_no,
               starpos_status_str((int)st), done.error);
        unknown = 1;
    } else {
        /* Refused, not reached, bad input, or the journal could not record it: no money moved. */
        fprintf(stderr, "[1] barcode sale failed: %s: %s\n", starpos_status_str((int)st),
                done.error);
        return EXIT_FAILED;
    }

    /* 2. A QR order for the payer to scan. 'S' only means it was made. */
    qr.pay_channel = "WXPAY";
    qr.amount = opt.amount;
    qr.total_amount = opt.amount;
    qr.subject = "Cake";
    st = starpos_qr_pay(&cfg, &qr, &made);
    if (st != STARPOS_OK || made.result != 'S') {
        fprintf(stderr, "[2] QR order failed: %s: %s (result %s, tradeNo %s)\n",
                starpos_status_str((int)st), made.error, result_str(made.result),
                made.trade_no);
        return starpos_status_in_doubt((int)st) ? EXIT_IN_DOUBT : EXIT_FAILED;
    }
    printf("[2] QR order made: show %s (tradeNo %s)\n", made.pay_code, made.trade_no);
    if (cashier_start(&ui, 0) != 0) { /* a new handle: this wait's cancel button */
        fprintf(stderr, "[2] starpos_cancel_new failed: no file descriptor left\n");
        return EXIT_FAILED;
    }
    cfg.cancel = ui.cancel;
    cfg.progress_userdata = &ui;
    st = starpos_wait(&cfg, made.trade_no, opt.interval_ms, opt.deadline_ms, &done);
    cashier_end(&ui);
    cfg.cancel = NULL;
    cfg.progress = NULL;
    if (st == STARPOS_OK) {
        printf("[2] QR sale: final, result %s\n", result_str(done.result));
        if (done.result != 'S') {
            return EXIT_FAILED;
        }
    } else {
        printf("[2] QR sale still unknown (%s): %s\n", starpos_status_str((int)st), done.error);
        unknown = 1;
    }

    /* 3. What the journal holds: the end-of-day total. */
    st = starpos_journal_list(&cfg, on_listed, &totals);
    if (st != STARPOS_OK) {
        fprintf(stderr, "[3] journal list failed: %s\n", starpos_last_error());
        return EXIT_FAILED;
    }
    printf("[3] journal: %u sale(s) paid, %llu fen, %u open\n", totals.paid, totals.fen,
           totals.open);
    if (unknown) {
        return EXIT_IN_DOUBT;
    }
    printf("done: barcode S, QR S\n");
    return 0;
}
