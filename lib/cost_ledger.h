/* cost_ledger.h - the cost ledger: the usage journal summed into buckets.
 *
 * A bucket is one Phoenix day of one tool, service, what, source, ZIP, with
 * or without a proxy, and one outcome; it holds the quantities summed over
 * its lines and their price in micro-dollars. Pricing the sum instead of
 * each line keeps a million lines of a millionth of a cent exact. The
 * ledger remembers how far into usage.ndjson it has read (the offset and a
 * hash of the bytes before it), so a rerun counts nothing twice and a
 * growing journal is read from where the last run stopped. Only complete
 * lines are consumed: a line still being appended is left for the next run.
 * Buckets of past months keep the price they were given; the current
 * month's buckets and those that grew are priced again. The ledger is
 * derived from the journal: when it is damaged it is rebuilt from it. */
#ifndef PHX_COST_LEDGER_H
#define PHX_COST_LEDGER_H
#include <stddef.h>
#include <time.h>
#include "cost_prices.h"

enum { PHX_OUTCOME_OK = 0, PHX_OUTCOME_UNCHANGED = 1, PHX_OUTCOME_FAILED = 2 };

/* One usage line, as read. */
typedef struct phx_cost_usage {
	char day[11];			/* Phoenix day of "at" */
	char tool[PHX_COST_WORD], service[PHX_COST_WORD], what[PHX_COST_WORD];
	char source[PHX_COST_WORD], zip[PHX_COST_WORD];	/* "" when absent */
	long long qty, bytes;		/* bytes: of an http_request, else 0 */
	int proxied, outcome;
} phx_cost_usage;

typedef struct phx_cost_bucket {
	phx_cost_usage k;		/* the key (qty and bytes unused) */
	long long lines, qty, bytes, usd_micros;
	char category[PHX_COST_WORD];	/* of the price, "unpriced" without one */
	int priced, dirty;
} phx_cost_bucket;

typedef struct phx_cost_ledger {
	phx_cost_bucket *b;
	size_t n, cap;
	size_t *slot, nslot;		/* hash: bucket index + 1, 0 = empty */
	unsigned long long offset;	/* bytes of the journal consumed */
	unsigned long long lines, bad_lines;	/* journal lines consumed, of them skipped */
	char head[65];			/* sha256 of the journal's first min(offset, 4096) bytes */
	int warned;			/* bad-line warnings printed in this run */
	char last_at[16], last_day[11];	/* a cache: lines of one hour share a day */
} phx_cost_ledger;

/* Parse one usage line. 0, or -1 with why filled. */
int phx_cost_usage_parse(const char *line, size_t len, phx_cost_ledger *cache,
			 phx_cost_usage *u, char *why, size_t whylen);
/* The same for a line in the tools' own compact form (no whitespace, ASCII
 * strings without escapes, integers, one level): 1 with u filled, or 0 when
 * the line is anything else or not a valid usage line, and then only
 * phx_cost_usage_parse may decide (lib/cost_fastline.c). */
int phx_cost_fastline(const char *line, size_t len, phx_cost_ledger *cache, phx_cost_usage *u);
/* The Phoenix day of an RFC 3339 time (cache may be NULL). 0, or -1 with why. */
int phx_cost_day_of(phx_cost_ledger *cache, const char *at, char day[11], char *why,
		    size_t whylen);
void phx_cost_ledger_init(phx_cost_ledger *l);
void phx_cost_ledger_free(phx_cost_ledger *l);
void phx_cost_ledger_add(phx_cost_ledger *l, const phx_cost_usage *u);
/* Read complete lines of fd from its current position; a malformed line is
 * skipped with a warning "name:LINE: why". whole: also take a last line
 * without a newline (a file operand). Returns the bytes consumed, or -1 on
 * a read error (logged). */
long long phx_cost_ledger_read(phx_cost_ledger *l, int fd, const char *name, int whole);
/* Price every dirty bucket and those on or after day from ("YYYY-MM-DD"). */
void phx_cost_ledger_price(phx_cost_ledger *l, const phx_prices *p, const char *from);

/* Load the ledger file into l (an absent file is an empty ledger). 0, or -1
 * when it is damaged (logged; l is then empty). */
int phx_cost_ledger_load(const char *path, phx_cost_ledger *l);
int phx_cost_ledger_save(const char *path, const phx_cost_ledger *l);
/* Under the lock of $STATE/cost-ledger.lock: load $STATE/cost-ledger.ndjson,
 * read what usage.ndjson has gained, price, save. 0, or -1 (logged). */
int phx_cost_ledger_update(const phx_prices *p, time_t now, phx_cost_ledger *l);

#endif
