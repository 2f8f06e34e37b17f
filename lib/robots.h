/* robots.h - robots.txt (RFC 9309) read and obeyed: the group for our
 * product token, else the "*" group; the longest matching rule decides, an
 * Allow winning a tie; "*" and a final "$" in patterns; Crawl-delay (not in
 * the RFC, but what a small site asks for) of the chosen group. */
#ifndef PHX_ROBOTS_H
#define PHX_ROBOTS_H
#include <stddef.h>

typedef struct phx_robots phx_robots;

/* The rules of text for agent (a product token such as "phx-fetch", matched
 * case-insensitively against User-agent lines). Never NULL. */
phx_robots *phx_robots_parse(const char *text, size_t len, const char *agent);
/* Everything allowed (no robots.txt: 4xx) or nothing (5xx, unreachable). */
phx_robots *phx_robots_new(int allow_all);
/* 1 when path (with its query string, from the "/") may be fetched. */
int phx_robots_allowed(const phx_robots *r, const char *path);
/* Seconds between requests the site asks for; 0 when it asks nothing. */
double phx_robots_crawl_delay(const phx_robots *r);
/* Rules kept (for logs and tests). */
size_t phx_robots_rules(const phx_robots *r);
void phx_robots_free(phx_robots *r);

#endif
