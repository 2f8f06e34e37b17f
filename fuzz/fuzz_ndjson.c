/* fuzz_ndjson.c - libFuzzer target for everything that reads outside input
 * line by line: the NDJSON reader, phx_parse_object and the jsonspan splice
 * that phx-validate uses to add "_phx" without re-serializing a record.
 *
 * Besides "no crash", it checks what the callers rely on:
 *  - every line lies inside the input at its reported offset;
 *  - a line the reader calls OK is valid UTF-8 without NUL bytes;
 *  - splicing a new "_phx" into an accepted object gives text that parses
 *    to the same object with "_phx" replaced (or added) and nothing else changed.
 * The first input byte picks the line limit, so the too_long path is reached. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "buf.h"
#include "jsonspan.h"
#include "log.h"
#include "ndjson.h"
#include "utf8.h"

static char path[64];
static int fd = -1;

/* One in-memory file, rewritten for every input: the reader reads file
 * operands, and a file on disk would make the kernel's writeback the cost. */
static void setup_once(void)
{
	if (fd >= 0)
		return;
	fd = memfd_create("fuzz_ndjson", MFD_CLOEXEC);
	if (fd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	phx_log_set_tool("fuzz_ndjson");
}

#define FAIL(...) do { fprintf(stderr, "fuzz_ndjson: " __VA_ARGS__); abort(); } while (0)

static const char META[] = "{\"quality\":0.5,\"trace\":[{\"tool\":\"fuzz\"}]}";

/* Splice META in as phx-validate does; the result must parse to the original
 * object with _phx set to META. */
static void check_splice(const phx_line *line, json_t *orig)
{
	size_t vs, ve, close;
	int has_members;
	phx_buf out = PHX_BUF_INIT;
	if (phx_json_member_span(line->data, line->len, "_phx", &vs, &ve) == 0) {
		if (!json_object_get(orig, "_phx"))
			FAIL("member_span found _phx that the parser did not\n");
		if (vs > ve || ve > line->len)
			FAIL("span [%zu,%zu) outside the line of %zu\n", vs, ve, line->len);
		phx_buf_add(&out, line->data, vs);
		phx_buf_adds(&out, META);
		phx_buf_add(&out, line->data + ve, line->len - ve);
	} else {
		if (json_object_get(orig, "_phx"))
			FAIL("member_span missed _phx\n");
		if (phx_json_object_close(line->data, line->len, &close, &has_members) != 0)
			FAIL("object_close refused an object\n");
		if (close >= line->len || line->data[close] != '}')
			FAIL("close %zu is not a '}'\n", close);
		if (!has_members != !json_object_size(orig))
			FAIL("has_members %d but %zu members\n", has_members,
			     json_object_size(orig));
		phx_buf_add(&out, line->data, close);
		phx_buf_adds(&out, has_members ? ",\"_phx\":" : "\"_phx\":");
		phx_buf_adds(&out, META);
		phx_buf_add(&out, line->data + close, line->len - close);
	}
	const char *code;
	char reason[200];
	json_t *got = phx_parse_object(out.data, out.len, &code, reason, sizeof reason);
	if (!got)
		FAIL("spliced text does not parse: %s %s\n", code, reason);
	json_t *want = json_deep_copy(orig);
	json_object_set_new(want, "_phx", json_loads(META, 0, NULL));
	if (!json_equal(want, got))
		FAIL("spliced record differs from the original beyond _phx\n");
	json_decref(want);
	json_decref(got);
	phx_buf_free(&out);
}

static void check_line(const phx_line *line, const uint8_t *data, size_t size)
{
	if (line->pos.offset > size)
		FAIL("offset %llu beyond input %zu\n", line->pos.offset, size);
	/* the line's bytes are in the input at its offset (after a BOM on line 1) */
	size_t at = (size_t)line->pos.offset;
	if (line->pos.line == 1 && size - at >= 3 && memcmp(data + at, "\xEF\xBB\xBF", 3) == 0 &&
	    (line->len + 3 <= size - at) && memcmp(data + at + 3, line->data, line->len) == 0)
		at += 3;
	if (line->len > size - at || memcmp(data + at, line->data, line->len) != 0)
		FAIL("line %llu is not at offset %llu\n", line->pos.line, line->pos.offset);
	if (line->status != PHX_LINE_OK)
		return;
	if (memchr(line->data, '\0', line->len) ||
	    phx_utf8_check(line->data, line->len) != line->len)
		FAIL("line %llu passed as OK with NUL or bad UTF-8\n", line->pos.line);
	const char *code = NULL;
	char reason[200];
	json_t *obj = phx_parse_object(line->data, line->len, &code, reason, sizeof reason);
	if (!obj) {
		if (!code || strncmp(code, "input.", 6) != 0)
			FAIL("parse failure without an input.* code\n");
		return;
	}
	check_splice(line, obj);
	json_decref(obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup_once();
	if (size < 1)
		return 0;
	/* first byte: line limit 1..256, or 0 for the default */
	size_t max_line = data[0] == 0 ? 0 : data[0];
	data++;
	size--;
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		FAIL("cannot write %s\n", path);
	char *files[] = { path };
	phx_reader *r = phx_reader_open(files, 1, max_line);
	phx_line line;
	unsigned long long last_line = 0;
	while (phx_reader_next(r, &line) == 1) {
		if (line.pos.line <= last_line)
			FAIL("line numbers not increasing: %llu after %llu\n", line.pos.line,
			     last_line);
		last_line = line.pos.line;
		check_line(&line, data, size);
	}
	phx_reader_close(r);
	return 0;
}
