/* mail_message.h - an Internet message (RFC 5322, MIME) of a report:
 * multipart/alternative with a text and an HTML part, a Date in Phoenix
 * time, a Message-ID, and the subject encoded by RFC 2047 when it is not
 * plain ASCII. Lines end in CRLF; none is longer than 998 bytes. */
#ifndef PHX_MAIL_MESSAGE_H
#define PHX_MAIL_MESSAGE_H
#include <stddef.h>
#include <time.h>
#include "buf.h"

typedef struct phx_mail_parts {
	const char *from;		/* SENDER_EMAIL */
	const char *const *to;		/* recipients, NULL-terminated */
	const char *subject;		/* UTF-8 */
	const char *text, *html;	/* the two bodies, UTF-8, '\n' line ends */
	time_t date;
} phx_mail_parts;

/* Build the message into out. 0, or -1 when an address could smuggle a
 * header (CR, LF) or is not one address. */
int phx_mail_build(const phx_mail_parts *p, phx_buf *out);

/* Pieces, for tests. */
void phx_mail_encode_subject(const char *s, phx_buf *out);	/* RFC 2047 B, folded */
void phx_mail_base64(const void *data, size_t n, phx_buf *out);	/* 76-column lines */
void phx_mail_qp(const char *s, phx_buf *out);		/* quoted-printable, CRLF */
void phx_mail_date(time_t t, char out[40]);		/* "Sun, 06 Dec 2026 16:00:00 -0700" */
/* 1 when s is one plain address (local@domain, no space, quote, angle
 * bracket, comma, control character). */
int phx_mail_address_ok(const char *s);

#endif
