/* exitcode.c - worst-of exit status. */
#include "exitcode.h"

static int rank(int code)
{
	switch (code) {
	case PHX_EX_OK: return 0;
	case PHX_EX_REJECTS: return 1;
	case PHX_EX_TEMPFAIL: return 2;
	case PHX_EX_DATAERR: return 3;
	case PHX_EX_UNAVAILABLE: return 4;
	case PHX_EX_CONFIG: return 5;
	case PHX_EX_IOERR: return 6;
	case PHX_EX_USAGE: return 7;
	case PHX_EX_SOFTWARE: return 8;
	case PHX_EX_SIGINT:
	case PHX_EX_SIGTERM: return 9;
	default: return 8;	/* unknown codes count as internal errors */
	}
}

int phx_exit_worst(int a, int b)
{
	return rank(b) > rank(a) ? b : a;
}
