// The one hot loop the scan spends most of its own time in, 16 or 32 bytes at a time: Swift's SIMD types became
// lane loops in this toolchain (5-7x slower), and its SWAR loop did 8. SSE2 is in every x86-64; AVX2 is taken when
// the CPU has it; any other architecture gets the portable loop.
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

static inline int is_stop(uint8_t byte, int validate_utf8) {
    return byte == '"' || byte == '\\' || byte < 0x20 || (validate_utf8 && byte >= 0x80);
}

// A run of non-ASCII at `*index`: checked sequence by sequence. Returns 0 when one is not well-formed.
static inline int skip_utf8(const uint8_t *bytes, size_t count, size_t *index) {
    while (*index < count && bytes[*index] >= 0x80) {
        size_t length = sequence_length(bytes + *index, count - *index);
        if (length == 0) return 0;
        *index += length;
    }
    return 1;
}

static size_t scan_portable(const uint8_t *bytes, size_t count, int validate_utf8, int *invalid) {
    size_t index = 0;
    while (index < count) {
        uint8_t byte = bytes[index];
        if (!is_stop(byte, validate_utf8)) { index++; continue; }
        if (byte < 0x80) return index;
        if (!skip_utf8(bytes, count, &index)) { *invalid = 1; return index; }
    }
    return count;
}

#if defined(__x86_64__)
static size_t scan_sse2(const uint8_t *bytes, size_t count, int validate_utf8, int *invalid) {
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1F);
    size_t index = 0;
    while (index + 16 <= count) {
        __m128i block = _mm_loadu_si128((const __m128i *)(bytes + index));
        __m128i stops = _mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash));
        stops = _mm_or_si128(stops, _mm_cmpeq_epi8(_mm_min_epu8(block, control), block));
        unsigned mask = (unsigned)_mm_movemask_epi8(stops);
        if (validate_utf8) mask |= (unsigned)_mm_movemask_epi8(block);
        if (mask == 0) { index += 16; continue; }
        index += (size_t)__builtin_ctz(mask);
        if (bytes[index] < 0x80) return index;
        if (!skip_utf8(bytes, count, &index)) { *invalid = 1; return index; }
    }
    return index + scan_portable(bytes + index, count - index, validate_utf8, invalid);
}

__attribute__((target("avx2")))
static size_t scan_avx2(const uint8_t *bytes, size_t count, int validate_utf8, int *invalid) {
    const __m256i quote = _mm256_set1_epi8('"'), backslash = _mm256_set1_epi8('\\'), control = _mm256_set1_epi8(0x1F);
    size_t index = 0;
    while (index + 32 <= count) {
        __m256i block = _mm256_loadu_si256((const __m256i *)(bytes + index));
        __m256i stops = _mm256_or_si256(_mm256_cmpeq_epi8(block, quote), _mm256_cmpeq_epi8(block, backslash));
        stops = _mm256_or_si256(stops, _mm256_cmpeq_epi8(_mm256_min_epu8(block, control), block));
        unsigned mask = (unsigned)_mm256_movemask_epi8(stops);
        if (validate_utf8) mask |= (unsigned)_mm256_movemask_epi8(block);
        if (mask == 0) { index += 32; continue; }
        index += (size_t)__builtin_ctz(mask);
        if (bytes[index] < 0x80) return index;
        if (!skip_utf8(bytes, count, &index)) { *invalid = 1; return index; }
    }
    return index + scan_sse2(bytes + index, count - index, validate_utf8, invalid);
}

typedef size_t (*scanner)(const uint8_t *, size_t, int, int *);
static scanner chosen;

size_t cscan_string_body(const uint8_t *bytes, size_t count, int validate_utf8, int *invalid) {
    // Threads that choose at once choose the same; atomic, so that no sanitizer calls it a race.
    scanner scan = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (scan == 0) {
        __builtin_cpu_init();
        scan = __builtin_cpu_supports("avx2") ? scan_avx2 : scan_sse2;
        __atomic_store_n(&chosen, scan, __ATOMIC_RELAXED);
    }
    return scan(bytes, count, validate_utf8, invalid);
}
#else
size_t cscan_string_body(const uint8_t *bytes, size_t count, int validate_utf8, int *invalid) {
    return scan_portable(bytes, count, validate_utf8, invalid);
}
#endif

static inline int is_hex(uint8_t byte) {
    return (byte >= '0' && byte <= '9') || (byte >= 'a' && byte <= 'f') || (byte >= 'A' && byte <= 'F');
}

int cscan_string(const uint8_t *bytes, size_t count, int validate_utf8, size_t *end, int *escaped) {
    size_t index = 0;
    int invalid = 0;
    *escaped = 0;
    for (;;) {
        index += cscan_string_body(bytes + index, count - index, validate_utf8, &invalid);
        if (invalid || index >= count) return 0;
        uint8_t byte = bytes[index];
        if (byte == '"') { *end = index; return 1; }
        if (byte != '\\' || index + 1 >= count) return 0;
        *escaped = 1;
        switch (bytes[index + 1]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
            index += 2;
            break;
        case 'u':
            if (count - index < 6 || !is_hex(bytes[index + 2]) || !is_hex(bytes[index + 3]) || !is_hex(bytes[index + 4])
                || !is_hex(bytes[index + 5])) return 0;
            index += 6;
            break;
        default:
            return 0;
        }
    }
}
