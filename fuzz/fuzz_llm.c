/* fuzz_llm.c - libFuzzer target for what phx-llm reads from a model server
 * and from listings: the chat reply (both APIs, one object or a stream), the
 * model's answer text judged against the field table, and the rules
 * extractor over a description.
 *
 * Input: first byte picks the API and stream form; up to the first NUL is the
 * server body; the rest is both the model's answer and the description.
 * Besides "no crash" and "no leak": a reply that parses is done with content;
 * every value taken is of an asked field; the rules' answer is always a JSON
 * object the checker accepts. */
#define FUZZ_QUIET_LOG
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "defaults.h"
#include "fuzz_input.h"
#include "llm_check.h"
#include "llm_fields.h"
#include "llm_reply.h"
#include "llm_request.h"
#include "llm_rules.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_llm: " __VA_ARGS__); abort(); } while (0)

static phx_llm_fields *fields;
static int idx[64];
static size_t nidx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!fields) {
		char *err = NULL;
		fields = phx_llm_fields_parse(phx_default_llm_fields, "built-in", &err);
		if (!fields || phx_llm_rules_init() != 0)
			FAIL("built-in tables: %s\n", err ? err : "?");
		nidx = phx_llm_fields_for(fields, "phoenix_mls", idx, 64);
	}
	if (size < 1)
		return 0;
	int api = data[0] & 1 ? PHX_LLM_API_OPENAI : PHX_LLM_API_OLLAMA;
	long status = data[0] & 2 ? 200 : (data[0] & 4 ? 404 : 400 + (data[0] >> 3));
	data++, size--;
	const uint8_t *nul = memchr(data, 0, size);
	size_t blen = nul ? (size_t)(nul - data) : size;
	char *body = fuzz_rest(data, blen, 0);
	phx_llm_reply r;
	phx_llm_reply_init(&r);
	if (phx_llm_reply_parse(api, status, body, blen, &r) == 0 && (!r.done || r.content.len == 0))
		FAIL("a reply that parsed is not done or has no content\n");
	phx_llm_reply_free(&r);
	free(body);
	if (nul) {
		data += blen + 1, size -= blen + 1;
	}
	char *text = fuzz_rest(data, size, 1);
	phx_llm_verdict v;
	char err[256];
	phx_llm_verdict_init(&v);
	if (phx_llm_check(text, size, fields, idx, nidx, text, size, &v, err, sizeof err) == 0) {
		const char *k;
		json_t *val;
		json_object_foreach(v.values, k, val) {
			int i = phx_llm_field_index(fields, k);
			int asked = 0;
			for (size_t j = 0; j < nidx; j++)
				asked |= idx[j] == i;
			if (i < 0 || !asked)
				FAIL("took a value for %s, which was not asked\n", k);
		}
	}
	phx_llm_verdict_free(&v);
	char *rules = phx_llm_rules_answer(fields, idx, nidx, text, size);
	phx_llm_verdict_init(&v);
	if (!rules || phx_llm_check(rules, strlen(rules), fields, idx, nidx, text, size, &v, err,
				    sizeof err) != 0)
		FAIL("the rules' answer is not accepted: %s\n", rules ? rules : "(null)");
	phx_llm_verdict_free(&v);
	free(rules);
	free(text);
	return 0;
}
