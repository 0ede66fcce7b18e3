// libFuzzer entry point over the transcript reader (`make fuzz`). Compiled together with the
// library's sources by swiftc -sanitize=fuzzer,address, outside the package, because libFuzzer
// brings its own main.
#if canImport(Glibc)
import Glibc
#endif

/// The first byte picks the path: plain file, gzip file, or the line parser and fingerprinter in memory.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTranscriptReader(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let body = UnsafeRawBufferPointer(start: data + 1, count: count - 1)
    switch data[0] % 3 {
    case 0: FuzzHarness.readFile(body, name: "fuzz.jsonl")
    case 1: FuzzHarness.readFile(body, name: "fuzz.jsonl.gz")
    default: FuzzHarness.parseLine(body)
    }
    return 0
}
