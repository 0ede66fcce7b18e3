import Foundation
import StoreFixtures
import Testing
@testable import TranscriptFsck

/// Every input the fuzzer was seeded with or ever crashed on goes through the reader on every test run.
@Suite(.tags(.unit)) struct FuzzRegressionTests {
    static let fuzzDirectory = URL(fileURLWithPath: FixtureSchema.fixturesDirectory).deletingLastPathComponent().appendingPathComponent("Fuzz").path

    static var inputs: [String] {
        ["corpus", "regressions"].flatMap { folder -> [String] in
            let directory = fuzzDirectory + "/" + folder
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.filter { $0 != "README.md" }.sorted().map { directory + "/" + $0 }
        }
    }

    @Test func corpusIsThere() {
        #expect(Self.inputs.count >= 9)
    }

    @Test(arguments: inputs)
    func inputIsReadWithoutCrashing(path: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        guard let mode = bytes.first else { return }
        Array(bytes.dropFirst()).withUnsafeBytes { body in
            switch mode % 3 {
            case 0, 1:
                let scan = FuzzHarness.readFile(body, name: mode % 3 == 0 ? "fuzz.jsonl" : "fuzz.jsonl.gz")
                if path.hasSuffix("-messages") || path.hasSuffix("-two-members") {
                    #expect(scan.error == nil)
                    #expect(scan.messageCount == 3)
                }
            default:
                FuzzHarness.parseLine(body)
            }
        }
    }
}
