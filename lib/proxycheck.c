/* proxycheck.c - concurrent probes through proxies (see proxycheck.h). */
#include "proxycheck.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "signals.h"
#include "timeutil.h"
#include "xalloc.h"

#define PROBE_MAX_BODY ((size_t)1 << 20)

typedef struct probe {
	CURL *e;
	phx_buf body;
	int too_large;
	int64_t started_ms;
	phx_probe_result *res;
} probe;

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
	probe *pr = arg;
	if (pr->body.len + size * n > PROBE_MAX_BODY) {
		pr->too_large = 1;
		return 0;
	}
	phx_buf_add(&pr->body, p, size * n);
	return size * n;
}

static CURL *probe_handle(const phx_probe_opts *o, const char *proxy, probe *pr)
{
	CURL *e = curl_easy_init();
	if (!e)
		return NULL;
	curl_easy_setopt(e, CURLOPT_URL, o->probe_url);
	curl_easy_setopt(e, CURLOPT_PROXY, proxy);
	curl_easy_setopt(e, CURLOPT_NOPROXY, "");	/* the environment does not decide */
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, pr);
	curl_easy_setopt(e, CURLOPT_PRIVATE, pr);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	if (o->ca_file) {
		curl_easy_setopt(e, CURLOPT_CAINFO, o->ca_file);
		curl_easy_setopt(e, CURLOPT_PROXY_CAINFO, o->ca_file);
	}
	return e;
}

static void finish_probe(const phx_probe_opts *o, probe *pr, CURLcode rc)
{
	phx_probe_result *r = pr->res;
	curl_off_t up = 0, down = 0;
	long hsize = 0;
	curl_easy_getinfo(pr->e, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(pr->e, CURLINFO_SIZE_UPLOAD_T, &up);
	curl_easy_getinfo(pr->e, CURLINFO_SIZE_DOWNLOAD_T, &down);
	curl_easy_getinfo(pr->e, CURLINFO_HEADER_SIZE, &hsize);
	r->done = 1;
	r->curl_code = pr->too_large ? CURLE_FILESIZE_EXCEEDED : (int)rc;
	r->latency_ms = phx_mono_ms() - pr->started_ms;
	r->bytes_up = (long long)up;
	r->bytes_down = (long long)down + hsize;
	if (rc != CURLE_OK)
		r->status = 0;
	r->verdict = phx_proxy_judge(o->rules, r->status, r->curl_code, pr->body.data,
				     pr->body.len, r->why, sizeof r->why);
}

int phx_proxy_probe_all(const phx_probe_opts *o, char *const *proxy_urls, size_t n,
			phx_probe_result *out)
{
	CURLM *m = curl_multi_init();
	probe *pr = phx_xcalloc(n + 1, sizeof *pr);
	size_t next = 0, running = 0;
	int parallel = o->parallel > 0 ? o->parallel : 16;
	if (!m) {
		phx_err("libcurl: cannot set up a multi handle");
		free(pr);
		return -1;
	}
	memset(out, 0, n * sizeof *out);
	while ((next < n || running > 0)) {
		CURLMsg *msg;
		int left, still;
		while (next < n && running < (size_t)parallel && !phx_stop_requested()) {
			probe *p = &pr[next];
			p->res = &out[next];
			p->e = probe_handle(o, proxy_urls[next], p);
			p->started_ms = phx_mono_ms();
			next++;
			if (!p->e || curl_multi_add_handle(m, p->e) != CURLM_OK) {
				phx_err("libcurl: cannot start a probe");
				continue;
			}
			running++;
		}
		if (phx_stop_requested() && running == 0)
			break;
		curl_multi_perform(m, &still);
		while ((msg = curl_multi_info_read(m, &left))) {
			probe *p = NULL;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&p);
			finish_probe(o, p, msg->data.result);
			curl_multi_remove_handle(m, p->e);
			curl_easy_cleanup(p->e);
			p->e = NULL;
			running--;
		}
		if (running > 0)
			curl_multi_poll(m, NULL, 0, 200, NULL);
	}
	for (size_t i = 0; i < n; i++) {
		if (pr[i].e) {
			curl_multi_remove_handle(m, pr[i].e);
			curl_easy_cleanup(pr[i].e);
		}
		phx_buf_free(&pr[i].body);
	}
	free(pr);
	curl_multi_cleanup(m);
	return 0;
}
