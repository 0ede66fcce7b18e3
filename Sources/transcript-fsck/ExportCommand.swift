import ArgumentParser
import TranscriptFsck

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a session's database rows as a transcript, in the agent's JSONL format.",
        discussion: """
        For archiving a session that lives only in the database. Rows are written in the order the agent \
        reads them (row id); scanning the export against the database gives ok. With --output the \
        file appears whole or not at all.

        A Codex CLI home needs no export: a thread's rollout is its JSONL transcript already, and export names it \
        (exit status 2, nothing written).

        Exit status: 0 the session was written; 2 it could not be (no such session or no rows, no database, \
        bad arguments, the output could not be written).
        """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("session"), help: ArgumentHelp("The session to export.", valueName: "id"))
    var session: String

    @Option(name: .long, help: "jsonl or jsonl.gz.")
    var format: TranscriptExporter.Format = .jsonl

    @Option(name: .long, help: ArgumentHelp("Write to this file (default: standard output).", valueName: "file"), completion: .file())
    var output: String?

    func run() throws {
        if let home = try store.codexHome() {
            // Nothing to write: a Codex thread's rollout is its transcript; the audit finds which file that is.
            let rollout = try CodexScanReport.scan(home).rolloutPath(ofThread: session)
            throw FsckError.codexExport(threadID: session, rolloutPath: rollout, home: home.path)
        }
        let count = try TranscriptExporter.export(database: try store.singleStore().database, sessionID: SessionID(session),
                                                  format: format, to: output)
        if let output { StandardError.write("transcript-fsck export: \(count) messages of \(session) written to \(output)\n") }
    }
}

extension TranscriptExporter.Format: ExpressibleByArgument {}
