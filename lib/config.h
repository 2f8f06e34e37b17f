/* config.h - settings: flag > environment > config file > default.
 *
 * The config file is "key = value" lines; '#' starts a comment; keys are
 * lower case with dots for sections ("fetch.rate", "store.db"). It is
 * --config FILE, else $PHX_CONFIG, else $XDG_CONFIG_HOME/phx/phx.conf
 * (optional). Secrets never come from it: keys naming a secret
 * (api_key, password, token, ...) are refused with exit 78. */
#ifndef PHX_CONFIG_H
#define PHX_CONFIG_H
#include <stdint.h>

/* Load the config file. explicit_path from --config (NULL if none): that
 * one, or $PHX_CONFIG, must exist. Returns 0, or PHX_EX_CONFIG with an
 * error logged. */
int phx_config_load(const char *explicit_path);
/* Value from the config file only, or NULL. */
const char *phx_config_file_value(const char *key);
/* Resolve a setting: flag (may be NULL), then each environment name in
 * envs (NULL-terminated, may be NULL), then the config key (may be NULL),
 * then def. Returns a pointer valid for the life of the process, or NULL. */
const char *phx_setting(const char *flag, const char *const *envs,
			const char *key, const char *def);
/* Which of those levels gave the value: "flag", "env:NAME", "config", "default". */
const char *phx_setting_origin(const char *flag, const char *const *envs,
			       const char *key);
/* Parse helpers; 0 on success, -1 with an error logged naming what. */
int phx_parse_int(const char *what, const char *s, long long min, long long max,
		  long long *out);
int phx_parse_double(const char *what, const char *s, double min, double max,
		     double *out);

/* A secret: environment NAME, else the file named by NAME_FILE (trailing
 * newline dropped). The value is registered with the redactor (of a URL
 * with a password, only the password). Returns a
 * malloc'd string or NULL when neither is set; on an unreadable NAME_FILE,
 * NULL with *err = PHX_EX_CONFIG and a message. */
char *phx_secret(const char *name, int *err);
/* Wipe and free a secret. */
void phx_secret_free(char *s);

#endif
