/* signals.c - a first SIGINT/SIGTERM asks for a clean stop; a second one
 * ends the process at once. */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "signals.h"

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	if (stop_signal)
		_exit(128 + sig);
	stop_signal = sig;
}

void phx_signals_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a blocking read returns EINTR so the loop can stop */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int phx_stop_requested(void)
{
	return stop_signal;
}

int phx_stop_exit_code(void)
{
	if (!stop_signal)
		return 0;
	return 128 + stop_signal;
}
