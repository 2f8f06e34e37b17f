/* mail_report.c - the report as a mail: see mail.h. */
#include "mail.h"
#include "exitcode.h"
#include "log.h"

int phx_mail_report(const json_t *model, time_t now, int dry)
{
	(void)model; (void)now; (void)dry;
	phx_err("--mail: not built yet");
	return PHX_EX_SOFTWARE;
}
