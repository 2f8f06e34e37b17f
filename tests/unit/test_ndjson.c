/* test_ndjson.c - the line reader and the parse step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"
#include "ndjson.h"

static char *write_temp(const char *data, size_t n)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/phx-test-ndjson-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, data, n) != (ssize_t)n)
		abort();
	close(fd);
	return path;
}

static void test_endings_and_positions(void)
{
	const char data[] = "\xEF\xBB\xBF{\"a\":1}\r\n\n   \n{\"b\":2}\n{\"c\":3}";
	char *path = write_temp(data, sizeof data - 1);
	char *files[] = { path };
	phx_reader *r = phx_reader_open(files, 1, 0);
	phx_line l;
	CHECK_INT(phx_reader_next(r, &l), 1);
	CHECK_INT(l.len, 7);	/* BOM and CR gone */
	CHECK(memcmp(l.data, "{\"a\":1}", 7) == 0);
	CHECK_INT(l.pos.line, 1);
	CHECK_INT(l.pos.offset, 0);
	CHECK_INT(phx_reader_next(r, &l), 1);	/* blank lines skipped but counted */
	CHECK_INT(l.pos.line, 4);
	CHECK_INT(l.pos.offset, 17);
	CHECK(memcmp(l.data, "{\"b\":2}", 7) == 0);
	CHECK_INT(phx_reader_next(r, &l), 1);	/* no final newline */
	CHECK_INT(l.len, 7);
	CHECK_INT(l.pos.offset, 25);
	CHECK_INT(phx_reader_next(r, &l), 0);
	phx_reader_close(r);
	unlink(path);
}

static void test_defects(void)
{
	const char data[] = "{\"a\":\"\xff\"}\n{\"a\":\"x\0y\"}\n{\"ok\":true}\n";
	char *path = write_temp(data, sizeof data - 1);
	char *files[] = { path };
	phx_reader *r = phx_reader_open(files, 1, 0);
	phx_line l;
	CHECK_INT(phx_reader_next(r, &l), 1);
	CHECK_INT(l.status, PHX_LINE_BAD_UTF8);
	CHECK_INT(l.bad_at, 6);
	CHECK_STR(phx_line_status_code(l.status), "input.bad_utf8");
	CHECK_INT(phx_reader_next(r, &l), 1);
	CHECK_INT(l.status, PHX_LINE_NUL);
	CHECK_INT(phx_reader_next(r, &l), 1);
	CHECK_INT(l.status, PHX_LINE_OK);
	CHECK_INT(l.pos.line, 3);
	CHECK_INT(phx_reader_next(r, &l), 0);
	phx_reader_close(r);
	unlink(path);
}

static void test_too_long(void)
{
	size_t n = 100000;
	char *data = malloc(n + 32);
	data[0] = '"';
	memset(data + 1, 'x', n);
	memcpy(data + n + 1, "\"\n{\"next\":1}\n", 13);
	char *path = write_temp(data, n + 14);
	char *files[] = { path };
	phx_reader *r = phx_reader_open(files, 1, 1000);
	phx_line l;
	CHECK_INT(phx_reader_next(r, &l), 1);
	CHECK_INT(l.status, PHX_LINE_TOO_LONG);
	CHECK(l.len <= 4096);
	CHECK_INT(phx_reader_next(r, &l), 1);
	CHECK_INT(l.status, PHX_LINE_OK);
	CHECK_INT(l.pos.line, 2);
	CHECK_INT(l.pos.offset, n + 3);
	CHECK_INT(phx_reader_next(r, &l), 0);
	phx_reader_close(r);
	unlink(path);
	free(data);
}

static void test_missing_file(void)
{
	const char data[] = "{\"a\":1}\n";
	char *path = write_temp(data, sizeof data - 1);
	char *files[] = { "/nonexistent/phx", path };
	phx_reader *r = phx_reader_open(files, 2, 0);
	phx_line l;
	CHECK_INT(phx_reader_next(r, &l), 1);
	CHECK_STR(l.pos.file, path);
	CHECK_INT(phx_reader_io_errors(r), 1);
	CHECK_INT(phx_reader_next(r, &l), 0);
	phx_reader_close(r);
	unlink(path);
}

static void expect_code(const char *text, const char *want)
{
	const char *code = NULL;
	char reason[200];
	json_t *j = phx_parse_object(text, strlen(text), &code, reason, sizeof reason);
	CHECK(j == NULL);
	CHECK_STR(code, want);
	json_decref(j);
}

static void test_parse(void)
{
	const char *code;
	char reason[200];
	json_t *j = phx_parse_object("{\"a\":12345678901234567}", 23, &code, reason,
				     sizeof reason);
	CHECK(j != NULL);
	CHECK_INT(json_integer_value(json_object_get(j, "a")), 12345678901234567LL);
	json_decref(j);
	expect_code("{\"a\":", "input.not_json");
	expect_code("[1,2]", "input.not_object");
	expect_code("\"s\"", "input.not_object");
	expect_code("{\"a\":1,\"a\":2}", "input.duplicate_key");
	expect_code("{\"a\":NaN}", "input.not_json");
	expect_code("{\"a\":123456789012345678901234567890}", "input.number_range");
	char deep[6000];
	memset(deep, '[', 3000);
	deep[0] = '{';
	memcpy(deep + 1, "\"a\":", 4);
	deep[3000] = '\0';
	expect_code(deep, "input.too_deep");
}

int main(void)
{
	test_endings_and_positions();
	test_defects();
	test_too_long();
	test_missing_file();
	test_parse();
	return unit_done();
}
