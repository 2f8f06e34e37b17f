/* response.c - HTTP responses as JSON objects. */
#include <ctype.h>
#include <string.h>
#include "response.h"
#include "buf.h"
#include "utf8.h"

static void add_header(json_t *obj, const char *name, const char *value, size_t vlen)
{
	json_t *v = json_stringn(value, vlen);
	if (!v)
		return;	/* not UTF-8: leave it out rather than print garbage */
	json_t *old = json_object_get(obj, name);
	if (!old) {
		json_object_set_new(obj, name, v);
	} else if (json_is_array(old)) {
		json_array_append_new(old, v);
	} else {
		json_t *arr = json_pack("[O, o]", old, v);
		json_object_set_new(obj, name, arr);
	}
}

json_t *phx_response_headers(const char *block, size_t len)
{
	json_t *obj = json_object();
	const char *p = block, *end = block + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *colon = memchr(p, ':', (size_t)(eol - p));
		int status_line = eol - p >= 5 && memcmp(p, "HTTP/", 5) == 0;
		if (colon && colon > p && !status_line) {
			char name[128];
			size_t n = (size_t)(colon - p);
			if (n < sizeof name) {
				for (size_t i = 0; i < n; i++)
					name[i] = (char)tolower((unsigned char)p[i]);
				name[n] = '\0';
				const char *v = colon + 1, *ve = eol;
				while (v < ve && (*v == ' ' || *v == '\t'))
					v++;
				while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
					ve--;
				add_header(obj, name, v, (size_t)(ve - v));
			}
		}
		p = nl ? nl + 1 : end;
	}
	return obj;
}

static json_t *body_text(const char *body, size_t len)
{
	if (phx_utf8_check(body, len) == len && !memchr(body, '\0', len))
		return json_stringn(body, len);
	/* lossy: the JSON string escaper replaces bad bytes with U+FFFD */
	phx_buf b = PHX_BUF_INIT;
	phx_buf_add_json_string(&b, body, len);
	json_t *s = json_loadb(b.data, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	phx_buf_free(&b);
	return s ? s : json_null();
}

static int says_json(const char *ctype)
{
	const char *semi = strchr(ctype, ';');
	size_t n = semi ? (size_t)(semi - ctype) : strlen(ctype);
	return (n >= 4 && strncasecmp(ctype + n - 4, "json", 4) == 0);
}

json_t *phx_response_json(const phx_http_result *r)
{
	json_t *body = NULL;
	if (r->body_len > 0 && says_json(r->content_type))
		body = json_loadb(r->body, r->body_len, JSON_DECODE_ANY, NULL);
	if (!body)
		body = body_text(r->body, r->body_len);
	json_t *out = json_pack("{s:s, s:i, s:s%, s:o, s:s, s:o}", "url", r->url,
				"status", (int)r->status, "reason", r->reason,
				strlen(r->reason), "headers",
				r->headers ? phx_response_headers(r->headers, r->headers_len)
				: json_object(),
				"content_type", r->content_type, "body", body);
	return out;
}
