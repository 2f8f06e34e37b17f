/* log.c - diagnostics for people, on stderr, one write per message. */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "buf.h"
#include "redact.h"

static const char *tool_name = "phx";
static int level = 1;

void phx_log_set_tool(const char *tool) { tool_name = tool; }
const char *phx_log_tool(void) { return tool_name; }
void phx_log_set_level(int l) { level = l; }
int phx_log_level(void) { return level; }

static void emit(int min_level, const char *kind, const char *fmt, va_list ap)
{
	if (level < min_level)
		return;
	phx_buf msg = PHX_BUF_INIT, line = PHX_BUF_INIT;
	phx_buf_vprintf(&msg, fmt, ap);
	phx_buf_printf(&line, "%s: %s", tool_name, kind);
	phx_redact_append(&line, msg.data, msg.len);
	if (line.len == 0 || line.data[line.len - 1] != '\n')
		phx_buf_addc(&line, '\n');
	size_t off = 0;
	while (off < line.len) {
		ssize_t w = write(2, line.data + off, line.len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	phx_buf_free(&msg);
	phx_buf_free(&line);
}

void phx_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(0, "", fmt, ap);
	va_end(ap);
}

void phx_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(1, "warning: ", fmt, ap);
	va_end(ap);
}

void phx_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(2, "", fmt, ap);
	va_end(ap);
}

void phx_debug(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(3, "debug: ", fmt, ap);
	va_end(ap);
}
