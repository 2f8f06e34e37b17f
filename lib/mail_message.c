/* mail_message.c - the report as an Internet message: see mail_message.h.
 * The text part is quoted-printable (readable in a raw dump), the HTML part
 * base64 (its SVG lines are long). */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include "mail_message.h"
#include "timeutil.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of data without line breaks. */
static void base64_flat(const unsigned char *p, size_t n, phx_buf *out)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		phx_buf_addc(out, b64[(v >> 18) & 63]);
		phx_buf_addc(out, b64[(v >> 12) & 63]);
		phx_buf_addc(out, i + 1 < n ? b64[(v >> 6) & 63] : '=');
		phx_buf_addc(out, i + 2 < n ? b64[v & 63] : '=');
	}
}

void phx_mail_base64(const void *data, size_t n, phx_buf *out)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i += 57) {	/* 57 bytes = 76 characters */
		base64_flat(p + i, n - i < 57 ? n - i : 57, out);
		phx_buf_adds(out, "\r\n");
	}
}

void phx_mail_qp(const char *s, phx_buf *out)
{
	size_t col = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char enc[4];
		size_t w;
		if (*p == '\n') {
			phx_buf_adds(out, "\r\n");
			col = 0;
			continue;
		}
		if (*p == '\r')
			continue;
		int plain = (*p >= 33 && *p <= 126 && *p != '=') ||
			    ((*p == ' ' || *p == '\t') && p[1] != '\n' && p[1] != '\0');
		if (plain) {
			enc[0] = (char)*p;
			w = 1;
		} else {
			snprintf(enc, sizeof enc, "=%02X", *p);
			w = 3;
		}
		if (col + w > 75) {
			phx_buf_adds(out, "=\r\n");
			col = 0;
		}
		phx_buf_add(out, enc, w);
		col += w;
	}
	if (col)
		phx_buf_adds(out, "\r\n");
}

static int ascii_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 32 || (unsigned char)*s > 126)
			return 0;
	return 1;
}

void phx_mail_encode_subject(const char *s, phx_buf *out)
{
	size_t n = strlen(s), i = 0;

	if (ascii_printable(s) && n <= 900) {
		phx_buf_adds(out, s);
		return;
	}
	/* encoded words of at most 39 bytes of text, cut between characters */
	while (i < n) {
		size_t take = n - i < 39 ? n - i : 39;
		while (i + take < n && take > 1 &&
		       ((unsigned char)s[i + take] & 0xC0) == 0x80)
			take--;
		if (i)
			phx_buf_adds(out, "\r\n ");
		phx_buf_adds(out, "=?UTF-8?B?");
		base64_flat((const unsigned char *)s + i, take, out);
		phx_buf_adds(out, "?=");
		i += take;
	}
}

void phx_mail_date(time_t t, char out[40])
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	time_t local = t + PHX_PHOENIX_OFFSET;

	gmtime_r(&local, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d -0700", wd[tm.tm_wday], tm.tm_mday,
		 mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int phx_mail_address_ok(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;

	if (!at || at == s || !at[1] || strchr(at + 1, '@') || strlen(s) > 254)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 32 || (unsigned char)*s == 127 || strchr("<>,;\"()[]\\", *s))
			return 0;
	return 1;
}

static void random_hex(char *out, size_t bytes)
{
	unsigned char r[16] = { 0 };
	if (bytes > sizeof r)
		bytes = sizeof r;
	if (getrandom(r, bytes, 0) != (ssize_t)bytes) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		memcpy(r, &ts, bytes < sizeof ts ? bytes : sizeof ts);
	}
	for (size_t i = 0; i < bytes; i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
}

int phx_mail_build(const phx_mail_parts *p, phx_buf *out)
{
	char date[40], boundary[48], id[40], stamp[PHX_TIME_LEN];

	if (!phx_mail_address_ok(p->from) || !p->to || !p->to[0])
		return -1;
	for (size_t i = 0; p->to[i]; i++)
		if (!phx_mail_address_ok(p->to[i]))
			return -1;
	phx_mail_date(p->date, date);
	random_hex(id, 12);
	snprintf(boundary, sizeof boundary, "=_phx_%s", id);
	phx_time_format(p->date, stamp);
	random_hex(id, 8);
	phx_buf_printf(out, "Date: %s\r\nFrom: %s\r\nTo: ", date, p->from);
	for (size_t i = 0; p->to[i]; i++)
		phx_buf_printf(out, "%s%s", i ? ",\r\n " : "", p->to[i]);
	phx_buf_adds(out, "\r\nSubject: ");
	phx_mail_encode_subject(p->subject ? p->subject : "", out);
	phx_buf_printf(out, "\r\nMessage-ID: <%.4s%.2s%.2s%.2s%.2s%.2s.%s@%s>\r\n", stamp,
		       stamp + 5, stamp + 8, stamp + 11, stamp + 14, stamp + 17, id,
		       strchr(p->from, '@') + 1);
	phx_buf_printf(out, "MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n"
		       "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n"
		       "This is a MIME message: a text and an HTML version of one report.\r\n",
		       boundary);
	phx_buf_printf(out, "\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
		       "Content-Transfer-Encoding: quoted-printable\r\n\r\n", boundary);
	phx_mail_qp(p->text ? p->text : "", out);
	phx_buf_printf(out, "\r\n--%s\r\nContent-Type: text/html; charset=utf-8\r\n"
		       "Content-Transfer-Encoding: base64\r\n\r\n", boundary);
	phx_mail_base64(p->html ? p->html : "", p->html ? strlen(p->html) : 0, out);
	phx_buf_printf(out, "\r\n--%s--\r\n", boundary);
	return 0;
}
