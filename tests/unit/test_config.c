/* test_config.c - precedence, secrets from NAME_FILE, refused secret keys. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "unit.h"
#include "config.h"
#include "redact.h"

static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof path, "/tmp/phx-test-config-%ld-%s", (long)getpid(), name);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

int main(void)
{
	const char *conf = write_file("ok.conf", "# comment\nfetch.rate = 20/s\n"
				      "store.db = \"/tmp/x.db\"\nfetch.rate=30/s\n");
	CHECK_INT(phx_config_load(conf), 0);
	CHECK_STR(phx_config_file_value("fetch.rate"), "30/s");	/* last one wins */
	CHECK_STR(phx_config_file_value("store.db"), "/tmp/x.db");
	static const char *const envs[] = { "PHX_TEST_RATE", "PHX_TEST_RATE_OLD", NULL };
	unsetenv("PHX_TEST_RATE");
	setenv("PHX_TEST_RATE_OLD", "40/s", 1);
	CHECK_STR(phx_setting("50/s", envs, "fetch.rate", "1/s"), "50/s");
	CHECK_STR(phx_setting(NULL, envs, "fetch.rate", "1/s"), "40/s");
	CHECK_STR(phx_setting_origin(NULL, envs, "fetch.rate"), "env:PHX_TEST_RATE_OLD");
	unsetenv("PHX_TEST_RATE_OLD");
	CHECK_STR(phx_setting(NULL, envs, "fetch.rate", "1/s"), "30/s");
	CHECK_STR(phx_setting(NULL, envs, "nope", "1/s"), "1/s");
	CHECK_STR(phx_setting_origin(NULL, envs, "nope"), "default");
	unlink(conf);

	const char *bad = write_file("bad.conf", "maricopa.api_key = abcdef\n");
	CHECK_INT(phx_config_load(bad), 78);
	unlink(bad);
	CHECK_INT(phx_config_load("/nonexistent/phx.conf"), 78);

	int err;
	const char *sf = write_file("secret", "s3cret-value\n");
	unsetenv("PHX_TEST_KEY");
	setenv("PHX_TEST_KEY_FILE", sf, 1);
	char *s = phx_secret("PHX_TEST_KEY", &err);
	CHECK_STR(s, "s3cret-value");
	CHECK_INT(err, 0);
	char *red = phx_redact_dup("token s3cret-value");
	CHECK_STR(red, "token ***");
	free(red);
	phx_secret_free(s);
	unlink(sf);
	s = phx_secret("PHX_TEST_KEY", &err);	/* file gone */
	CHECK(s == NULL);
	CHECK_INT(err, 78);
	unsetenv("PHX_TEST_KEY_FILE");
	s = phx_secret("PHX_TEST_KEY", &err);
	CHECK(s == NULL);
	CHECK_INT(err, 0);

	setenv("PHX_TEST_URI", "mongodb://app:Zq9-secret@db.example:27017/x", 1);
	s = phx_secret("PHX_TEST_URI", &err);
	red = phx_redact_dup("connecting to mongodb://app:Zq9-secret@db.example:27017/x");
	CHECK_STR(red, "connecting to mongodb://app:***@db.example:27017/x");
	free(red);
	red = phx_redact_dup("password Zq9-secret alone");
	CHECK_STR(red, "password *** alone");
	free(red);
	phx_secret_free(s);

	long long v;
	double d;
	CHECK_INT(phx_parse_int("n", "12", 0, 100, &v), 0);
	CHECK_INT(v, 12);
	CHECK_INT(phx_parse_int("n", "12x", 0, 100, &v), -1);
	CHECK_INT(phx_parse_int("n", "101", 0, 100, &v), -1);
	CHECK_INT(phx_parse_double("f", "0.95", 0, 1, &d), 0);
	CHECK_INT(phx_parse_double("f", "nan", 0, 1, &d), -1);
	return unit_done();
}
