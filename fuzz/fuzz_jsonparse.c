/* fuzz_jsonparse.c - phx_json_parse held against jansson's json_loadb.
 *
 * phx_json_parse promises jansson's rules (jsonparse.h). For every input
 * both parse it with the same flags, and:
 *  - both accept or both refuse;
 *  - an accepted text gives json_equal values, and every real is the same
 *    double bit for bit (json_equal alone would let -0.0 pass for 0.0);
 *  - a refused text gets the same kind of error (syntax, UTF-8, duplicate
 *    key, depth, range, NUL in a key), and its offset lies in the text;
 *  - the parser's odd-keys flag is what a walk of the tree finds
 *    (phx_json_unsafe_key), and top-level spans hold their members' text.
 * Texts with a raw NUL byte are only checked for "no crash, refused": jansson
 * loses a NUL that follows a number or a word (its stream takes the pushed
 * back NUL for "buffer empty"), so it accepts "1\0"; phx_json_parse refuses
 * it, and the NDJSON reader refuses raw NULs before any parse anyway. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_input.h"
#include "jsonparse.h"
#include "merge.h"

static phx_json_status jansson_status(const json_error_t *e)
{
	switch (json_error_code(e)) {
	case json_error_invalid_utf8: return PHX_JSON_BAD_UTF8;
	case json_error_duplicate_key: return PHX_JSON_DUPLICATE;
	case json_error_stack_overflow: return PHX_JSON_TOO_DEEP;
	case json_error_numeric_overflow: return PHX_JSON_RANGE;
	case json_error_null_byte_in_key: return PHX_JSON_NUL_KEY;
	case json_error_out_of_memory: return PHX_JSON_NOMEM;
	default: return PHX_JSON_SYNTAX;
	}
}

/* The same shape, and every real the same bits. */
static int same_reals(const json_t *a, const json_t *b)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_typeof(a) != json_typeof(b))
		return 0;
	if (json_is_real(a)) {
		double x = json_real_value(a), y = json_real_value(b);
		return memcmp(&x, &y, sizeof x) == 0;
	}
	if (json_is_object(a)) {
		json_object_foreach((json_t *)a, k, v)
			if (!same_reals(v, json_object_get(b, k)))
				return 0;
	} else if (json_is_array(a)) {
		json_array_foreach(a, i, v)
			if (!same_reals(v, json_array_get(b, i)))
				return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t flags = JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY;
	char *text = fuzz_rest(data, size, 0);
	json_error_t jerr;
	phx_json_error perr;
	static const char *const keys[] = { "a", "_phx", "observed_at", "" };
	phx_json_span spans[4];
	int odd = -1;
	json_t *want, *got = phx_json_parse_spans(text, size, &perr, keys, 4, spans, &odd);

	if (memchr(text, '\0', size)) {
		if (got)
			abort();
		free(text);
		return 0;
	}
	want = json_loadb(text, size, flags, &jerr);

	if (!want != !got) {
		fprintf(stderr, "jansson %s (%s), phx_json_parse %s (%s)\n",
			want ? "accepts" : "refuses", want ? "" : jerr.text,
			got ? "accepts" : "refuses", got ? "" : perr.text);
		abort();
	}
	if (want && (!json_equal(want, got) || !same_reals(want, got))) {
		fprintf(stderr, "values differ\n");
		abort();
	}
	if (got) {
		char path[200];
		size_t i;
		if (odd != phx_json_unsafe_key(got, path, sizeof path))
			abort();
		for (i = 0; i < 4; i++) {
			json_t *m = json_is_object(got) ? json_object_get(got, keys[i]) : NULL;
			json_t *again;
			if (!m != !spans[i].found)
				abort();
			if (!m)
				continue;
			again = phx_json_parse(text + spans[i].start, spans[i].end - spans[i].start,
					       NULL);
			if (!again || !json_equal(again, m) || spans[i].member >= spans[i].start ||
			    text[spans[i].member] != '"')
				abort();
			json_decref(again);
		}
	}
	if (!want && jansson_status(&jerr) != perr.status) {
		fprintf(stderr, "jansson: %s; phx_json_parse: %s (status %d)\n", jerr.text,
			perr.text, (int)perr.status);
		abort();
	}
	if (!want && perr.offset > size)
		abort();
	json_decref(want);
	json_decref(got);
	free(text);
	return 0;
}
