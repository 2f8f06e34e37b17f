/* cli.c - the options every phx tool shares. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "config.h"
#include "exitcode.h"
#include "log.h"
#include "ndjson.h"
#include "reject.h"
#include "run.h"
#include "signals.h"
#include "stopfile.h"
#include "buf.h"

void phx_cli_begin(phx_cli *cli, const char *tool, const char *help, const char *usage)
{
	cli->tool = tool;
	cli->help = help;
	cli->usage = usage;
	cli->config_path = cli->rejects_path = cli->max_line_arg = NULL;
	cli->max_line = PHX_MAX_LINE_DEFAULT;
	cli->verbosity = 1;
	cli->stats = 0;
	phx_log_set_tool(tool);
	if (phx_stop_file_check_now()) {
		phx_err("emergency stop: remove %s to resume", phx_stop_file_path());
		exit(PHX_EX_TEMPFAIL);
	}
	phx_signals_install();
	phx_run_begin(tool);
}

int phx_cli_common(phx_cli *cli, int opt, const char *arg)
{
	switch (opt) {
	case 'h':
	case PHX_OPT_HELP:
		fputs(cli->help, stdout);
		exit(fflush(stdout) == 0 ? PHX_EX_OK : PHX_EX_IOERR);
	case PHX_OPT_VERSION:
		printf("%s (phx) %s\n", cli->tool, PHX_VERSION);
		exit(fflush(stdout) == 0 ? PHX_EX_OK : PHX_EX_IOERR);
	case 'q':
		cli->verbosity = 0;
		return 1;
	case 'v':
		cli->verbosity++;
		return 1;
	case PHX_OPT_CONFIG:
		cli->config_path = arg;
		return 1;
	case PHX_OPT_REJECTS:
		cli->rejects_path = arg;
		return 1;
	case PHX_OPT_STATS:
		cli->stats = 1;
		return 1;
	case PHX_OPT_MAX_LINE:
		cli->max_line_arg = arg;
		return 1;
	default:
		return 0;
	}
}

int phx_cli_finish(phx_cli *cli)
{
	phx_log_set_level(cli->verbosity);
	int rc = phx_config_load(cli->config_path);
	if (rc != 0)
		return rc;
	static const char *const max_env[] = { "PHX_MAX_LINE", NULL };
	const char *ml = phx_setting(cli->max_line_arg, max_env, "max_line", NULL);
	if (ml) {
		long long v;
		if (phx_parse_int("--max-line", ml, 16, (long long)1 << 32, &v) != 0)
			return cli->max_line_arg ? PHX_EX_USAGE : PHX_EX_CONFIG;
		cli->max_line = (size_t)v;
	}
	phx_rejects_set_path(cli->rejects_path);
	phx_run_current()->stats = cli->stats;
	return 0;
}

void phx_usage_error(const phx_cli *cli, const char *fmt, ...)
{
	if (fmt) {
		phx_buf b = PHX_BUF_INIT;
		va_list ap;
		va_start(ap, fmt);
		phx_buf_vprintf(&b, fmt, ap);
		va_end(ap);
		phx_err("%s", b.data);
		phx_buf_free(&b);
	}
	fprintf(stderr, "usage: %s\nTry '%s --help' for more information.\n", cli->usage,
		cli->tool);
	exit(PHX_EX_USAGE);
}
