import Testing
@testable import TranscriptFsck

/// The sentences a Codex thread's findings become: one line each, with the facts a person needs to act, and what
/// the released codex does with the damage.
@Suite(.tags(.unit)) struct CodexWordsTests {
    static let path = "/h/sessions/2026/12/03/rollout-2026-12-03T08-00-00-019a.jsonl"

    @Test func aDefectNamesTheFileTheLineAndTheByteAsATranscriptsDo() {
        let defect = RolloutDefect(path: Self.path, place: .line(4, byteOffset: 912), kind: .notJSON(column: 7, parserSays: "expected ':'"))
        #expect(defect.sentence == "\(Self.path): line 4 (byte 912): column 7: expected ':'")
        let cut = RolloutDefect(path: Self.path, place: .byte(40), kind: .unreadable(.readFailed(errno: 5)))
        #expect(cut.sentence == "\(Self.path): byte 40: read failed: Input/output error")
        #expect(CodexProblem.corruptRollout([defect, cut]).sentence
                == "\(Self.path): line 4 (byte 912): column 7: expected ':' (and 1 more defect)")
        #expect(RolloutDefect(path: "r.jsonl", place: .line(2, byteOffset: 80), kind: .ordinalOutOfStep(expected: 1, found: nil)).sentence
                == "r.jsonl: line 2 (byte 80): the line's ordinal is not an integer, where its place makes it 1")
    }

    @Test func whatTheIndexLacksSaysWhichListCodexLeavesItOutOf() {
        #expect(CodexProblem.noIndexRow(archived: false).sentence
                == "state_5.sqlite has no row for this thread, so codex's resume list and sidebar do not show it; reading it by id still works")
        #expect(CodexProblem.noIndexRow(archived: true).sentence.contains("archived list (its rollout is in archived_sessions/)"))
        #expect(CodexProblem.archiveFlagDisagrees(rowArchived: false, inArchivedSessions: true).sentence
                == "the index row says the thread is not archived, and its rollout is in archived_sessions/: codex lists it in neither list")
        #expect(CodexProblem.staleRow(rolloutPath: Self.path).sentence.hasPrefix("the index has a row for this thread, and its rollout \(Self.path) is gone"))
    }

    @Test func aProjectionBehindSaysHowFarItReadAndWhereTheRolloutEnds() {
        let projected = ProjectionExtent(byteOffset: 5_120, ordinal: 14, turns: 1, messages: 2)
        let rollout = ProjectionExtent(byteOffset: 9_876, ordinal: 27, turns: 2, messages: 4)
        #expect(CodexProblem.projectionBehind(projected: projected, rollout: rollout).sentence
                == "the projection holds 1 of the rollout's 2 turns (2 of 4 messages; its cursor is at byte 5120, line 14, "
                + "the rollout ends at byte 9876, line 27): codex shows the turns it holds and no more")
        #expect(CodexProblem.noProjection(rolloutTurns: 1).sentence.hasPrefix("a paginated thread whose rollout holds 1 turn has no projection"))
        #expect(CodexProblem.cursorOffLineBoundary(.init(byteOffset: 100, ordinal: 3)).sentence.contains("(byte 100, line 3)"))
    }

    @Test func everyCheckIsOneLine() {
        let turn = ProjectedTurn(turnID: "t1", ordinal: 5, byteOffset: 400, endOrdinal: 9, endByteOffset: 800, status: "completed")
        let extent = ProjectionExtent(byteOffset: 1, ordinal: 1, turns: 1, messages: 1)
        let all: [CodexProblem] = [
            .corruptRollout([]), .staleRow(rolloutPath: "p"), .duplicateRollouts(paths: ["a", "b"]), .duplicateRows(rolloutPaths: ["a", "b"]),
            .fileNameDisagrees(idInName: nil), .noIndexRow(archived: false), .pathDisagrees(rowPath: "a", rolloutPath: "b"),
            .archiveFlagDisagrees(rowArchived: true, inArchivedSessions: false), .noProjection(rolloutTurns: 2),
            .projectionBehind(projected: extent, rollout: extent), .projectionAhead(projected: extent, rollout: extent),
            .cursorOffLineBoundary(.init(byteOffset: 1, ordinal: 1)), .projectedTurnDisagrees(turn, rolloutTurn: nil),
            .projectedItemDisagrees(ProjectedItem(turnID: "t1", itemID: "i1", ordinal: 3, itemType: "userMessage")),
        ]
        #expect(Set(all.map(\.check)) == Set(CodexProblem.Check.allCases))
        for problem in all {
            #expect(!problem.sentence.isEmpty && !problem.sentence.contains("\n"), "\(problem.check)")
        }
        #expect(CodexHomeProblem.stateDatabaseMissing(rollouts: 3).sentence.hasPrefix("there is no state_5.sqlite: codex rebuilds its index from the 3 rollouts"))
    }
}
