/* sha256.c - SHA-256 after FIPS 180-4, written from the standard.
 *
 * x86-64 processors with the SHA extensions (most since 2017) compress a
 * block with them, chosen at run time; phx-store hashes every record, and
 * the portable rounds were a tenth of its CPU. */
#include <string.h>
#include "sha256.h"
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define PHX_SHA_NI 1
#endif

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress_portable(phx_sha256 *c, const unsigned char *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	/* the eight working variables live in registers, renamed each round */
	uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
	uint32_t e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) +
			      K[i] + w[i];
		uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = cc;
		cc = b;
		b = a;
		a = t1 + t2;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
	c->h[4] += e;
	c->h[5] += f;
	c->h[6] += g;
	c->h[7] += h;
}

#ifdef PHX_SHA_NI
/* The same block with the SHA-NI instructions. They keep the state as
 * (A,B,E,F) and (C,D,G,H) and do two rounds per sha256rnds2. */
__attribute__((target("sha,sse4.1,ssse3")))
static void compress_sha_ni(phx_sha256 *c, const unsigned char *p)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i abcd = _mm_loadu_si128((const __m128i *)&c->h[0]);
	__m128i efgh = _mm_loadu_si128((const __m128i *)&c->h[4]);
	__m128i badc = _mm_shuffle_epi32(abcd, 0xB1);
	__m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
	__m128i abef = _mm_alignr_epi8(badc, hgfe, 8);
	__m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);
	__m128i abef0 = abef, cdgh0 = cdgh, w[4], m, k;
	int i;

	for (i = 0; i < 4; i++)
		w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
	for (i = 0; i < 16; i++) {
		if (i >= 4) {	/* W[4i..4i+3] from the four groups before */
			__m128i w7 = _mm_alignr_epi8(w[(i - 1) % 4], w[(i - 2) % 4], 4);
			m = _mm_sha256msg1_epu32(w[i % 4], w[(i - 3) % 4]);
			m = _mm_sha256msg2_epu32(_mm_add_epi32(m, w7), w[(i - 1) % 4]);
			w[i % 4] = m;
		}
		k = _mm_add_epi32(w[i % 4], _mm_loadu_si128((const __m128i *)&K[4 * i]));
		cdgh = _mm_sha256rnds2_epu32(cdgh, abef, k);	/* now the new ABEF */
		abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(k, 0x0E));
		/* after two calls the roles are back: abef is ABEF, cdgh is CDGH */
	}
	abef = _mm_add_epi32(abef, abef0);
	cdgh = _mm_add_epi32(cdgh, cdgh0);
	__m128i feba = _mm_shuffle_epi32(abef, 0x1B);
	__m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
	_mm_storeu_si128((__m128i *)&c->h[0], _mm_blend_epi16(feba, dchg, 0xF0));
	_mm_storeu_si128((__m128i *)&c->h[4], _mm_alignr_epi8(dchg, feba, 8));
}

static int cpu_has_sha_ni(void)
{
	unsigned a, b, cx, d;

	if (!__get_cpuid(1, &a, &b, &cx, &d) || !(cx & bit_SSE4_1) || !(cx & bit_SSSE3))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &cx, &d))
		return 0;
	return (b & (1u << 29)) != 0;	/* CPUID.7.0:EBX.SHA */
}
#endif

/* -1 not decided yet, 0 portable, 1 SHA-NI */
static int use_hw = -1;

int phx_sha256_hw(int want)
{
#ifdef PHX_SHA_NI
	int have = cpu_has_sha_ni();
#else
	int have = 0;
#endif
	use_hw = want && have;
	return have;
}

static void compress(phx_sha256 *c, const unsigned char *p)
{
	if (use_hw < 0)
		phx_sha256_hw(1);
#ifdef PHX_SHA_NI
	if (use_hw) {
		compress_sha_ni(c, p);
		return;
	}
#endif
	compress_portable(c, p);
}

void phx_sha256_init(phx_sha256 *c)
{
	static const uint32_t H0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	memcpy(c->h, H0, sizeof H0);
	c->bytes = 0;
	c->fill = 0;
}

void phx_sha256_update(phx_sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	c->bytes += n;
	while (c->fill == 0 && n >= 64) {
		compress(c, p);
		p += 64;
		n -= 64;
	}
	while (n > 0) {
		size_t take = 64 - c->fill;
		if (take > n)
			take = n;
		memcpy(c->block + c->fill, p, take);
		c->fill += take;
		p += take;
		n -= take;
		if (c->fill == 64) {
			compress(c, c->block);
			c->fill = 0;
		}
	}
}

void phx_sha256_final(phx_sha256 *c, unsigned char out[32])
{
	uint64_t bits = c->bytes * 8;
	unsigned char pad = 0x80, zero = 0, len[8];
	phx_sha256_update(c, &pad, 1);
	while (c->fill != 56)
		phx_sha256_update(c, &zero, 1);
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	phx_sha256_update(c, len, 8);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
}

void phx_sha256_hex(const void *data, size_t n, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[32];
	phx_sha256 c;
	phx_sha256_init(&c);
	phx_sha256_update(&c, data, n);
	phx_sha256_final(&c, d);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}
