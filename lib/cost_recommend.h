/* cost_recommend.h - phx-cost --recommend: savings found in the ledger.
 *
 * Every recommendation is a figure of this month's ledger with the dollars
 * it would save over the whole month (month to date extended at its rate):
 *   proxy.direct     proxy bytes of requests to a service listed "direct"
 *   proxy.failed     proxy bytes of requests that failed (status 0 or >= 400)
 *   fetch.unchanged  proxy bytes and request prices of fetches that found
 *                    nothing changed (304, "changed": false)
 *   llm.tokens       tokens of a priced (hosted) model, per stored property
 *   fixed.unused     a monthly plan whose service was not used this month
 * Proxy bytes are valued at this month's average price per proxy byte.
 * Nothing is said that the ledger does not show. */
#ifndef PHX_COST_RECOMMEND_H
#define PHX_COST_RECOMMEND_H
#include "buf.h"
#include "cost_view.h"

void phx_cost_recommend(const phx_cost_view *v, const phx_cost_ledger *l, int json,
			phx_buf *out);

#endif
