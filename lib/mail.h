/* mail.h - mailing a report: the message (mail_message.c), SMTP through
 * libcurl (mail_smtp.c) and the spool of messages not yet sent
 * (mail_spool.c). */
#ifndef PHX_MAIL_H
#define PHX_MAIL_H
#include <time.h>
#include <jansson.h>

/* Mail the report model: send what the spool holds, then this report
 * (model NULL: only the spool).
 * dry: write the message to stdout instead. Returns an exit status;
 * *kept (may be NULL) is set when the message was sent or spooled. */
int phx_mail_report(const json_t *model, time_t now, int dry, int *kept);

#endif
