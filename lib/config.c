/* config.c - the config file, settings by precedence, secrets. */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "exitcode.h"
#include "log.h"
#include "redact.h"
#include "state.h"
#include "xalloc.h"

struct entry {
	char *key, *value;
};

static struct entry *entries;
static size_t nentries;

static const char *const secret_words[] = { "password", "passwd", "api_key", "apikey",
					    "token", "secret", NULL };

static int names_secret(const char *key)
{
	for (int i = 0; secret_words[i]; i++)
		if (strstr(key, secret_words[i]))
			return 1;
	return 0;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int parse_file(const char *path, char *text)
{
	int lineno = 0;
	char *save = text;
	for (char *line = text; line; line = save) {
		char *nl = strchr(line, '\n');
		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		char *s = trim(line);
		if (*s == '#' || *s == '\0')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			phx_err("%s:%d: expected \"key = value\"", path, lineno);
			return PHX_EX_CONFIG;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		size_t vl = strlen(value);
		if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
			value[vl - 1] = '\0';
			value++;
		}
		if (*key == '\0') {
			phx_err("%s:%d: empty key", path, lineno);
			return PHX_EX_CONFIG;
		}
		for (char *k = key; *k; k++)
			*k = (char)tolower((unsigned char)*k);
		if (names_secret(key)) {
			phx_err("%s:%d: %s: secrets are not read from the config file; "
				"set them in the environment or in a NAME_FILE", path, lineno, key);
			return PHX_EX_CONFIG;
		}
		entries = phx_xrealloc(entries, (nentries + 1) * sizeof *entries);
		entries[nentries].key = phx_xstrdup(key);
		entries[nentries].value = phx_xstrdup(value);
		nentries++;
	}
	return 0;
}

int phx_config_load(const char *explicit_path)
{
	char fallback[4096];
	const char *path = explicit_path;
	int required = 1;
	if (!path || !*path)
		path = getenv("PHX_CONFIG");
	if (!path || !*path) {
		const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
		required = 0;
		if (xdg && *xdg)
			snprintf(fallback, sizeof fallback, "%s/phx/phx.conf", xdg);
		else if (home && *home)
			snprintf(fallback, sizeof fallback, "%s/.config/phx/phx.conf", home);
		else
			return 0;
		path = fallback;
	}
	char *text = phx_read_file(path, NULL);
	if (!text) {
		if (!required && errno == ENOENT)
			return 0;
		phx_err("%s: cannot read config file: %s", path, strerror(errno));
		return PHX_EX_CONFIG;
	}
	int rc = parse_file(path, text);
	free(text);
	return rc;
}

const char *phx_config_file_value(const char *key)
{
	/* the last assignment wins, as in a shell file */
	for (size_t i = nentries; i-- > 0;)
		if (strcmp(entries[i].key, key) == 0)
			return entries[i].value;
	return NULL;
}

static const char *env_value(const char *const *envs, const char **which)
{
	for (int i = 0; envs && envs[i]; i++) {
		const char *v = getenv(envs[i]);
		if (v && *v) {
			if (which)
				*which = envs[i];
			return v;
		}
	}
	return NULL;
}

const char *phx_setting(const char *flag, const char *const *envs, const char *key,
			const char *def)
{
	const char *v;
	if (flag)
		return flag;
	if ((v = env_value(envs, NULL)))
		return v;
	if (key && (v = phx_config_file_value(key)))
		return v;
	return def;
}

const char *phx_setting_origin(const char *flag, const char *const *envs, const char *key)
{
	static char origin[128];
	const char *which = NULL;
	if (flag)
		return "flag";
	if (env_value(envs, &which)) {
		snprintf(origin, sizeof origin, "env:%s", which);
		return origin;
	}
	if (key && phx_config_file_value(key))
		return "config";
	return "default";
}

int phx_parse_int(const char *what, const char *s, long long min, long long max,
		  long long *out)
{
	char *end;
	errno = 0;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || end == s || *end != '\0' || errno) {
		phx_err("%s: not an integer: '%s'", what, s ? s : "");
		return -1;
	}
	if (v < min || v > max) {
		phx_err("%s: %lld is outside %lld..%lld", what, v, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int phx_parse_double(const char *what, const char *s, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double v = s ? strtod(s, &end) : 0;
	if (!s || end == s || *end != '\0' || errno || !isfinite(v)) {
		phx_err("%s: not a number: '%s'", what, s ? s : "");
		return -1;
	}
	if (v < min || v > max) {
		phx_err("%s: %g is outside %g..%g", what, v, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* A URL with a password is a secret only in its password: register that,
 * so "mongodb://user:***@host" stays readable. Anything else whole. */
static void register_secret(const char *v)
{
	const char *sep = strstr(v, "://");
	if (sep) {
		const char *host = sep + 3;
		const char *end = host + strcspn(host, "/?#");
		const char *at = NULL;
		for (const char *p = host; p < end; p++)
			if (*p == '@')
				at = p;
		const char *colon = at ? memchr(host, ':', (size_t)(at - host)) : NULL;
		if (colon) {
			char *pw = phx_xstrndup(colon + 1, (size_t)(at - colon - 1));
			phx_redact_add(pw);
			phx_secret_free(pw);
			return;
		}
	}
	phx_redact_add(v);
}

char *phx_secret(const char *name, int *err)
{
	char fname[256];
	const char *v = getenv(name);
	if (err)
		*err = 0;
	if (v && *v) {
		register_secret(v);
		return phx_xstrdup(v);
	}
	snprintf(fname, sizeof fname, "%s_FILE", name);
	const char *path = getenv(fname);
	if (!path || !*path)
		return NULL;
	size_t len;
	char *s = phx_read_file(path, &len);
	if (!s) {
		phx_err("%s: %s: %s", fname, path, strerror(errno));
		if (err)
			*err = PHX_EX_CONFIG;
		return NULL;
	}
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		s[--len] = '\0';
	if (len == 0) {
		phx_err("%s: %s is empty", fname, path);
		free(s);
		if (err)
			*err = PHX_EX_CONFIG;
		return NULL;
	}
	register_secret(s);
	return s;
}

void phx_secret_free(char *s)
{
	if (!s)
		return;
	volatile char *p = s;
	while (*p)
		*p++ = '\0';
	free(s);
}
