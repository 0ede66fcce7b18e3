#ifndef CSCAN_H
#define CSCAN_H

#include <stddef.h>
#include <stdint.h>

/// The body of a JSON string from `bytes`: the offset of the first byte a scanner must look at, a quote, a backslash
/// or a control byte below 0x20, or `count` when there is none. With `validate_utf8`, bytes of 0x80 and above are
/// checked as UTF-8 on the way; the offset of the first that is not well-formed is returned with `*invalid` set to 1.
size_t cscan_string_body(const uint8_t *bytes, size_t count, int validate_utf8, int *invalid);

/// The body of a JSON string from `bytes` (just after its opening quote) to its closing quote: returns 1 with `*end`
/// the quote's offset and `*escaped` 1 when the string holds escapes; 0 when it is not well-formed (no closing quote, a
/// control byte, an escape JSON has not, or, with `validate_utf8`, a byte sequence that is not UTF-8), which the
/// caller reads again, slowly, to say where and why.
int cscan_string(const uint8_t *bytes, size_t count, int validate_utf8, size_t *end, int *escaped);

#endif
