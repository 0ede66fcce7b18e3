/// Hears how far a scan has got, file by file: the comparison calls it, a report (a progress line on a terminal)
/// implements it, so that the comparison does not depend on how progress is shown.
public protocol ScanObserver: Sendable {
    func start(files: Int)
    func transcriptDone(uncompressedBytes: Int)
    func finish()
}
