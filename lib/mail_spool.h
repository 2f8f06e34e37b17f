/* mail_spool.h - mails not sent yet: one file per message in
 * $STATE/spool/mail/ (mode 0600, written whole with rename, so a crash
 * never leaves half a message), sent oldest first by the next run that
 * mails. Never dropped: a message leaves the spool only once the SMTP
 * server accepted it. One run at a time sends the spool (an flock on
 * $STATE/spool/mail.lock); another run adds to it meanwhile. */
#ifndef PHX_MAIL_SPOOL_H
#define PHX_MAIL_SPOOL_H
#include <stddef.h>

/* Keep a message. 0, or -1 (logged): then the caller must fail with 74. */
int phx_mail_spool_add(const char *msg, size_t len);

/* Send each spooled message with send(msg, len, arg), oldest first. send
 * returns 0 when the message was accepted (it leaves the spool), < 0 to
 * keep it and go on with the next (this message was refused), > 0 to keep
 * it and stop (the server is unreachable). *sent and *left get the counts.
 * Returns the value that stopped it, else 0. A second run waits for the
 * first to finish with the spool. */
typedef int (*phx_mail_send_fn)(const char *msg, size_t len, void *arg);
int phx_mail_spool_flush(phx_mail_send_fn send, void *arg, unsigned *sent, unsigned *left);

#endif
