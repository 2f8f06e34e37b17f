/* threshold.h - Monitoring Plugins ranges, states and perfdata.
 *
 * The range syntax of the Monitoring Plugins development guidelines, used by
 * phx-health -w/-c and phx-cost --check:
 *   "10"     alert when v < 0 or v > 10
 *   "10:"    alert when v < 10
 *   "~:10"   alert when v > 10
 *   "10:20"  alert when v < 10 or v > 20
 *   "@10:20" alert when 10 <= v <= 20 (inside)
 * Perfdata: 'label'=value[UOM];warn;crit;min;max */
#ifndef PHX_THRESHOLD_H
#define PHX_THRESHOLD_H
#include "buf.h"

typedef struct phx_range {
	double lo, hi;
	int lo_inf, hi_inf;	/* ~ start, or no end */
	int inside;		/* @: alert inside the range */
	int set;		/* 0: no threshold, never alerts */
	char text[40];		/* as given, for perfdata */
} phx_range;

/* 0 and *r filled, or -1 (r->set = 0) when s is not a range. NULL or "" = unset. */
int phx_range_parse(const char *s, phx_range *r);
/* 1 when v is outside the range (inside for @), 0 otherwise or when unset. */
int phx_range_alert(const phx_range *r, double v);
/* PHX_MP_OK/WARNING/CRITICAL for v; either range may be NULL or unset. */
int phx_threshold_state(double v, const phx_range *warn, const phx_range *crit);
/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *phx_mp_state_name(int state);
/* Worst of two Monitoring Plugins states: CRITICAL > WARNING > UNKNOWN > OK. */
int phx_mp_worst(int a, int b);
/* Append one perfdata item, preceded by a space when b is not empty.
 * warn/crit may be NULL; min/max are printed when has_min/has_max. */
void phx_perfdata_add(phx_buf *b, const char *label, double value, const char *uom,
		      const phx_range *warn, const phx_range *crit,
		      int has_min, double min, int has_max, double max);

#endif
