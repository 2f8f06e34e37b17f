/* test_mls_robots.c - robots.txt as the MLS source reads it (RFC 9309):
 * group choice, longest match with Allow winning a tie, wildcards and "$",
 * Crawl-delay, no file and an unreachable file; a hostile pattern stays fast. */
#include "buf.h"
#include "robots.h"
#include "unit.h"

static phx_robots *parse(const char *text)
{
	return phx_robots_parse(text, strlen(text), "phx-fetch");
}

static void wordpress_default(void)
{
	phx_robots *r = parse("User-agent: *\nDisallow: /wp-admin/\n"
			      "Allow: /wp-admin/admin-ajax.php\n\nSitemap: https://x/wp-sitemap.xml\n");
	CHECK(phx_robots_allowed(r, "/mls/search/?PostalCode=85031&pg=1&Limit=25"));
	CHECK(phx_robots_allowed(r, "/mls/5219-W-Glenn-Dr-Glendale-AZ-85031-mls_6937912/"));
	CHECK(!phx_robots_allowed(r, "/wp-admin/options.php"));
	CHECK(phx_robots_allowed(r, "/wp-admin/admin-ajax.php"));
	CHECK_INT(phx_robots_rules(r), 2);
	CHECK(phx_robots_crawl_delay(r) == 0);
	phx_robots_free(r);
}

static void groups(void)
{
	/* our own group wins over *, whatever the order; case does not matter */
	phx_robots *r = parse("User-agent: *\nDisallow: /private\n\n"
			      "User-agent: Googlebot\nUser-agent: PHX-Fetch/0.1\nDisallow: /mls/search\n"
			      "Crawl-delay: 5\n");
	CHECK(!phx_robots_allowed(r, "/mls/search/?PostalCode=85031"));
	CHECK(phx_robots_allowed(r, "/private/x"));	/* the * group does not apply */
	CHECK(phx_robots_crawl_delay(r) == 5);
	phx_robots_free(r);
	/* a group for someone else only */
	r = parse("User-agent: badbot\nDisallow: /\n");
	CHECK(phx_robots_allowed(r, "/mls/search/"));
	phx_robots_free(r);
	/* "phx" is not our token: no prefix matches */
	r = parse("User-agent: phx\nDisallow: /\n\nUser-agent: *\nDisallow: /x\n");
	CHECK(phx_robots_allowed(r, "/mls/"));
	CHECK(!phx_robots_allowed(r, "/x"));
	phx_robots_free(r);
	/* rules before any User-agent line belong to no group */
	r = parse("Disallow: /\nUser-agent: *\nAllow: /\n");
	CHECK(phx_robots_allowed(r, "/mls/"));
	phx_robots_free(r);
}

static void matching(void)
{
	phx_robots *r = parse("User-agent: *\nDisallow: /mls/*-mls_6940\nAllow: /mls/*-mls_69400\n"
			      "Disallow: /*.pdf$\nDisallow: /tmp\n# Disallow: /mls/\n"
			      "Disallow:\n");
	CHECK(!phx_robots_allowed(r, "/mls/a-b-mls_6940123/"));
	CHECK(phx_robots_allowed(r, "/mls/a-b-mls_6940012/"));	/* the longer Allow */
	CHECK(phx_robots_allowed(r, "/mls/a-b-mls_6950012/"));
	CHECK(!phx_robots_allowed(r, "/docs/a.pdf"));
	CHECK(phx_robots_allowed(r, "/docs/a.pdf?x=1"));	/* "$": the end */
	CHECK(!phx_robots_allowed(r, "/tmp"));
	CHECK(!phx_robots_allowed(r, "/tmpfile"));		/* a prefix */
	CHECK(phx_robots_allowed(r, "/mls/"));			/* a comment is no rule */
	phx_robots_free(r);
	/* a tie: Allow wins */
	r = parse("User-agent: *\nDisallow: /page\nAllow: /page\n");
	CHECK(phx_robots_allowed(r, "/page"));
	phx_robots_free(r);
	r = parse("User-agent: *\nDisallow: /\n");
	CHECK(!phx_robots_allowed(r, "/mls/"));
	CHECK(phx_robots_allowed(r, "/robots.txt"));
	phx_robots_free(r);
}

static void absent_and_unreachable(void)
{
	phx_robots *r = phx_robots_new(1);
	CHECK(phx_robots_allowed(r, "/anything"));
	phx_robots_free(r);
	r = phx_robots_new(0);
	CHECK(!phx_robots_allowed(r, "/mls/search/"));
	phx_robots_free(r);
	r = phx_robots_parse(NULL, 0, "phx-fetch");
	CHECK(phx_robots_allowed(r, "/x"));
	phx_robots_free(r);
	/* CRLF lines, spaces, a junk delay */
	r = parse("User-agent : *\r\nDisallow : /a \r\nCrawl-delay: soon\r\n");
	CHECK(!phx_robots_allowed(r, "/a/b"));
	CHECK(phx_robots_crawl_delay(r) == 0);
	phx_robots_free(r);
}

static void hostile(void)
{
	/* many stars against a long path: one backtrack point keeps it linear-ish */
	char path[4000];
	phx_buf b = PHX_BUF_INIT;
	phx_buf_adds(&b, "User-agent: *\nDisallow: /");
	for (int i = 0; i < 200; i++)
		phx_buf_adds(&b, "a*");
	phx_buf_adds(&b, "b\n");
	memset(path, 'a', sizeof path - 1);
	path[0] = '/';
	path[sizeof path - 1] = '\0';
	phx_robots *r = parse(b.data);
	CHECK(phx_robots_allowed(r, path));
	phx_robots_free(r);
	phx_buf_free(&b);
}

int main(void)
{
	wordpress_default();
	groups();
	matching();
	absent_and_unreachable();
	hostile();
	return unit_done();
}
