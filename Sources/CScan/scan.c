// The one hot loop the scan spends most of its own time in, 32 or 16 bytes at a time: Swift's SIMD types became lane
// loops in this toolchain (5-7x slower), and its SWAR loop did 8. SSE2 is in every x86-64; AVX2 is taken when the CPU
// has it; any other architecture gets the portable loop. Each string is one call: the stops inside it (escapes, runs
// of UTF-8) are handled here, since a return to Swift at each cost more than the scan itself.
#include "cscan.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// The length of the well-formed UTF-8 sequence at bytes[0] (whose lead is 0x80 or above), or 0: no overlong forms,
// no surrogates, nothing past U+10FFFF (UTF8Validation.sequence says the same, with the reason).
static inline size_t sequence_length(const uint8_t *bytes, size_t left) {
    uint8_t lead = bytes[0], low = 0x80, high = 0xBF;
    size_t length;
    if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    else if (lead == 0xE0) { length = 3; low = 0xA0; }
    else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) length = 3;
    else if (lead == 0xED) { length = 3; high = 0x9F; }
    else if (lead == 0xF0) { length = 4; low = 0x90; }
    else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
    else if (lead == 0xF4) { length = 4; high = 0x8F; }
    else return 0;
    if (left < length || bytes[1] < low || bytes[1] > high) return 0;
    for (size_t index = 2; index < length; index++) {
        if ((bytes[index] & 0xC0) != 0x80) return 0;
    }
    return length;
}

// A run of non-ASCII at `*index`, checked sequence by sequence. Returns 0 when one is not well-formed.
static inline int skip_utf8(const uint8_t *bytes, size_t count, size_t *index) {
    while (*index < count && bytes[*index] >= 0x80) {
        size_t length = sequence_length(bytes + *index, count - *index);
        if (length == 0) return 0;
        *index += length;
    }
    return 1;
}

static inline int is_hex(uint8_t byte) {
    return (byte >= '0' && byte <= '9') || (byte >= 'a' && byte <= 'f') || (byte >= 'A' && byte <= 'F');
}

// The next byte at or after `index` that is a quote, a backslash, below 0x20, or (validating) 0x80 and above; `count`
// when there is none.
static inline size_t find_portable(const uint8_t *bytes, size_t count, size_t index, int validate_utf8) {
    for (; index < count; index++) {
        uint8_t byte = bytes[index];
        if (byte == '"' || byte == '\\' || byte < 0x20 || (validate_utf8 && byte >= 0x80)) return index;
    }
    return count;
}

#if defined(__x86_64__)
static inline size_t find_sse2(const uint8_t *bytes, size_t count, size_t index, int validate_utf8) {
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1F);
    for (; index + 16 <= count; index += 16) {
        __m128i block = _mm_loadu_si128((const __m128i *)(bytes + index));
        __m128i stops = _mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash));
        stops = _mm_or_si128(stops, _mm_cmpeq_epi8(_mm_min_epu8(block, control), block));
        unsigned mask = (unsigned)_mm_movemask_epi8(stops) | (validate_utf8 ? (unsigned)_mm_movemask_epi8(block) : 0);
        if (mask) return index + (size_t)__builtin_ctz(mask);
    }
    return find_portable(bytes, count, index, validate_utf8);
}

__attribute__((target("avx2")))
static inline size_t find_avx2(const uint8_t *bytes, size_t count, size_t index, int validate_utf8) {
    const __m256i quote = _mm256_set1_epi8('"'), backslash = _mm256_set1_epi8('\\'), control = _mm256_set1_epi8(0x1F);
    for (; index + 32 <= count; index += 32) {
        __m256i block = _mm256_loadu_si256((const __m256i *)(bytes + index));
        __m256i stops = _mm256_or_si256(_mm256_cmpeq_epi8(block, quote), _mm256_cmpeq_epi8(block, backslash));
        stops = _mm256_or_si256(stops, _mm256_cmpeq_epi8(_mm256_min_epu8(block, control), block));
        unsigned mask = (unsigned)_mm256_movemask_epi8(stops) | (validate_utf8 ? (unsigned)_mm256_movemask_epi8(block) : 0);
        if (mask) return index + (size_t)__builtin_ctz(mask);
    }
    return find_sse2(bytes, count, index, validate_utf8);
}
#endif

// The string from bytes[0] to its closing quote, with FIND: 1 and the quote's offset when well-formed, else 0.
#define DEFINE_STRING_SCAN(NAME, ATTRIBUTES, FIND)                                                                      \
    ATTRIBUTES static int NAME(const uint8_t *bytes, size_t count, int validate_utf8, size_t *end, int *escaped) {    \
        size_t index = 0;                                                                                                \
        int escapes = 0;                                                                                                 \
        for (;;) {                                                                                                       \
            index = FIND(bytes, count, index, validate_utf8);                                                            \
            if (index >= count) return 0;                                                                                \
            uint8_t byte = bytes[index];                                                                                 \
            if (byte == '"') { *end = index; *escaped = escapes; return 1; }                                             \
            if (byte >= 0x80) { if (!skip_utf8(bytes, count, &index)) return 0; continue; }                              \
            if (byte != '\\' || index + 1 >= count) return 0;                                                            \
            escapes = 1;                                                                                                 \
            switch (bytes[index + 1]) {                                                                                  \
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':                            \
                index += 2;                                                                                              \
                break;                                                                                                   \
            case 'u':                                                                                                    \
                if (count - index < 6 || !is_hex(bytes[index + 2]) || !is_hex(bytes[index + 3])                         \
                    || !is_hex(bytes[index + 4]) || !is_hex(bytes[index + 5])) return 0;                                \
                index += 6;                                                                                              \
                break;                                                                                                   \
            default:                                                                                                     \
                return 0;                                                                                                \
            }                                                                                                            \
        }                                                                                                                \
    }

#if defined(__x86_64__)
DEFINE_STRING_SCAN(string_sse2, , find_sse2)
DEFINE_STRING_SCAN(string_avx2, __attribute__((target("avx2"))), find_avx2)

typedef int (*string_scanner)(const uint8_t *, size_t, int, size_t *, int *);
static string_scanner chosen;

static string_scanner scanner(void) {
    // Threads that choose at once choose the same; atomic, so that no sanitizer calls it a race.
    string_scanner scan = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (scan == 0) {
        __builtin_cpu_init();
        scan = __builtin_cpu_supports("avx2") ? string_avx2 : string_sse2;
        __atomic_store_n(&chosen, scan, __ATOMIC_RELAXED);
    }
    return scan;
}

int cscan_string(const uint8_t *bytes, size_t count, int validate_utf8, size_t *end, int *escaped) {
    return scanner()(bytes, count, validate_utf8, end, escaped);
}

size_t cscan_string_body(const uint8_t *bytes, size_t count, int validate_utf8, int *invalid) {
    size_t index = find_sse2(bytes, count, 0, validate_utf8);
    while (index < count && bytes[index] >= 0x80) {
        if (!skip_utf8(bytes, count, &index)) { *invalid = 1; return index; }
        index = find_sse2(bytes, count, index, validate_utf8);
    }
    return index;
}
#else
DEFINE_STRING_SCAN(string_portable, , find_portable)

int cscan_string(const uint8_t *bytes, size_t count, int validate_utf8, size_t *end, int *escaped) {
    return string_portable(bytes, count, validate_utf8, end, escaped);
}

size_t cscan_string_body(const uint8_t *bytes, size_t count, int validate_utf8, int *invalid) {
    size_t index = find_portable(bytes, count, 0, validate_utf8);
    while (index < count && bytes[index] >= 0x80) {
        if (!skip_utf8(bytes, count, &index)) { *invalid = 1; return index; }
        index = find_portable(bytes, count, index, validate_utf8);
    }
    return index;
}
#endif
