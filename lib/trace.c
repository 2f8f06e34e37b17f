/* trace.c - the _phx provenance object and its trace entries. */
#include "trace.h"
#include "cli.h"
#include "timeutil.h"

json_t *phx_record_meta(json_t *record)
{
	json_t *meta = json_object_get(record, "_phx");
	if (!meta) {
		meta = json_object();
		json_object_set_new(record, "_phx", meta);
	}
	return json_is_object(meta) ? meta : NULL;
}

int phx_trace_append(json_t *record, const char *tool, const json_t *extra)
{
	json_t *meta = phx_record_meta(record);
	if (!meta)
		return -1;
	json_t *trace = json_object_get(meta, "trace");
	if (!trace) {
		trace = json_array();
		json_object_set_new(meta, "trace", trace);
	}
	if (!json_is_array(trace))
		return -1;
	char at[PHX_TIME_LEN];
	phx_time_now(at);
	json_t *entry = json_pack("{s:s, s:s, s:s}", "tool", tool, "version", PHX_VERSION,
				  "at", at);
	if (extra) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)extra, k, v)
			json_object_set(entry, k, v);
	}
	json_array_append_new(trace, entry);
	return 0;
}
