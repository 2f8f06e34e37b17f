/* health_checks.h - each check of phx-health, one file each (health_*.c),
 * gathered into the table of health_checks.c. */
#ifndef PHX_HEALTH_CHECKS_H
#define PHX_HEALTH_CHECKS_H
#include "health.h"

#define PHX_HEALTH_DECLARE(name) \
	extern const phx_health_metric_def phx_health_##name##_metrics[]; \
	int phx_health_##name##_setup(phx_health_check *c, phx_health_ctx *ctx); \
	void phx_health_##name##_run(phx_health_check *c, phx_health_ctx *ctx); \
	void phx_health_##name##_cleanup(phx_health_check *c)

PHX_HEALTH_DECLARE(store);
PHX_HEALTH_DECLARE(llm);
PHX_HEALTH_DECLARE(proxies);
PHX_HEALTH_DECLARE(sources);
PHX_HEALTH_DECLARE(runs);
PHX_HEALTH_DECLARE(host);
PHX_HEALTH_DECLARE(budget);

/* /proc/meminfo text: MemTotal and MemAvailable in kB. 0, or -1 when
 * either is missing (health_host.c; fuzzed). */
int phx_health_meminfo_parse(const char *text, size_t len, long long *total_kb,
			     long long *avail_kb);

#endif
