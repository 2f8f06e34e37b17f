/* cost_defaults.h - the shipped etc/prices.conf, built into the binaries so
 * phx-cost prices something wherever it is installed (see defaults.h). */
#ifndef PHX_COST_DEFAULTS_H
#define PHX_COST_DEFAULTS_H
extern const char phx_default_prices[];	/* etc/prices.conf, NUL-terminated */
#endif
