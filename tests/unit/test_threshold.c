/* test_threshold.c - Monitoring Plugins ranges against the table of examples
 * in the development guidelines, states, and perfdata text. */
#include "unit.h"
#include "buf.h"
#include "exitcode.h"
#include "threshold.h"

/* Alert for each of the values -1, 0, 5, 10, 15, 20, 25. */
static void check_row(const char *range, const char *want)
{
	static const double v[] = { -1, 0, 5, 10, 15, 20, 25 };
	phx_range r;
	char got[8];
	int ok = phx_range_parse(range, &r) == 0;
	for (int i = 0; i < 7; i++)
		got[i] = ok && phx_range_alert(&r, v[i]) ? 'A' : '.';
	got[7] = '\0';
	printf("# range %-8s alerts at -1,0,5,10,15,20,25: %s\n", range, got);
	CHECK_STR(got, want);
}

static void test_guideline_table(void)
{
	check_row("10", "A...AAA");	/* < 0 or > 10 */
	check_row("10:", "AAA....");	/* < 10 */
	check_row("~:10", "....AAA");	/* > 10 */
	check_row("10:20", "AAA...A");	/* outside 10..20 */
	check_row("@10:20", "...AAA.");	/* inside 10..20 */
	check_row("5.5:", "AAA....");
	check_row("-1:1", "..AAAAA");
}

static void test_bad_ranges(void)
{
	phx_range r;
	CHECK_INT(phx_range_parse("abc", &r), -1);
	CHECK_INT(r.set, 0);
	CHECK_INT(phx_range_parse("20:10", &r), -1);
	CHECK_INT(phx_range_parse("1:2:3", &r), -1);
	CHECK_INT(phx_range_parse("@", &r), -1);
	CHECK_INT(phx_range_parse("10x", &r), -1);
	CHECK_INT(phx_range_parse("nan", &r), -1);
	CHECK_INT(phx_range_parse("", &r), 0);
	CHECK_INT(r.set, 0);
	CHECK_INT(phx_range_alert(&r, 1e9), 0);
	CHECK_INT(phx_range_parse("~:", &r), 0);	/* everything allowed */
	CHECK_INT(phx_range_alert(&r, -1e9), 0);
}

static void test_states(void)
{
	phx_range w, c;
	phx_range_parse("90:", &w);	/* success rate: warning under 90 */
	phx_range_parse("80:", &c);
	CHECK_INT(phx_threshold_state(96, &w, &c), PHX_MP_OK);
	CHECK_INT(phx_threshold_state(85, &w, &c), PHX_MP_WARNING);
	CHECK_INT(phx_threshold_state(79.9, &w, &c), PHX_MP_CRITICAL);
	CHECK_INT(phx_threshold_state(5, NULL, NULL), PHX_MP_OK);
	CHECK_STR(phx_mp_state_name(PHX_MP_WARNING), "WARNING");
	CHECK_STR(phx_mp_state_name(7), "UNKNOWN");
	CHECK_INT(phx_mp_worst(PHX_MP_OK, PHX_MP_UNKNOWN), PHX_MP_UNKNOWN);
	CHECK_INT(phx_mp_worst(PHX_MP_UNKNOWN, PHX_MP_WARNING), PHX_MP_WARNING);
	CHECK_INT(phx_mp_worst(PHX_MP_CRITICAL, PHX_MP_WARNING), PHX_MP_CRITICAL);
}

static void test_perfdata(void)
{
	phx_buf b = PHX_BUF_INIT;
	phx_range w, c;
	phx_range_parse("~:5", &w);
	phx_range_parse("~:10", &c);
	phx_perfdata_add(&b, "response_time", 1.25, "s", &w, &c, 1, 0, 0, 0);
	phx_perfdata_add(&b, "it's", 3, NULL, NULL, NULL, 0, 0, 1, 100);
	CHECK_STR(b.data, "'response_time'=1.25s;~:5;~:10;0; 'it''s'=3;;;;100");
	phx_buf_free(&b);
}

int main(void)
{
	test_guideline_table();
	test_bad_ranges();
	test_states();
	test_perfdata();
	return unit_done();
}
