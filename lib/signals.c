/* signals.c - a first SIGINT/SIGTERM asks for a clean stop; a second one
 * ends the process at once. The emergency stop file asks for the same clean
 * stop as SIGTERM, without counting as a first signal: emergency-stop creates
 * the file and then signals the pipelines, and that signal must still be
 * taken as a request to finish, not as the second one that kills. */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "signals.h"
#include "stopfile.h"

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
	if (stop_signal)
		return stop_signal;
	return phx_stop_file_present() ? SIGTERM : 0;
}

int phx_stop_by_file(void)
{
	return !stop_signal && phx_stop_file_present();
}

int phx_stop_exit_code(void)
{
	int sig = phx_stop_requested();
	return sig ? 128 + sig : 0;
}
