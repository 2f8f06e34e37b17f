/* sha256.h - SHA-256 (FIPS 180-4), for content hashes and trace entries. */
#ifndef PHX_SHA256_H
#define PHX_SHA256_H
#include <stddef.h>
#include <stdint.h>

typedef struct phx_sha256 {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char block[64];
	size_t fill;
} phx_sha256;

void phx_sha256_init(phx_sha256 *c);
void phx_sha256_update(phx_sha256 *c, const void *data, size_t n);
void phx_sha256_final(phx_sha256 *c, unsigned char out[32]);
/* Use the CPU's SHA instructions when want is 1 and it has them (the
 * default), the portable code when 0 (tests hold the two against each
 * other). Returns 1 when the CPU has them. */
int phx_sha256_hw(int want);
/* One shot, lower-case hex, NUL-terminated. */
void phx_sha256_hex(const void *data, size_t n, char out[65]);

#endif
