/* health_net.h - the few HTTP requests of the health checks, through the
 * suite's HTTP engine (http.h), bounded by the check's deadline. */
#ifndef PHX_HEALTH_NET_H
#define PHX_HEALTH_NET_H
#include <stddef.h>
#include "health.h"
#include "http.h"

typedef struct phx_health_get {
	const char *url;
	const struct curl_slist *headers;	/* borrowed; may be NULL */
	/* results */
	int done;		/* an answer or an error came before the deadline */
	char *error;		/* NULL when a response came, else a reject code */
	char *detail;		/* words for the error */
	long status;
	char *reason, *ctype, *body;
	size_t body_len;
	long ms;
} phx_health_get;

/* An engine for one check: no retries, no usage lines, the check's timeout
 * for connect and total. Call from setup() (main thread). NULL with an
 * error set in the check's result. */
phx_http *phx_health_http(phx_health_check *c, const phx_health_ctx *ctx);
/* Send gets[0..n) at once and wait for them until c's deadline; those not
 * answered by then end with error "fetch.timeout". */
void phx_health_fetch(phx_http *h, phx_health_check *c, phx_health_get *gets, size_t n);
/* The answer as the engine's result type, for phx_maricopa_check(). */
void phx_health_as_result(const phx_health_get *g, phx_http_result *out);
void phx_health_get_free(phx_health_get *g);

#endif
