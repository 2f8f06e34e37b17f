/* health_ping.h - healthchecks-style heartbeats around a phx-health run. */
#ifndef PHX_HEALTH_PING_H
#define PHX_HEALTH_PING_H

/* GET URL + suffix ("/start", "", "/fail", "/2"), or POST body when body is
 * not NULL; a short timeout and a few retries. Never fails the run: returns
 * 0 when the receiver answered 2xx, -1 otherwise (a warning is logged). */
int phx_health_ping(const char *url, const char *suffix, const char *body);
/* The suffix for an exit status: "" for 0, "/N" otherwise. */
const char *phx_health_ping_suffix(int exit_status, char buf[16]);

#endif
