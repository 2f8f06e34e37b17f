/* fuzz_proxysource.c - libFuzzer target for where proxies come from: a page
 * of the WebShare API v2, a file of proxy lines (URLs, WebShare's download
 * list ip:port:user:pass, ip:port), and one proxy given as a URL or in the
 * colon form.
 *
 * The page parser is file-local in lib/proxysource.c, so that file is
 * compiled into this target (its object from the library is then not linked).
 *
 * Input: a selector byte (0: API page, 1: file, 2: one proxy), then the text.
 *
 * Besides "no crash" and "no leak", it checks what the pool relies on: every
 * proxy taken has a known scheme, a host, a port in 1..65535, a user that is
 * NULL or not empty; its URL with the secret shown parses back to the same
 * proxy; its key and masked URL are exactly scheme://user@host:port and
 * scheme://user:***@host:port (user percent-encoded): no password in them. */
#define FUZZ_QUIET_LOG
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../lib/proxysource.c"
#include "fuzz_input.h"
#include "reject.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_proxysource: " __VA_ARGS__); abort(); } while (0)

#define BASE "https://proxy.webshare.io"

static char path[64];
static int fd = -1;

static void setup_once(void)
{
	if (fd >= 0)
		return;
	fd = memfd_create("fuzz_proxysource", MFD_CLOEXEC);
	if (fd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	phx_log_set_tool("fuzz_proxysource");
	phx_rejects_set_path("/dev/null");
}

static const char *const schemes[] = {
	"http", "https", "socks4", "socks4a", "socks5", "socks5h", NULL
};

/* Percent-encoding as a URL writer may do it: every byte but [A-Za-z0-9-_.~]. */
static void encode(phx_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || strchr("-_.~", c))
			phx_buf_addc(out, (char)c);
		else
			phx_buf_printf(out, "%%%02X", c);
	}
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* What the key (with_password 0) or the masked URL (1) must be, written here
 * independently: the password appears only as "***". */
static void expected(const phx_proxy *p, int with_password, phx_buf *out)
{
	phx_buf_printf(out, "%s://", p->scheme);
	if (p->user) {
		encode(out, p->user);
		if (with_password && p->password)
			phx_buf_adds(out, ":***");
		phx_buf_addc(out, '@');
	}
	phx_buf_printf(out, "%s:%d", p->host, p->port);
}

static void check_hidden(const phx_proxy *p, const phx_buf *text, int masked)
{
	phx_buf want = PHX_BUF_INIT;
	expected(p, masked, &want);
	if (text->len != want.len || memcmp(text->data, want.data, want.len) != 0)
		FAIL("the %s is not %s\n", masked ? "masked URL" : "key", want.data);
	phx_buf_free(&want);
}

static void check_proxy(const phx_proxy *p)
{
	int known = 0;
	for (int i = 0; schemes[i]; i++)
		known |= p->scheme && strcmp(p->scheme, schemes[i]) == 0;
	if (!known || !p->host || !*p->host || p->port < 1 || p->port > 65535 ||
	    (p->user && !*p->user))
		FAIL("proxy with a bad scheme, host, port or user\n");

	phx_buf key = PHX_BUF_INIT, masked = PHX_BUF_INIT, url = PHX_BUF_INIT;
	phx_proxy_key(p, &key);
	phx_proxy_url(p, 0, &masked);
	check_hidden(p, &key, 0);
	check_hidden(p, &masked, 1);

	phx_proxy back;
	char err[128];
	phx_proxy_url(p, 1, &url);
	if (phx_proxy_parse_url(url.data, &back, err, sizeof err) != 0)
		FAIL("own URL does not parse: %s\n", err);
	if (!same(p->scheme, back.scheme) || !same(p->user, back.user) ||
	    !same(p->password, back.password) || !same(p->host, back.host) ||
	    p->port != back.port)
		FAIL("own URL parses to another proxy\n");
	phx_proxy_free(&back);
	phx_buf_free(&key);
	phx_buf_free(&masked);
	explicit_bzero(url.data, url.len);
	phx_buf_free(&url);
}

static void api_page(const uint8_t *data, size_t size, phx_proxy_list *list)
{
	phx_webshare_opts o;
	memset(&o, 0, sizeof o);
	o.base_url = BASE;
	phx_buf body = PHX_BUF_INIT;
	phx_buf_add(&body, data, size);
	char *next = NULL;
	if (parse_page(&o, &body, list, &next) != 0 && next)
		FAIL("a refused page gave a next URL\n");
	if (next && (strncmp(next, BASE, strlen(BASE)) != 0 ||
		     (next[strlen(BASE)] != '/' && next[strlen(BASE)] != '\0')))
		FAIL("next URL leaves " BASE "\n");
	free(next);
	phx_buf_free(&body);
}

static void from_file(const uint8_t *data, size_t size, phx_proxy_list *list)
{
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		FAIL("cannot write %s\n", path);
	if (phx_source_read_file(path, list) != 0)
		FAIL("reading %s failed\n", path);
}

static void one_proxy(const uint8_t *data, size_t size, phx_proxy_list *list)
{
	char *line = fuzz_field(&data, &size, '\n');
	char err[128] = "";
	phx_proxy p;
	if (phx_proxy_parse_url(line, &p, err, sizeof err) == 0)
		phx_proxy_list_push(list, &p);
	else if (!err[0])
		FAIL("parse_url failed without a reason\n");
	err[0] = '\0';
	if (phx_proxy_parse_colon(line, &p, err, sizeof err) == 0)
		phx_proxy_list_push(list, &p);
	else if (!err[0])
		FAIL("parse_colon failed without a reason\n");
	explicit_bzero(line, strlen(line));
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup_once();
	if (size < 1)
		return 0;
	phx_proxy_list list;
	memset(&list, 0, sizeof list);
	switch (data[0] % 3) {
	case 0:
		api_page(data + 1, size - 1, &list);
		break;
	case 1:
		from_file(data + 1, size - 1, &list);
		break;
	default:
		one_proxy(data + 1, size - 1, &list);
		break;
	}
	for (size_t i = 0; i < list.n; i++)
		check_proxy(&list.v[i]);
	phx_proxy_list_free(&list);
	return 0;
}
