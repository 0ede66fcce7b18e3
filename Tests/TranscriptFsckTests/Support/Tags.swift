import Testing

/// The lanes a test runs in. Every test has exactly one: on its suite, or, in a suite that mixes lanes, on the test
/// itself. `make test` runs them all; `make test-unit` the unit lane alone (Tests/tagged-tests.py picks it by tag).
extension Tag {
    /// Logic in this process, in seconds: no database, no child process, no agent. The transcript reader reads paths,
    /// so its tests give it small temporary files; large ones are `store`.
    @Tag static var unit: Self
    /// Real SQLite stores or large files on disk, or the built binaries run as processes (and Python checking what
    /// they wrote).
    @Tag static var store: Self
    /// The released Hermes agent's own code, from the venvs that Tests/Interop caches (`make test-deps`).
    @Tag static var interop: Self
}
