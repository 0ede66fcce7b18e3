#!/usr/bin/env python3
"""The tests that carry a Swift Testing tag, as one --filter expression for `swift test`.

Swift 6.3's `swift test --filter` matches test ids only (its Swift Testing has no `tag:` filter), so this asks the
built test binary for its tests and their tags (--list-tests, as an event stream), gives each test the tags of the
suites around it too, and prints an expression that matches the id of every test that carries TAG.

It fails, printing nothing on standard output, when a test carries no lane or more than one (unit, store, interop:
Tests/TranscriptFsckTests/Support/Tags.swift), or when no test carries TAG.

usage: tagged-tests.py TAG TEST_BINARY
"""
import json
import os
import re
import subprocess
import sys
import tempfile

LANES = {"unit", "store", "interop"}


def listed(binary):
    """Every test and suite the binary holds: {id: (kind, own tags)}."""
    with tempfile.TemporaryDirectory() as directory:
        stream = os.path.join(directory, "tests.jsonl")
        subprocess.run([binary, "--testing-library", "swift-testing", "--list-tests",
                        "--event-stream-output-path", stream, "--event-stream-version", "0"],
                       check=True, stdout=subprocess.DEVNULL)
        tests = {}
        with open(stream) as lines:
            for line in lines:
                record = json.loads(line)
                if record.get("kind") != "test":
                    continue
                test = record["payload"]
                # "tags" once the field is no longer experimental ("_tags" in 6.3); ".unit" names Tag.unit.
                tags = {tag.lstrip(".") for tag in test.get("tags", test.get("_tags", []))}
                tests[test["id"]] = (test["kind"], tags)
        return tests


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    wanted, binary = sys.argv[1], sys.argv[2]
    tests = listed(binary)
    suites = {id: tags for id, (kind, tags) in tests.items() if kind == "suite"}
    chosen, astray = [], []
    for id, (kind, tags) in sorted(tests.items()):
        if kind != "function":
            continue
        # A suite's id is the start of the ids of the tests and suites inside it, up to a "/".
        tags = tags.union(*(suite for suite_id, suite in suites.items() if id.startswith(suite_id + "/")))
        if len(tags & LANES) != 1:
            astray.append(f"{id}: {', '.join(sorted(tags & LANES)) or 'no lane'}")
        if wanted in tags:
            chosen.append(id)
    if astray:
        sys.exit("tests that need exactly one of the tags " + ", ".join(sorted(LANES)) + ":\n  " + "\n  ".join(astray))
    if not chosen:
        sys.exit(f"no test is tagged {wanted}")
    print("^(?:" + "|".join(re.sub(r"([\\.^$|?*+()\[\]{}])", r"\\\1", id) for id in chosen) + ")$")


main()
