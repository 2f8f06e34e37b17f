/* fuzz_response.c - libFuzzer target for phx-fetch's URL mode: an HTTP
 * response (status, reason, Content-Type, header block, body) as a JSON object.
 *
 * Input: a selector byte for the status, then REASON \0 CONTENT-TYPE \0
 * HEADER-BLOCK \0 BODY (the body is the rest, NUL bytes allowed). The header
 * block is passed in a buffer of exactly its length, so a read past it shows.
 *
 * Besides "no crash", it checks what callers rely on: with a reason and a
 * Content-Type in UTF-8 there is always an object; it carries the status, a
 * "headers" object whose names are lower case and whose values are strings or
 * arrays of strings, and a body that is never missing and, for a UTF-8 body
 * without NUL that is not taken as JSON, is the body text unchanged. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "response.h"
#include "utf8.h"
#include "fuzz_input.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_response: " __VA_ARGS__); abort(); } while (0)

static const long statuses[] = { 200, 200, 201, 204, 301, 404, 429, 500, 503, 0, 99, 999 };

static int is_utf8(const char *s)
{
	size_t n = strlen(s);
	return phx_utf8_check(s, n) == n;
}

static void check_headers(const json_t *h)
{
	const char *name;
	json_t *v;
	if (!json_is_object(h))
		FAIL("headers is not an object\n");
	json_object_foreach((json_t *)h, name, v) {
		for (const char *c = name; *c; c++)
			if (isupper((unsigned char)*c))
				FAIL("header name \"%s\" is not lower case\n", name);
		if (json_is_array(v)) {
			if (json_array_size(v) < 2)
				FAIL("header %s: an array of fewer than two values\n", name);
			for (size_t i = 0; i < json_array_size(v); i++)
				if (!json_is_string(json_array_get(v, i)))
					FAIL("header %s: a value that is not a string\n", name);
		} else if (!json_is_string(v)) {
			FAIL("header %s: a value that is not a string\n", name);
		}
	}
}

static void check_body(const json_t *out, const char *body, size_t len)
{
	const json_t *b = json_object_get(out, "body");
	if (!b)
		FAIL("no body member\n");
	if (!json_is_string(b) || phx_utf8_check(body, len) != len || memchr(body, '\0', len))
		return;
	if (json_string_length(b) != len || memcmp(json_string_value(b), body, len) != 0)
		FAIL("a UTF-8 body came out changed\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	long status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
	data++;
	size--;
	char *reason = fuzz_field(&data, &size, '\0');
	char *ctype = fuzz_field(&data, &size, '\0');
	const uint8_t *hdr = memchr(data, '\0', size);
	size_t hlen = hdr ? (size_t)(hdr - data) : size;
	char *headers = fuzz_rest(data, hlen, 0);
	data += hlen + (hdr ? 1 : 0);
	size -= hlen + (hdr ? 1 : 0);
	char *body = fuzz_rest(data, size, 1);

	phx_http_result r = { 0 };
	r.url = "http://127.0.0.1:8080/api/listing?id=7";
	r.status = status;
	r.reason = reason;
	r.content_type = ctype;
	r.headers = hlen ? headers : NULL;
	r.headers_len = hlen;
	r.body = body;
	r.body_len = size;

	json_t *out = phx_response_json(&r);
	if (!out && is_utf8(reason) && is_utf8(ctype))
		FAIL("no object for a response with a UTF-8 reason and Content-Type\n");
	if (out) {
		if (json_integer_value(json_object_get(out, "status")) != status)
			FAIL("status changed\n");
		check_headers(json_object_get(out, "headers"));
		check_body(out, body, size);
		char *text = json_dumps(out, JSON_COMPACT);
		if (!text)
			FAIL("the object does not serialize\n");
		free(text);
	}
	json_decref(out);
	free(reason);
	free(ctype);
	free(headers);
	free(body);
	return 0;
}
