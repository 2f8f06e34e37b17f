/* store_uri.h - which store a tool means: the URI resolution phx-store and
 * phx-health share, so both look at the same database. */
#ifndef PHX_STORE_URI_H
#define PHX_STORE_URI_H

/* flag > PHX_DB > MONGODB_URI(_FILE) > MONGODB_URL(_FILE) > config
 * "store.db" > $XDG_DATA_HOME/phx/phoenix.db (~/.local/share/phx/phoenix.db).
 * A URI password is registered with the redactor. Returns a malloc'd URI;
 * *is_default (may be NULL) says whether it is the built-in default. NULL
 * with *err = PHX_EX_CONFIG (logged) when a _FILE cannot be read. */
char *phx_store_uri_resolve(const char *flag, int *is_default, int *err);

#endif
