/* test_cursor.c - resume cursors and the fetched-APN index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "unit.h"
#include "cursor.h"

static void ranges(void)
{
	phx_cursor c;
	CHECK_INT(phx_cursor_open(&c, "ranges", 0), 0);
	phx_cursor_set_pages(&c, 250, 10);
	CHECK_INT(phx_cursor_parse_ranges(&c, "1-3,5,7-8"), 0);
	CHECK_INT(c.ndone, 6);
	char *r = phx_cursor_ranges(&c);
	CHECK_STR(r, "1-3,5,7-8");
	free(r);
	CHECK(phx_cursor_page_is_done(&c, 5));
	CHECK(!phx_cursor_page_is_done(&c, 6));
	CHECK(!phx_cursor_page_is_done(&c, 11));
	CHECK_INT(phx_cursor_parse_ranges(&c, "9-11"), -1);
	CHECK_INT(phx_cursor_parse_ranges(&c, "x"), -1);
	CHECK_INT(phx_cursor_parse_ranges(&c, "4-2"), -1);
	phx_cursor_close(&c);
}

static void persist(void)
{
	phx_cursor c, d;
	CHECK_INT(phx_cursor_open(&c, "maricopa search 85031", 0), 0);
	CHECK_INT(c.pages, 0);
	phx_cursor_set_pages(&c, 6632, 266);
	CHECK_INT(phx_cursor_page_done(&c, 1), 0);
	CHECK_INT(phx_cursor_stage(&c, 2), 0);
	CHECK_INT(phx_cursor_commit(&c), 0);
	CHECK_INT(phx_cursor_stage(&c, 3), 0);
	phx_cursor_abort(&c, 3);	/* output failed: page 3 is not done */
	CHECK(!phx_cursor_page_is_done(&c, 3));

	CHECK_INT(phx_cursor_open(&d, "maricopa search 85031", 0), 0);
	CHECK_INT(d.pages, 266);
	CHECK_INT(d.total, 6632);
	CHECK_INT(d.ndone, 2);
	CHECK(phx_cursor_page_is_done(&d, 2) && !phx_cursor_page_is_done(&d, 3));
	CHECK_INT(d.complete, 0);
	/* the same page count keeps the progress; another count starts over */
	phx_cursor_set_pages(&d, 6632, 266);
	CHECK_INT(d.ndone, 2);
	phx_cursor_set_pages(&d, 6700, 268);
	CHECK_INT(d.ndone, 0);
	phx_cursor_close(&d);

	CHECK_INT(phx_cursor_finish(&c), 0);
	CHECK_INT(phx_cursor_open(&d, "maricopa search 85031", 0), 0);
	CHECK_INT(d.complete, 1);
	phx_cursor_close(&d);
	/* another key is another cursor */
	CHECK_INT(phx_cursor_open(&d, "maricopa search 85033", 0), 0);
	CHECK_INT(d.pages, 0);
	CHECK_INT(d.complete, 0);
	phx_cursor_close(&d);
	phx_cursor_close(&c);
}

static void index_file(void)
{
	phx_apn_index *x = phx_apn_index_open("test.idx");
	CHECK(x != NULL);
	CHECK_INT(phx_apn_index_get(x, "10306005"), 0);
	int put_ok = 1;
	for (int i = 0; i < 3000; i++) {
		char apn[16];
		snprintf(apn, sizeof apn, "103%05d", i);
		if (phx_apn_index_put(x, apn, 1000 + i) != 0)
			put_ok = 0;
	}
	CHECK(put_ok);
	CHECK_INT(phx_apn_index_put(x, "10300007", 99999), 0);
	phx_apn_index_close(x);
	x = phx_apn_index_open("test.idx");
	CHECK_INT(phx_apn_index_get(x, "10302999"), 3999);
	CHECK_INT(phx_apn_index_get(x, "10300007"), 99999);	/* the last line wins */
	CHECK_INT(phx_apn_index_get(x, "10399999"), 0);
	phx_apn_index_close(x);
}

int main(void)
{
	char dir[] = "/tmp/phx-test-cursor-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	setenv("PHX_STATE_DIR", dir, 1);
	ranges();
	persist();
	index_file();
	/* within its time to live a cursor holds; past it, it is forgotten */
	phx_cursor c;
	CHECK_INT(phx_cursor_open(&c, "maricopa search 85031", 60), 0);
	CHECK_INT(c.complete, 1);
	phx_cursor_close(&c);
	sleep(2);
	CHECK_INT(phx_cursor_open(&c, "maricopa search 85031", 1), 0);
	CHECK_INT(c.complete, 0);
	CHECK_INT(c.pages, 0);
	phx_cursor_close(&c);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
	return unit_done();
}
