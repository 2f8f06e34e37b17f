/* test_proxypool.c - the proxy scoreboard: parsing, identity, states,
 * backoff, persistence, merging and round robin. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <limits.h>

#include "unit.h"
#include "proxypool.h"
#include "buf.h"

static void test_parse_url(void)
{
	phx_proxy p;
	char err[128];
	phx_buf b = PHX_BUF_INIT;

	CHECK_INT(phx_proxy_parse_url("http://alice:s%3Acret@10.0.0.1:8080", &p, err, sizeof err), 0);
	CHECK_STR(p.scheme, "http");
	CHECK_STR(p.user, "alice");
	CHECK_STR(p.password, "s:cret");
	CHECK_STR(p.host, "10.0.0.1");
	CHECK_INT(p.port, 8080);
	phx_proxy_key(&p, &b);
	CHECK_STR(b.data, "http://alice@10.0.0.1:8080");
	phx_buf_clear(&b);
	phx_proxy_url(&p, 0, &b);
	CHECK_STR(b.data, "http://alice:***@10.0.0.1:8080");
	phx_buf_clear(&b);
	phx_proxy_url(&p, 1, &b);
	CHECK_STR(b.data, "http://alice:s%3Acret@10.0.0.1:8080");
	phx_proxy_free(&p);

	CHECK_INT(phx_proxy_parse_url("SOCKS5://proxy.example:1080/", &p, err, sizeof err), 0);
	CHECK_STR(p.scheme, "socks5");
	CHECK(p.user == NULL && p.password == NULL);
	phx_proxy_free(&p);

	CHECK_INT(phx_proxy_parse_url("127.0.0.1:3128", &p, err, sizeof err), 0);
	CHECK_STR(p.scheme, "http");
	phx_proxy_free(&p);

	CHECK_INT(phx_proxy_parse_url("http://[::1]:3128", &p, err, sizeof err), 0);
	CHECK_STR(p.host, "[::1]");
	phx_proxy_free(&p);

	CHECK_INT(phx_proxy_parse_url("ftp://h:1", &p, err, sizeof err), -1);
	CHECK_INT(phx_proxy_parse_url("http://h:0", &p, err, sizeof err), -1);
	CHECK_INT(phx_proxy_parse_url("http://h:70000", &p, err, sizeof err), -1);
	CHECK_INT(phx_proxy_parse_url("http://h", &p, err, sizeof err), -1);
	CHECK_INT(phx_proxy_parse_url("http://u:pw%zz@h:1", &p, err, sizeof err), -1);
	CHECK(strstr(err, "pw") == NULL);
	CHECK_INT(phx_proxy_parse_url("http://h:1/path", &p, err, sizeof err), -1);
	CHECK_INT(phx_proxy_parse_url("http://bad host:1", &p, err, sizeof err), -1);
	phx_buf_free(&b);
}

static void test_parse_colon(void)
{
	phx_proxy p;
	char err[128];
	CHECK_INT(phx_proxy_parse_colon("1.2.3.4:5678:user1:pa:ss", &p, err, sizeof err), 0);
	CHECK_STR(p.host, "1.2.3.4");
	CHECK_INT(p.port, 5678);
	CHECK_STR(p.user, "user1");
	CHECK_STR(p.password, "pa:ss");
	phx_proxy_free(&p);
	CHECK_INT(phx_proxy_parse_colon("1.2.3.4:5678", &p, err, sizeof err), 0);
	CHECK(p.user == NULL);
	phx_proxy_free(&p);
	CHECK_INT(phx_proxy_parse_colon("1.2.3.4:5678:user", &p, err, sizeof err), -1);
	CHECK_INT(phx_proxy_parse_colon("1.2.3.4:x:u:p", &p, err, sizeof err), -1);
	CHECK_INT(phx_proxy_parse_colon("1.2.3.4:1::p", &p, err, sizeof err), -1);
}

static void test_backoff(void)
{
	phx_backoff b = { 300, 3600 };
	CHECK_INT(phx_backoff_delay(&b, 1, 1.0), 300);
	CHECK_INT(phx_backoff_delay(&b, 2, 1.0), 600);
	CHECK_INT(phx_backoff_delay(&b, 4, 1.0), 2400);
	CHECK_INT(phx_backoff_delay(&b, 5, 1.0), 3600);
	CHECK_INT(phx_backoff_delay(&b, 60, 1.0), 3600);
	CHECK_INT(phx_backoff_delay(&b, 3, 0.0), 0);
	CHECK_INT(phx_backoff_delay(&b, 3, 0.5), 600);
}

static phx_proxy *add_url(phx_pool *pool, const char *url, const char *source)
{
	phx_proxy p;
	char err[128];
	if (phx_proxy_parse_url(url, &p, err, sizeof err) != 0)
		return NULL;
	p.source = strdup(source);
	return phx_pool_add(pool, &p, 1000);
}

/* Full jitter: draws spread over the window, never beyond it. */
static void test_failure_jitter(const char *dir)
{
	phx_pool pool;
	char path[PATH_MAX];
	phx_proxy *p;
	long long lo = 1 << 30, hi = -1;
	phx_proxy_why why = { 503, NULL, "http://127.0.0.1/x", NULL };
	snprintf(path, sizeof path, "%s/jitter.json", dir);
	CHECK_INT(phx_pool_open(&pool, path, 0), 0);
	pool.backoff.base_s = 100;
	pool.backoff.cap_s = 400;
	p = add_url(&pool, "http://h:1", "t");
	for (int i = 0; i < 400; i++) {
		long long d;
		p->failures = 2;	/* the next failure is the third: window 400 */
		phx_pool_failure(&pool, p, &why, 10000);
		d = (long long)(p->dead_until - 10000);
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	CHECK(lo >= 1);
	CHECK(hi <= 400);
	CHECK(lo < 100);	/* a uniform draw over [0,400] gets below 100 */
	CHECK(hi > 300);
	CHECK_INT(p->state, PHX_PROXY_DEAD);
	CHECK_INT(json_array_size(p->history) > 0, 1);
	phx_pool_success(&pool, p, NULL, 42, 20000);
	CHECK_INT(p->failures, 0);
	CHECK_INT(p->state, PHX_PROXY_GOOD);
	CHECK_INT(p->dead_until, 0);
	phx_pool_close(&pool);
}

static void test_persist(const char *dir)
{
	phx_pool pool;
	char path[PATH_MAX];
	struct stat st;
	phx_proxy *p, *q;
	json_t *last;
	phx_proxy_why why = { 403, NULL, "http://127.0.0.1:9/page?api_key=zz", "ban" };

	snprintf(path, sizeof path, "%s/pool.json", dir);
	CHECK_INT(phx_pool_open(&pool, path, 1), 0);
	CHECK_INT(pool.n, 0);
	p = add_url(&pool, "http://alice:secret1@127.0.0.1:3001", "file");
	add_url(&pool, "http://bob:secret2@127.0.0.1:3001", "file");	/* other user: other proxy */
	add_url(&pool, "socks5://127.0.0.1:3002", "file");
	CHECK_INT(pool.n, 3);
	phx_pool_failure(&pool, p, &why, time(NULL));
	p->dead_until = time(NULL) + 1000;	/* no revival on the reopen below */
	CHECK_INT(phx_pool_save(&pool), 0);
	phx_pool_close(&pool);

	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0600);

	CHECK_INT(phx_pool_open(&pool, path, 1), 0);
	CHECK_INT(pool.n, 3);
	p = phx_pool_find(&pool, "http://alice:***@127.0.0.1:3001");
	q = phx_pool_find(&pool, "http://bob@127.0.0.1:3001");
	CHECK(p != NULL && q != NULL && p != q);
	if (!p || !q) {
		phx_pool_close(&pool);
		return;
	}
	CHECK_STR(p->password, "secret1");
	CHECK_INT(p->state, PHX_PROXY_DEAD);
	CHECK_INT(p->failures, 1);
	last = json_array_get(p->history, json_array_size(p->history) - 1);
	CHECK_STR(json_string_value(json_object_get(last, "to")), "dead");
	CHECK_INT(json_integer_value(json_object_get(last, "status")), 403);
	CHECK_STR(json_string_value(json_object_get(last, "reason")), "ban");

	/* Backoff over: the next open finds it unchecked again, and says why. */
	p->dead_until = time(NULL) - 1;
	CHECK_INT(phx_pool_save(&pool), 0);
	phx_pool_close(&pool);
	CHECK_INT(phx_pool_open(&pool, path, 1), 0);
	p = phx_pool_find(&pool, "http://alice@127.0.0.1:3001");
	CHECK(p != NULL);
	if (p) {
		CHECK_INT(p->state, PHX_PROXY_UNCHECKED);
		last = json_array_get(p->history, json_array_size(p->history) - 1);
		CHECK_STR(json_string_value(json_object_get(last, "reason")), "backoff over");
	}
	phx_pool_close(&pool);
}

static void test_corrupt(const char *dir)
{
	phx_pool pool;
	char path[PATH_MAX];
	FILE *f;
	snprintf(path, sizeof path, "%s/bad.json", dir);
	f = fopen(path, "w");
	fputs("{\"proxies\": [ {\"host\": 1} ]}", f);
	fclose(f);
	CHECK(phx_pool_open(&pool, path, 1) != 0);
	phx_pool_close(&pool);
	f = fopen(path, "w");
	fputs("not json", f);
	fclose(f);
	CHECK(phx_pool_open(&pool, path, 1) != 0);
	phx_pool_close(&pool);
}

static void test_merge(const char *dir)
{
	phx_pool pool;
	char path[PATH_MAX], err[64];
	phx_proxy list[2], *p;
	size_t a, u, r;
	snprintf(path, sizeof path, "%s/merge.json", dir);
	CHECK_INT(phx_pool_open(&pool, path, 1), 0);
	add_url(&pool, "http://u:old@127.0.0.1:1", "webshare");
	add_url(&pool, "http://u:old@127.0.0.1:2", "webshare");
	add_url(&pool, "http://u:mine@127.0.0.1:3", "file");
	phx_pool_failure(&pool, &pool.v[0], NULL, 5000);
	phx_proxy_parse_url("http://u:new@127.0.0.1:1", &list[0], err, sizeof err);
	phx_proxy_parse_url("http://u:new@127.0.0.1:4", &list[1], err, sizeof err);
	phx_pool_merge(&pool, list, 2, "webshare", 6000, &a, &u, &r);
	CHECK_INT(a, 1);
	CHECK_INT(u, 1);
	CHECK_INT(r, 1);
	CHECK_INT(pool.n, 4);
	p = phx_pool_find(&pool, "http://u@127.0.0.1:1");
	const char *renewed = "new";	/* named: the test log prints the expression */
	CHECK(p && strcmp(p->password, renewed) == 0);
	CHECK(p && p->fail_total == 1 && json_array_size(p->history) >= 1);
	CHECK(phx_pool_find(&pool, "http://u@127.0.0.1:2")->retired);
	CHECK(!phx_pool_find(&pool, "http://u@127.0.0.1:3")->retired);	/* other source */

	/* Back in the source: un-retired, unchecked. */
	phx_proxy_parse_url("http://u:new@127.0.0.1:2", &list[0], err, sizeof err);
	phx_pool_merge(&pool, list, 1, "webshare", 7000, &a, &u, &r);
	p = phx_pool_find(&pool, "http://u@127.0.0.1:2");
	CHECK(p && !p->retired && p->state == PHX_PROXY_UNCHECKED);
	CHECK_INT(r, 2);	/* 1 and 4 are gone now */
	phx_pool_close(&pool);
}

static int skip_port(const phx_proxy *p, void *arg)
{
	return p->port == *(int *)arg;
}

static void test_next(const char *dir)
{
	phx_pool pool;
	char path[PATH_MAX];
	phx_proxy *p;
	int seen[6] = { 0 }, busy = 2;
	snprintf(path, sizeof path, "%s/next.json", dir);
	CHECK_INT(phx_pool_open(&pool, path, 1), 0);
	CHECK(phx_pool_next(&pool, NULL, NULL) == NULL);
	for (int i = 1; i <= 5; i++) {
		char url[64];
		snprintf(url, sizeof url, "http://127.0.0.1:%d", i);
		add_url(&pool, url, "file");
	}
	phx_pool_failure(&pool, &pool.v[2], NULL, time(NULL));	/* port 3 dead */
	pool.v[3].retired = 1;					/* port 4 retired */
	for (int i = 0; i < 9; i++) {
		p = phx_pool_next(&pool, NULL, NULL);
		if (p)
			seen[p->port]++;
	}
	CHECK_INT(seen[1], 3);
	CHECK_INT(seen[2], 3);
	CHECK_INT(seen[5], 3);
	CHECK_INT(seen[3] + seen[4], 0);
	p = phx_pool_next(&pool, skip_port, &busy);
	CHECK(p && p->port != 2);
	pool.v[0].state = pool.v[1].state = pool.v[4].state = PHX_PROXY_DEAD;
	CHECK(phx_pool_next(&pool, NULL, NULL) == NULL);
	phx_pool_close(&pool);
}

int main(void)
{
	const char *t = getenv("T");
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", t ? t : "/tmp");
	test_parse_url();
	test_parse_colon();
	test_backoff();
	test_failure_jitter(dir);
	test_persist(dir);
	test_corrupt(dir);
	test_merge(dir);
	test_next(dir);
	return unit_done();
}
