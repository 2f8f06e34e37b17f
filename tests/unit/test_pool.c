/* test_pool.c - the small-object pool as libxml2 and jansson use it in
 * phx-fetch: realloc keeps the bytes across every size class and into
 * malloc's, strdup copies, freed blocks are reused without harm (the same
 * page extracted again and again gives the same record), and json_dumps text
 * goes back through phx_json_free. In sanitizer builds the pool is off and
 * the same checks run on the system allocator. */
#include <libxml/xmlmemory.h>
#include "jsonpool.h"
#include "xmlpool.h"
#include "mls_fixture.h"
#include "unit.h"

static int holds(const unsigned char *p, size_t n, unsigned char seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i))
			return 0;
	return 1;
}

static void fill(unsigned char *p, size_t from, size_t to, unsigned char seed)
{
	for (size_t i = from; i < to; i++)
		p[i] = (unsigned char)(seed + i);
}

static void test_realloc(void)
{
	static const size_t sizes[] = { 1, 10, 16, 17, 100, 511, 512, 513, 5000, 70000, 300,
					8 };
	unsigned char *p = xmlRealloc(NULL, 4);	/* as malloc */
	CHECK(p != NULL);
	fill(p, 0, 4, 7);
	size_t have = 4;
	int kept = 1;
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes && p; i++) {
		size_t n = sizes[i], keep = have < n ? have : n;
		p = xmlRealloc(p, n);
		if (!p || !holds(p, keep, 7))
			kept = 0;
		if (p)
			fill(p, keep, n, 7);
		have = n;
	}
	CHECK(kept);
	xmlFree(p);

	char *d = xmlMemStrdup("a string libxml2 copies");
	CHECK_STR(d, "a string libxml2 copies");
	xmlFree(d);
}

/* Freed nodes come back for the next page: every extraction the same. */
static void test_reuse(void)
{
	char err[256];
	phx_mls_selectors *sel = phx_mls_selectors_load(NULL, err, sizeof err);
	CHECK(sel != NULL);
	if (!sel)
		return;
	static const char *const pages[] = { "classic_active", "classic_acres" };
	for (size_t k = 0; k < sizeof pages / sizeof *pages; k++) {
		const char *code;
		json_t *first = fx_extract(sel, pages[k], &code);
		CHECK(first != NULL);
		int same = first != NULL;
		for (int i = 0; i < 200 && same; i++) {
			json_t *again = fx_extract(sel, pages[k], &code);
			if (again)	/* the clock's second may turn meanwhile */
				json_object_set(again, "observed_at",
						json_object_get(first, "observed_at"));
			same = again && json_equal(first, again);
			json_decref(again);
		}
		CHECK(same);
		json_decref(first);
	}
	phx_mls_selectors_free(sel);
}

static void test_dumps(void)
{
	json_t *v = json_pack("{s:[i,i], s:s}", "beds", 3, 4, "city", "Phoenix");
	int same = 1;
	for (int i = 0; i < 1000 && same; i++) {
		char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
		same = s && strcmp(s, "{\"beds\":[3,4],\"city\":\"Phoenix\"}") == 0;
		phx_json_free(s);
	}
	CHECK(same);
	json_decref(v);
}

int main(void)
{
	/* first, as phx-fetch does; off (0) in sanitizer builds */
	int json_on = phx_json_pool_enable(), xml_on = phx_xml_pool_enable();
	printf("# pools: jansson %s, libxml2 %s\n", json_on ? "on" : "off",
	       xml_on ? "on" : "off");
	CHECK_INT(json_on, xml_on);
	test_realloc();
	test_reuse();
	test_dumps();
	return unit_done();
}
