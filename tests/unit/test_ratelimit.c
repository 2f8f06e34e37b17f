/* test_ratelimit.c - bucket arithmetic, rate specs, the shared bucket file. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "unit.h"
#include "ratelimit.h"

static void arithmetic(void)
{
	phx_bucket_state s = { 0, 0, 0 };
	/* 20/s, burst 1: one now, the next 50 ms later */
	CHECK_INT(phx_bucket_take(&s, 1000, 20, 1), 0);
	CHECK_INT(phx_bucket_take(&s, 1000, 20, 1), 50);
	CHECK_INT(phx_bucket_take(&s, 1030, 20, 1), 20);
	CHECK_INT(phx_bucket_take(&s, 1050, 20, 1), 0);
	/* a long pause does not bank more than the burst */
	CHECK_INT(phx_bucket_take(&s, 100000, 20, 1), 0);
	CHECK(phx_bucket_take(&s, 100000, 20, 1) > 0);

	/* 1000/h with burst 5: five at once, then one per 3.6 s */
	phx_bucket_state h = { 0, 0, 0 };
	double per = 1000.0 / 3600;
	for (int i = 0; i < 5; i++)
		CHECK_INT(phx_bucket_take(&h, 5000, per, 5), 0);
	CHECK_INT(phx_bucket_take(&h, 5000, per, 5), 3600);
	CHECK_INT(phx_bucket_take(&h, 8600, per, 5), 0);

	/* no second holds more than rate + burst takes */
	phx_bucket_state r = { 0, 0, 0 };
	int taken = 0;
	for (int64_t t = 0; t < 1000; t++)
		if (phx_bucket_take(&r, 10000 + t, 20, 1) == 0)
			taken++;
	CHECK_INT(taken, 20);

	/* a pause (Retry-After) holds everything until it ends */
	phx_bucket_state p = { 0, 0, 0 };
	CHECK_INT(phx_bucket_take(&p, 1000, 100, 10), 0);
	p.pause_until_ms = 3000;
	CHECK_INT(phx_bucket_take(&p, 1000, 100, 10), 2000);
	CHECK_INT(phx_bucket_take(&p, 2999, 100, 10), 1);
	CHECK(phx_bucket_take(&p, 3000, 100, 10) > 0);	/* emptied by the pause */
	CHECK_INT(phx_bucket_take(&p, 3010, 100, 10), 0);
}

static void specs(void)
{
	double r, b;
	CHECK_INT(phx_rate_parse("1000/h", &r, &b), 0);
	CHECK(r > 0.2777 && r < 0.2778);
	CHECK(b == 1);
	CHECK_INT(phx_rate_parse("20/s", &r, &b), 0);
	CHECK(r == 20 && b == 1);
	CHECK_INT(phx_rate_parse("60/min:5", &r, &b), 0);
	CHECK(r == 1 && b == 5);
	CHECK_INT(phx_rate_parse("1000/hour:5", &r, &b), 0);
	CHECK(b == 5);
	CHECK_INT(phx_rate_parse("2.5", &r, &b), 0);
	CHECK(r == 2.5);
	CHECK_INT(phx_rate_parse("5000/day", &r, &b), 0);
	CHECK_INT(phx_rate_parse("0/s", &r, &b), -1);
	CHECK_INT(phx_rate_parse("-3/s", &r, &b), -1);
	CHECK_INT(phx_rate_parse("20/fortnight", &r, &b), -1);
	CHECK_INT(phx_rate_parse("20/s:0", &r, &b), -1);
	CHECK_INT(phx_rate_parse("20/s:", &r, &b), -1);
	CHECK_INT(phx_rate_parse("abc", &r, &b), -1);
	CHECK_INT(phx_rate_parse("20/", &r, &b), -1);
	CHECK_INT(phx_rate_parse("20x", &r, &b), -1);
}

static void shared(void)
{
	char dir[] = "/tmp/phx-test-ratelimit-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	setenv("PHX_STATE_DIR", dir, 1);
	/* two "processes" share the file: the budget is one */
	CHECK_INT(phx_ratelimit_take("127.0.0.1:9", 1, 2), 0);
	CHECK_INT(phx_ratelimit_take("127.0.0.1:9", 1, 2), 0);
	long w = phx_ratelimit_take("127.0.0.1:9", 1, 2);
	CHECK(w > 900 && w <= 1000);
	/* another host has its own bucket */
	CHECK_INT(phx_ratelimit_take("example.org:443", 1, 1), 0);
	/* a pause closes the bucket for everyone */
	CHECK_INT(phx_ratelimit_pause("example.org:443", phx_wall_ms() + 5000), 0);
	w = phx_ratelimit_take("example.org:443", 1000, 100);
	CHECK(w > 4000 && w <= 5000);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
}

int main(void)
{
	arithmetic();
	specs();
	shared();
	return unit_done();
}
