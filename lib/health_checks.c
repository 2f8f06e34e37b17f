/* health_checks.c - the table of phx-health's checks, in output order. */
#include "health_checks.h"

#include <string.h>

#define ENTRY(n, what) { #n, what, phx_health_##n##_metrics, phx_health_##n##_setup, \
	phx_health_##n##_run, phx_health_##n##_cleanup, NULL, 0, 0, { 0 } }

static phx_health_check checks[] = {
	ENTRY(store, "the SQLite file passes quick_check, or MongoDB answers ping"),
	ENTRY(llm, "the LLM server lists the configured model (/api/tags)"),
	ENTRY(proxies, "good, dead and unchecked proxies of the pool"),
	ENTRY(sources, "the assessor accepts the token; the MLS site's robots.txt answers"),
	ENTRY(runs, "the run journal: last successful runs and the SLA figures"),
	ENTRY(budget, "month-to-date, today's and forecast spend against the budget (phx-cost)"),
	ENTRY(host, "load per CPU, memory, disk use of the state and database directories"),
};

phx_health_check *phx_health_checks(size_t *n)
{
	*n = sizeof checks / sizeof *checks;
	return checks;
}

phx_health_check *phx_health_find(const char *name)
{
	for (size_t i = 0; i < sizeof checks / sizeof *checks; i++)
		if (strcmp(checks[i].name, name) == 0)
			return &checks[i];
	return NULL;
}
