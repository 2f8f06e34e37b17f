/* response.h - an HTTP response as a JSON object, for phx-fetch's generic
 * URL mode: {"url","status","reason","headers":{..},"content_type","body"}.
 * The body is the parsed JSON when the response says JSON and parses, else
 * the text (invalid UTF-8 bytes become U+FFFD). */
#ifndef PHX_RESPONSE_H
#define PHX_RESPONSE_H
#include <jansson.h>
#include "http.h"

/* Header block ("HTTP/1.1 200 OK\r\nA: b\r\n...") to {"a":"b"}; names
 * lower-cased; a repeated name gets an array of its values. */
json_t *phx_response_headers(const char *block, size_t len);
json_t *phx_response_json(const phx_http_result *r);

#endif
