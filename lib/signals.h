/* signals.h - SIGINT/SIGTERM: the first asks the run to stop after what is
 * in hand; the second exits at once with 128+signal. SIGPIPE is ignored so
 * that EPIPE arrives as an error from write(2). */
#ifndef PHX_SIGNALS_H
#define PHX_SIGNALS_H
#include <signal.h>

void phx_signals_install(void);
/* 0, or the signal number that asked us to stop. The emergency stop file
 * (stopfile.h) reads as SIGTERM. */
int phx_stop_requested(void);
/* 1 when the stop came from the stop file and no signal arrived. */
int phx_stop_by_file(void);
/* 130 for SIGINT, 143 for SIGTERM, 0 when no stop was asked. */
int phx_stop_exit_code(void);

#endif
