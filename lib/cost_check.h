/* cost_check.h - phx-cost --gate and --check. */
#ifndef PHX_COST_CHECK_H
#define PHX_COST_CHECK_H
#include "buf.h"
#include "cost_view.h"

/* 75 (PHX_EX_TEMPFAIL) when month to date, the forecast or today is past its
 * critical limit of the price file, with one line on stderr naming which;
 * else 0. */
int phx_cost_gate(const phx_cost_view *v);
/* Monitoring Plugins output: "COST STATE - text | perfdata", then one line
 * per figure. Returns the state (0..3). The property figure counts only when
 * the store's count is known. */
int phx_cost_check(const phx_cost_view *v, phx_buf *out);

#endif
