/* test_redact.c - secrets and URL passwords never print. */
#include <stdlib.h>
#include "unit.h"
#include "redact.h"

static void check(const char *in, const char *want)
{
	char *got = phx_redact_dup(in);
	CHECK_STR(got, want);
	free(got);
}

int main(void)
{
	check("no secrets here", "no secrets here");
	check("mongodb://user:hunter22@db.example:27017/x",
	      "mongodb://user:***@db.example:27017/x");
	check("http://u:p@127.0.0.1:8080 and socks5://a:bcd@h:1",
	      "http://u:***@127.0.0.1:8080 and socks5://a:***@h:1");
	check("http://user@host/path", "http://user@host/path");
	check("http://host/a:b@c", "http://host/a:b@c");
	phx_redact_add("abc");	/* too short to be a secret: ignored */
	check("abc", "abc");
	phx_redact_add("0b8e2f7a-token");
	check("key=0b8e2f7a-token;again 0b8e2f7a-token", "key=***;again ***");
	CHECK(phx_redact_needed("x 0b8e2f7a-token", 16));
	CHECK(!phx_redact_needed("nothing", 7));
	phx_redact_add("p@ss:word");
	check("mongodb://me:p@ss:word@host/db", "mongodb://me:***@host/db");
	phx_redact_reset();
	check("0b8e2f7a-token", "0b8e2f7a-token");
	return unit_done();
}
