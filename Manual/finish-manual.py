#!/usr/bin/env python3
"""Finishes the man pages swift-argument-parser's GenerateManual wrote, which `mandoc -T lint` must pass clean.

    finish-manual.py SECTIONS GENERATED_DIR OUTPUT_DIR

The plugin's EXIT STATUS is always `.Ex -std` ("0 on success, >0 if an error occurs"), and it has no way to add
sections. So, for each page `GENERATED_DIR/transcript-fsck*.1`:
- the "Exit status: 0 ...; 1 ...; 2 ..." paragraph of the command's discussion leaves DESCRIPTION and becomes the
  EXIT STATUS section, a list of its statuses: --help and the man page then say the same from one text;
- the blocks of SECTIONS (ENVIRONMENT, FILES, EXAMPLES, ...) whose `.\\" pages:` line names the page are added;
- sections are put in mdoc's conventional order, and the text is laid out as mdoc wants it: one sentence a line,
  lines of at most 80 bytes, `.Pp` for a blank line, no `.Pp` before `.It`, no full stop ending `.Nd`.
The output depends on its input alone, so the pages are the same on every build of one source.
"""
import pathlib
import re
import sys

# mdoc(7), "MANUAL STRUCTURE": the order mandoc -T lint checks.
SECTION_ORDER = ["NAME", "LIBRARY", "SYNOPSIS", "DESCRIPTION", "CONTEXT", "IMPLEMENTATION NOTES", "RETURN VALUES",
                 "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "DIAGNOSTICS", "COMPATIBILITY", "ERRORS",
                 "SEE ALSO", "STANDARDS", "HISTORY", "AUTHORS", "CAVEATS", "BUGS", "SECURITY CONSIDERATIONS"]
MAX_LINE = 80
# Where mandoc sees a sentence end: a word ending in . ! or ?, perhaps closed by ) ] " or ', then a space.
SENTENCE_END = re.compile(r'(?<=[.!?])(?<!\.\.\.)([)\]"\']*) +')
EXIT_STATUS = re.compile(r'^Exit status: (0 .*)$')
STATUS_ITEM = re.compile(r'(?:^|; )([0-9]{1,3}) ')


def fail(message):
    sys.exit(f"finish-manual.py: {message}")


def read_blocks(path):
    """The SECTIONS file as (pages, section title, lines) blocks."""
    blocks, current = [], None
    for line in path.read_text().splitlines():
        marker = re.match(r'^\.\\" pages: (.+)$', line)
        if marker:
            current = (marker.group(1).split(), [])
            blocks.append(current)
        elif current is not None:
            current[1].append(line)
        elif not line.startswith('.\\"'):
            fail(f"{path}: text before the first '.\\\" pages:' line: {line}")
    result = []
    for pages, lines in blocks:
        while lines and (not lines[-1].strip() or lines[-1].startswith('.\\"')):
            lines.pop()
        if not lines or not lines[0].startswith(".Sh "):
            fail(f"{path}: the block for {' '.join(pages)} does not start with .Sh")
        result.append((pages, title(lines[0]), lines[1:]))
    return result


def title(sh_line):
    return sh_line[len(".Sh "):].strip().strip('"')


def split_sections(lines):
    """The page's prologue (before the first .Sh), then each section as [title, body lines]."""
    prologue, sections = [], []
    for line in lines:
        if line.startswith(".Sh "):
            sections.append([title(line), []])
        elif sections:
            sections[-1][1].append(line)
        else:
            prologue.append(line)
    return prologue, sections


def exit_status_from_description(page, sections):
    """Takes the "Exit status:" paragraph out of DESCRIPTION and returns it as the EXIT STATUS section's lines."""
    description = next((body for name, body in sections if name == "DESCRIPTION"), None)
    if description is None:
        return None
    for index, line in enumerate(description):
        found = EXIT_STATUS.match(line)
        if not found:
            continue
        del description[index]
        if index > 0 and not description[index - 1].strip():
            del description[index - 1]  # the blank line that set the paragraph apart
        text = found.group(1).rstrip(".")
        starts = list(STATUS_ITEM.finditer(text))
        items = [(match.group(1), text[match.end():starts[number + 1].start() if number + 1 < len(starts) else len(text)])
                 for number, match in enumerate(starts)]
        if [status for status, _ in items] != sorted((status for status, _ in items), key=int) or len(items) < 2:
            fail(f"{page}: cannot read the statuses of: Exit status: {found.group(1)}")
        body = [".Bl -tag -width Ds"]
        for status, meaning in items:
            body += [f".It {status}", meaning[0].upper() + meaning[1:] + "."]
        return body + [".El"]
    return None


def text_lines(line):
    """One input text line as mdoc wants it: a sentence a line, each line at most MAX_LINE bytes."""
    out = []
    for sentence in split_sentences(line):
        current = ""
        for word in sentence.split(" "):
            if not word:
                continue
            candidate = f"{current} {word}" if current else word
            if current and len(candidate.encode()) > MAX_LINE:
                out.append(current)
                current = word
            else:
                current = candidate
        if current:
            out.append(current)
    # A text line that begins with . or ' would be read as a macro.
    return [("\\&" + text) if text[0] in ".'" else text for text in out]


def split_sentences(line):
    sentences, start = [], 0
    for match in SENTENCE_END.finditer(line):
        sentences.append(line[start:match.start() + len(match.group(1))])
        start = match.end()
    sentences.append(line[start:])
    return [sentence.strip() for sentence in sentences if sentence.strip()]


def laid_out(lines):
    result = []
    in_literal = False
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.startswith(".Bd"):
            in_literal = True
        elif line.startswith(".Ed"):
            in_literal = False
        if in_literal or line.startswith(".Ed"):
            result.append(line)
        elif not line.strip():
            if result and result[-1] != ".Pp" and not following.startswith((".It", ".El", ".Sh")):
                result.append(".Pp")
        elif line == ".Pp" and (following.startswith((".It", ".El")) or (result and result[-1] == ".Pp")):
            continue
        elif line.startswith(".Nd "):
            result.append(re.sub(r'\.(")?$', r'\1', line))
        elif line.startswith("."):
            result.append(line)
        else:
            result.extend(text_lines(line))
    return result


def finish(page_path, blocks):
    page = page_path.name[:-len(".1")]
    prologue, sections = split_sections(page_path.read_text().splitlines())
    exit_status = exit_status_from_description(page, sections)
    added = [(name, body) for pages, name, body in blocks if page in pages]
    if exit_status is None:
        exit_status = next((body for name, body in added if name == "EXIT STATUS"), None)
        if exit_status is None:
            fail(f"{page_path}: no 'Exit status:' paragraph in the command's discussion, and none in the sections file")
    sections = [[name, body] for name, body in sections if name != "EXIT STATUS"]
    sections.append(["EXIT STATUS", exit_status])
    sections += [[name, body] for name, body in added if name != "EXIT STATUS"]
    for name, _ in sections:
        if name not in SECTION_ORDER:
            fail(f"{page_path}: section {name} is not one mdoc knows")
    names = [name for name, _ in sections]
    if len(set(names)) != len(names):
        fail(f"{page_path}: a section twice: {names}")
    sections.sort(key=lambda section: SECTION_ORDER.index(section[0]))
    lines = prologue[:]
    for name, body in sections:
        lines.append(f'.Sh "{name}"' if " " in name else f".Sh {name}")
        lines += body
    return "\n".join(laid_out(lines)) + "\n"


def main():
    if len(sys.argv) != 4:
        fail("usage: finish-manual.py SECTIONS GENERATED_DIR OUTPUT_DIR")
    sections, generated, output = (pathlib.Path(argument) for argument in sys.argv[1:])
    blocks = read_blocks(sections)
    pages = sorted(generated.glob("transcript-fsck*.1"))
    if not pages:
        fail(f"{generated}: no transcript-fsck*.1 pages")
    known = {page.name[:-len(".1")] for page in pages}
    for names, name, _ in blocks:
        for unknown in set(names) - known:
            fail(f"{sections}: the {name} block names {unknown}, which has no generated page")
    output.mkdir(parents=True, exist_ok=True)
    for stale in output.glob("*.1"):
        stale.unlink()
    for page in pages:
        (output / page.name).write_text(finish(page, blocks))


main()
