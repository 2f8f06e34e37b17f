/* store_uri.c - the store URI from flag, environment, config or default
 * (see store_uri.h). The environment names are the previous system's, so
 * its cron jobs and CI secrets keep working. */
#include "store_uri.h"
#include "config.h"
#include "exitcode.h"
#include "log.h"
#include "redact.h"
#include "state.h"
#include "xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *default_db(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char path[PATH_MAX];

	if (xdg && *xdg)
		snprintf(path, sizeof path, "%s/phx/phoenix.db", xdg);
	else
		snprintf(path, sizeof path, "%s/.local/share/phx/phoenix.db", home ? home : ".");
	return phx_xstrdup(path);
}

/* A URI from NAME or the file named by NAME_FILE. Unlike phx_secret(), only
 * its password is registered with the redactor, so messages can still say
 * which server: mongodb://user:***@host. */
static char *uri_from_env(const char *name, int *err)
{
	char fname[64];
	const char *v = getenv(name), *path;
	size_t len;
	char *s;

	if (v && *v)
		return phx_xstrdup(v);
	snprintf(fname, sizeof fname, "%s_FILE", name);
	path = getenv(fname);
	if (!path || !*path)
		return NULL;
	s = phx_read_file(path, &len);
	if (!s) {
		phx_err("%s: %s: %s", fname, path, strerror(errno));
		*err = PHX_EX_CONFIG;
		return NULL;
	}
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		s[--len] = '\0';
	return s;
}

static void register_password(const char *uri)
{
	const char *scheme = strstr(uri, "://"), *at, *colon;
	char *pw;

	if (!scheme)
		return;
	at = strchr(scheme + 3, '@');
	colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
	if (!colon)
		return;
	pw = phx_xstrndup(colon + 1, (size_t)(at - colon - 1));
	phx_redact_add(pw);
	phx_secret_free(pw);
}

char *phx_store_uri_resolve(const char *flag, int *is_default, int *err)
{
	static const char *const env[] = { "PHX_DB", NULL };
	const char *v = phx_setting(flag, env, NULL, NULL);
	char *uri = NULL;

	*err = 0;
	if (is_default)
		*is_default = 0;
	if (v)
		uri = phx_xstrdup(v);
	if (!uri)
		uri = uri_from_env("MONGODB_URI", err);
	if (!uri && !*err)
		uri = uri_from_env("MONGODB_URL", err);
	if (*err)
		return NULL;
	if (!uri && phx_config_file_value("store.db"))
		uri = phx_xstrdup(phx_config_file_value("store.db"));
	if (!uri) {
		uri = default_db();
		if (is_default)
			*is_default = 1;
	}
	register_password(uri);
	return uri;
}
