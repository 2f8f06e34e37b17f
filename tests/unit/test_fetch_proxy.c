/* test_fetch_proxy.c - ban detection, and the pick/report hook over a real
 * scoreboard file: round robin, the per-proxy limit, tried proxies, bans
 * written back, no proxy left, --allow-direct. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "fetch_proxy.h"
#include "proxypool.h"

static void test_judge(void)
{
	phx_ban_rules r;
	char why[160];
	const char *page = "<html>fine</html>";
	unsetenv("PHX_PROXY_BLOCK_MARKERS");
	phx_ban_rules_load(&r);
	CHECK_INT(phx_proxy_judge(&r, 200, 0, page, strlen(page), why, sizeof why), PHX_VERDICT_OK);
	CHECK_INT(phx_proxy_judge(&r, 404, 0, page, strlen(page), why, sizeof why), PHX_VERDICT_OK);
	CHECK_INT(phx_proxy_judge(&r, 403, 0, page, strlen(page), why, sizeof why), PHX_VERDICT_BAN);
	CHECK_STR(why, "HTTP 403");
	CHECK_INT(phx_proxy_judge(&r, 407, 0, NULL, 0, why, sizeof why), PHX_VERDICT_BAN);
	CHECK_INT(phx_proxy_judge(&r, 429, 0, NULL, 0, why, sizeof why), PHX_VERDICT_BAN);
	CHECK_INT(phx_proxy_judge(&r, 200, 0, NULL, 0, why, sizeof why), PHX_VERDICT_BAN);
	CHECK_STR(why, "empty 200");
	CHECK_INT(phx_proxy_judge(&r, 204, 0, NULL, 0, why, sizeof why), PHX_VERDICT_OK);
	CHECK_INT(phx_proxy_judge(&r, 503, 0, page, strlen(page), why, sizeof why),
		  PHX_VERDICT_NEUTRAL);
	CHECK_INT(phx_proxy_judge(&r, 0, 7, NULL, 0, why, sizeof why), PHX_VERDICT_BAN);
	CHECK_INT(phx_proxy_judge(&r, 0, 28, NULL, 0, why, sizeof why), PHX_VERDICT_BAN);
	CHECK_INT(phx_proxy_judge(&r, 0, 23, NULL, 0, why, sizeof why), PHX_VERDICT_NEUTRAL);
	/* A marker matches across case; the body need not be NUL-terminated. */
	const char blocked[] = { 'x', 'A', 'c', 'C', 'e', 's', 'S', ' ', 'D', 'E', 'N', 'I', 'E',
				 'D', 'x' };
	CHECK_INT(phx_proxy_judge(&r, 200, 0, blocked, sizeof blocked, why, sizeof why),
		  PHX_VERDICT_BAN);
	CHECK_STR(why, "block page marker \"access denied\"");
	CHECK_INT(phx_proxy_judge(&r, 200, 0, blocked, sizeof blocked - 2, why, sizeof why),
		  PHX_VERDICT_OK);
	phx_ban_rules_free(&r);

	setenv("PHX_PROXY_BLOCK_MARKERS", " Sorry, Robot , ,please wait", 1);
	phx_ban_rules_load(&r);
	CHECK_INT(r.n, 3);	/* "sorry", "robot", "please wait" */
	CHECK_INT(phx_proxy_judge(&r, 200, 0, "PLEASE WAIT...", 14, why, sizeof why),
		  PHX_VERDICT_BAN);
	CHECK_INT(phx_proxy_judge(&r, 200, 0, "access denied", 13, why, sizeof why),
		  PHX_VERDICT_OK);
	phx_ban_rules_free(&r);
	unsetenv("PHX_PROXY_BLOCK_MARKERS");
}

static void write_pool(const char *path)
{
	phx_pool pool;
	char err[64];
	const char *urls[] = { "http://127.0.0.1:4001", "http://u:Pw-4002-x@127.0.0.1:4002",
			       "http://127.0.0.1:4003" };
	phx_pool_open(&pool, path, 1);
	for (int i = 0; i < 3; i++) {
		phx_proxy p;
		phx_proxy_parse_url(urls[i], &p, err, sizeof err);
		phx_pool_add(&pool, &p, time(NULL));
	}
	phx_pool_save(&pool);
	phx_pool_close(&pool);
}

static phx_http_attempt attempt(const char *proxy, long status, int curl_code)
{
	phx_http_attempt a = { "http://127.0.0.1:9/x", "127.0.0.1:9", proxy, 1, status,
			       curl_code, 100, 200, "body", 4, 5 };
	return a;
}

static void test_hook(const char *dir)
{
	char path[1200];
	phx_fetch_proxy_opts o = { 0 };
	phx_fetch_proxy *fp = NULL;
	const char *u[6] = { 0 };
	phx_http_attempt a;
	phx_pool pool;
	snprintf(path, sizeof path, "%s/hook.json", dir);
	write_pool(path);
	o.pool_path = path;
	o.per_proxy = 1;
	CHECK_INT(phx_fetch_proxy_open(&fp, &o), 0);
	if (!fp)
		return;
	CHECK_INT(phx_fetch_proxy_usable(fp), 3);
	for (int i = 0; i < 3; i++)
		CHECK_INT(phx_fetch_proxy_pick(fp, "http://x/", "x:80", NULL, 0, &u[i]),
			  PHX_PICK_PROXY);
	CHECK_STR(u[0], "http://127.0.0.1:4001");
	CHECK_STR(u[1], "http://u:Pw-4002-x@127.0.0.1:4002");
	CHECK_STR(u[2], "http://127.0.0.1:4003");
	/* All at their limit of one: the limit bends rather than failing. */
	CHECK_INT(phx_fetch_proxy_pick(fp, "http://x/", "x:80", NULL, 0, &u[3]), PHX_PICK_PROXY);
	a = attempt(u[0], 200, 0);
	CHECK_INT(phx_fetch_proxy_report(fp, &a), PHX_REPORT_OK);
	a = attempt(u[3], 200, 0);
	phx_fetch_proxy_report(fp, &a);
	/* 4001 is free again, 4002 and 4003 busy: 4001 it is. */
	CHECK_INT(phx_fetch_proxy_pick(fp, "http://x/", "x:80", NULL, 0, &u[4]), PHX_PICK_PROXY);
	CHECK_STR(u[4], "http://127.0.0.1:4001");
	/* A ban is written to the scoreboard at once and the proxy is skipped. */
	a = attempt(u[1], 403, 0);
	CHECK_INT(phx_fetch_proxy_report(fp, &a), PHX_REPORT_BANNED);
	CHECK_INT(phx_pool_open(&pool, path, 0), 0);
	phx_proxy *p = phx_pool_find(&pool, "http://u@127.0.0.1:4002");
	CHECK(p && p->state == PHX_PROXY_DEAD && p->bytes_down == 200);
	p = phx_pool_find(&pool, "http://127.0.0.1:4001");
	CHECK(p && p->state == PHX_PROXY_GOOD && p->ok_total == 2);
	phx_pool_close(&pool);
	CHECK_INT(phx_fetch_proxy_usable(fp), 2);
	a = attempt(u[2], 200, 0);
	phx_fetch_proxy_report(fp, &a);
	a = attempt(u[4], 200, 0);
	phx_fetch_proxy_report(fp, &a);
	/* A proxy that already failed this request is not offered again. */
	const char *tried[] = { "http://127.0.0.1:4001" };
	for (int i = 0; i < 4; i++) {
		const char *got = NULL;
		CHECK_INT(phx_fetch_proxy_pick(fp, "http://x/", "x:80", tried, 1, &got),
			  PHX_PICK_PROXY);
		CHECK(got && strcmp(got, "http://127.0.0.1:4003") == 0);
		a = attempt(got, 200, 0);
		phx_fetch_proxy_report(fp, &a);
	}
	/* Connection failures kill the rest: none left. */
	const char *tried2[] = { "http://127.0.0.1:4001", "http://127.0.0.1:4003" };
	CHECK_INT(phx_fetch_proxy_pick(fp, "http://x/", "x:80", tried2, 2, &u[5]), PHX_PICK_NONE);
	for (int i = 0; i < 2; i++) {
		const char *got = NULL;
		phx_fetch_proxy_pick(fp, "http://x/", "x:80", NULL, 0, &got);
		a = attempt(got, 0, 7);
		CHECK_INT(phx_fetch_proxy_report(fp, &a), PHX_REPORT_BANNED);
	}
	CHECK_INT(phx_fetch_proxy_usable(fp), 0);
	CHECK_INT(phx_fetch_proxy_pick(fp, "http://x/", "x:80", NULL, 0, &u[5]), PHX_PICK_NONE);
	CHECK_INT(phx_fetch_proxy_failed(fp), 0);
	phx_fetch_proxy_close(fp);

	/* A restart reads the same scoreboard; --allow-direct goes direct. */
	o.allow_direct = 1;
	CHECK_INT(phx_fetch_proxy_open(&fp, &o), 0);
	CHECK_INT(phx_fetch_proxy_usable(fp), 0);
	CHECK_INT(phx_fetch_proxy_pick(fp, "http://x/", "x:80", NULL, 0, &u[5]), PHX_PICK_DIRECT);
	phx_fetch_proxy_close(fp);
}

int main(void)
{
	const char *t = getenv("T");
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", t ? t : "/tmp");
	test_judge();
	test_hook(dir);
	return unit_done();
}
