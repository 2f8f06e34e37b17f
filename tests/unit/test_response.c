/* test_response.c - HTTP responses as JSON objects. */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "response.h"

static char *dump(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
}

static json_t *resp(const char *ctype, const char *body, size_t len, const char *hdrs)
{
	phx_http_result r;
	memset(&r, 0, sizeof r);
	r.url = "http://x/";
	r.status = 200;
	r.reason = "OK";
	r.content_type = ctype;
	r.body = body;
	r.body_len = len;
	r.headers = hdrs;
	r.headers_len = hdrs ? strlen(hdrs) : 0;
	return phx_response_json(&r);
}

int main(void)
{
	const char block[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
			     "Set-Cookie: a=1\r\nset-cookie: b=2\r\nX-Empty:\r\n\r\n";
	json_t *h = phx_response_headers(block, strlen(block));
	char *s = dump(h);
	CHECK_STR(s, "{\"content-type\":\"application/json\",\"set-cookie\":[\"a=1\",\"b=2\"],"
		  "\"x-empty\":\"\"}");
	free(s);
	json_decref(h);

	/* found by fuzz_response: a line shorter than "HTTP/" at the very end */
	char *tail = malloc(2);
	memcpy(tail, "a:", 2);
	h = phx_response_headers(tail, 2);
	s = dump(h);
	CHECK_STR(s, "{\"a\":\"\"}");
	free(s);
	json_decref(h);
	free(tail);

	json_t *r = resp("application/json; charset=utf-8", "{\"a\":[1,2]}", 11, block);
	s = dump(json_object_get(r, "body"));
	CHECK_STR(s, "{\"a\":[1,2]}");
	free(s);
	CHECK_INT(json_integer_value(json_object_get(r, "status")), 200);
	CHECK(json_is_object(json_object_get(r, "headers")));
	json_decref(r);

	r = resp("application/problem+json", "[1]", 3, NULL);
	CHECK(json_is_array(json_object_get(r, "body")));
	json_decref(r);
	r = resp("text/html", "<p>hi</p>", 9, NULL);
	CHECK_STR(json_string_value(json_object_get(r, "body")), "<p>hi</p>");
	json_decref(r);
	/* says JSON, is not: the text */
	r = resp("application/json", "{oops", 5, NULL);
	CHECK_STR(json_string_value(json_object_get(r, "body")), "{oops");
	json_decref(r);
	/* bad UTF-8 becomes U+FFFD, never invalid JSON */
	r = resp("text/plain", "a\xff" "b", 3, NULL);
	CHECK_STR(json_string_value(json_object_get(r, "body")), "a\xEF\xBF\xBD" "b");
	json_decref(r);
	r = resp("", "", 0, NULL);
	CHECK_STR(json_string_value(json_object_get(r, "body")), "");
	json_decref(r);
	return unit_done();
}
