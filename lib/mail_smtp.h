/* mail_smtp.h - sending one message by SMTP through libcurl.
 *
 * TLS: "implicit" (smtps://, the default on port 465), "starttls" (smtp://
 * upgraded by STARTTLS when the server offers it; required when a password
 * is to be sent, so it never crosses the wire in the clear), or "none".
 * Certificates are verified (ca_file adds trusted CAs). The password is
 * never printed: curl's messages pass through the redactor. */
#ifndef PHX_MAIL_SMTP_H
#define PHX_MAIL_SMTP_H
#include <stddef.h>

typedef struct phx_smtp {
	const char *host, *port, *tls;	/* tls: "starttls", "implicit", "none" */
	const char *username, *password;	/* NULL: no AUTH */
	const char *from;
	const char *const *to;		/* NULL-terminated */
	const char *ca_file;		/* NULL: the system's CAs */
	long connect_timeout_ms, timeout_ms;
} phx_smtp;

enum { PHX_SMTP_OK = 0, PHX_SMTP_TEMP = 1, PHX_SMTP_AUTH = 2, PHX_SMTP_REFUSED = 3 };

/* Send msg (len bytes, CRLF lines). Returns PHX_SMTP_OK, or TEMP (server
 * unreachable, timeout, 4xx: try again later), AUTH (login refused) or
 * REFUSED (5xx for the message or its recipients), with why filled. */
int phx_smtp_send(const phx_smtp *s, const char *msg, size_t len, char *why, size_t whylen);

#endif
