/* log.h - diagnostics on stderr as "phx-TOOL: message", always redacted. */
#ifndef PHX_LOG_H
#define PHX_LOG_H

/* Set once by phx_cli_begin(); "phx" until then. */
void phx_log_set_tool(const char *tool);
const char *phx_log_tool(void);
/* -q lowers, -v raises. 0 = errors only, 1 = warnings (default), 2+ = info, debug. */
void phx_log_set_level(int level);
int phx_log_level(void);

void phx_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void phx_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void phx_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));	/* -v */
void phx_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));	/* -vv */

#endif
