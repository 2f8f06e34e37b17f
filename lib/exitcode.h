/* exitcode.h - the exit status vocabulary of every phx tool (conventions 3). */
#ifndef PHX_EXITCODE_H
#define PHX_EXITCODE_H

enum {
	PHX_EX_OK = 0,		/* every record accepted */
	PHX_EX_REJECTS = 1,	/* run completed, some records rejected */
	PHX_EX_USAGE = 64,	/* bad option or argument */
	PHX_EX_DATAERR = 65,	/* input as a whole unusable */
	PHX_EX_UNAVAILABLE = 69,	/* a needed service is down after retries */
	PHX_EX_SOFTWARE = 70,	/* internal error: a bug */
	PHX_EX_IOERR = 74,	/* I/O error on our files or stdout */
	PHX_EX_TEMPFAIL = 75,	/* try again later */
	PHX_EX_CONFIG = 78,	/* configuration or credential error */
	PHX_EX_SIGINT = 130,
	PHX_EX_SIGTERM = 143
};

/* Monitoring Plugins codes, for phx-health and check modes. */
enum { PHX_MP_OK = 0, PHX_MP_WARNING = 1, PHX_MP_CRITICAL = 2, PHX_MP_UNKNOWN = 3 };

/* Return the worse of two exit codes. Order, mildest first:
 * 0, 1, 75, 65, 69, 78, 74, 64, 70, then 130/143 (a stop by signal wins). */
int phx_exit_worst(int a, int b);

#endif
