/* cli.h - the options every tool has, on top of getopt_long.
 *
 * A tool lists its own options, then PHX_COMMON_OPTIONS, and passes every
 * option getopt_long returns to phx_cli_common() first:
 *
 *   static const struct option opts[] = {
 *       {"min-valid", required_argument, NULL, 'm'},
 *       PHX_COMMON_OPTIONS,
 *       {NULL, 0, NULL, 0}};
 *   ...
 *   while ((c = getopt_long(argc, argv, "m:" PHX_COMMON_SHORT, opts, NULL)) != -1) {
 *       if (phx_cli_common(&cli, c, optarg)) continue;
 *       switch (c) { ... default: phx_usage_error(usage, NULL); }
 *   }
 *   if (phx_cli_finish(&cli) != 0) return PHX_EX_CONFIG;
 */
#ifndef PHX_CLI_H
#define PHX_CLI_H
#include <getopt.h>

#define PHX_VERSION "0.1.0"

enum {
	PHX_OPT_HELP = 0x1000,
	PHX_OPT_VERSION,
	PHX_OPT_CONFIG,
	PHX_OPT_REJECTS,
	PHX_OPT_STATS,
	PHX_OPT_MAX_LINE
};

#define PHX_COMMON_SHORT "qvh"
#define PHX_COMMON_OPTIONS \
	{"help", no_argument, NULL, PHX_OPT_HELP}, \
	{"version", no_argument, NULL, PHX_OPT_VERSION}, \
	{"quiet", no_argument, NULL, 'q'}, \
	{"verbose", no_argument, NULL, 'v'}, \
	{"config", required_argument, NULL, PHX_OPT_CONFIG}, \
	{"rejects", required_argument, NULL, PHX_OPT_REJECTS}, \
	{"stats", no_argument, NULL, PHX_OPT_STATS}, \
	{"max-line", required_argument, NULL, PHX_OPT_MAX_LINE}

typedef struct phx_cli {
	const char *tool;		/* "phx-validate" */
	const char *help;		/* full --help text, printed as is */
	const char *usage;		/* one-line synopsis for usage errors */
	const char *config_path;	/* --config */
	const char *rejects_path;	/* --rejects */
	const char *max_line_arg;	/* --max-line */
	size_t max_line;		/* resolved by phx_cli_finish */
	int verbosity;			/* 1 default, -q 0, each -v +1 */
	int stats;
} phx_cli;

/* Set up logging, signals and the run for tool; call first in main().
 * Exits 75 at once while the emergency stop file exists (stopfile.h). */
void phx_cli_begin(phx_cli *cli, const char *tool, const char *help,
		   const char *usage);
/* Handle a common option; returns 1 when handled. --help and --version
 * print and exit 0 here. */
int phx_cli_common(phx_cli *cli, int opt, const char *arg);
/* After option parsing: load config, apply verbosity, rejects path, stats,
 * max line (flag > PHX_MAX_LINE > config "max_line" > 16 MiB).
 * Returns 0 or an exit code (already reported). */
int phx_cli_finish(phx_cli *cli);
/* Print "phx-TOOL: reason" (if any) and the usage line, exit 64. */
void phx_usage_error(const phx_cli *cli, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

#endif
