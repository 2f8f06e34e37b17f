/* cost_prices.h - the price file: what each unit of usage and each monthly
 * plan costs, from which day on.
 *
 * Only phx-cost knows prices; the tools that spend write quantities. Every
 * price carries the Phoenix day it takes effect, so a change applies from
 * that day on and the months before it keep the price they had. Money is in
 * integer micro-dollars (see cost.h).
 *
 * Lines ('#' starts a comment; a word is at most 63 bytes):
 *   unit  SERVICE WHAT USD per N from YYYY-MM-DD [category CAT]
 *   fixed SERVICE ITEM USD from YYYY-MM-DD [category CAT]   (a month, prorated by day)
 *   limit NAME USD          budget, month_warning, month_critical, day_warning,
 *                           day_critical, property_target, property_warning,
 *                           property_critical
 *   direct SERVICE          a service that needs no proxy (for --recommend)
 * SERVICE "*" in a unit line prices WHAT for every service without a price
 * of its own. N takes a suffix k, M or G (10^3, 10^6, 10^9). USD has at most
 * six decimals. A fixed fee of 0 ends a plan from its day on. */
#ifndef PHX_COST_PRICES_H
#define PHX_COST_PRICES_H
#include <stddef.h>

#define PHX_COST_WORD 64

/* Sums of money, quantities and lines stop here instead of overflowing: a
 * ledger fed absurd quantities says "4e18", never wraps to a negative. */
#define PHX_COST_MAX 4000000000000000000LL
/* a + b for a, b >= 0, saturating at PHX_COST_MAX. */
static inline long long phx_cost_add(long long a, long long b)
{
	return a >= PHX_COST_MAX - b ? PHX_COST_MAX : a + b;
}

enum { PHX_PRICE_UNIT = 1, PHX_PRICE_FIXED = 2 };

typedef struct phx_price {
	int kind;			/* PHX_PRICE_UNIT or PHX_PRICE_FIXED */
	char service[PHX_COST_WORD], what[PHX_COST_WORD], category[PHX_COST_WORD];
	long long usd_micros;		/* per `per` units, or per month */
	long long per;			/* units (1 for fixed fees) */
	char from[11];			/* "YYYY-MM-DD", Phoenix day */
	int line;			/* in the price file, for messages */
} phx_price;

typedef struct phx_prices {
	phx_price *v;
	size_t n, cap;
	char (*direct)[PHX_COST_WORD];
	size_t ndirect;
	long long budget, month_warn, month_crit, day_warn, day_crit;
	long long prop_target, prop_warn, prop_crit;
	char name[512];			/* the file, or "(built-in)" */
} phx_prices;

/* Parse a price file's text (name is for messages). 0, or -1 with
 * "NAME:LINE: why" in err. The limits start at the runbook's defaults. */
int phx_prices_parse(const char *text, size_t len, const char *name, phx_prices *out,
		     char *err, size_t errlen);
/* Load path; NULL = $PHX_PRICES, the config key cost.prices,
 * $XDG_CONFIG_HOME/phx/prices.conf when it exists, else the built-in file.
 * 0, or -1 with the error logged. */
int phx_prices_load(const char *path, phx_prices *out);
void phx_prices_free(phx_prices *p);

/* The unit price of WHAT for service on Phoenix day ("YYYY-MM-DD"), or NULL. */
const phx_price *phx_price_unit(const phx_prices *p, const char *service, const char *what,
				const char *day);
/* qty units at price u, rounded down to the micro-dollar, exact for any qty. */
long long phx_price_cost(const phx_price *u, long long qty);
/* Units that usd_micros buys at price u (0 for a free price: see free). */
long long phx_price_units(const phx_price *u, long long usd_micros);

/* The fixed fees that fall on one Phoenix day (y-m-d): each plan in effect
 * that day contributes its share fee*d/ndays - fee*(d-1)/ndays, so a whole
 * month adds up to the fee exactly. each (may be NULL) is called per plan. */
long long phx_prices_fixed_day(const phx_prices *p, int y, int m, int d,
			       void (*each)(const phx_price *, long long, void *), void *ctx);
/* 1 when service is listed as direct. */
int phx_prices_is_direct(const phx_prices *p, const char *service);

/* "12.345678" or "12" -> micro-dollars; 0, or -1 when not money. */
int phx_money_parse(const char *s, long long *micros);
/* micro-dollars as "$12.3457" (four decimals, rounded half away from zero). */
void phx_money_format(long long micros, char out[32]);
/* Days in month m (1..12) of year y. */
int phx_month_days(int y, int m);

#endif
