import Glibc

/// Runs `transcript-fsck` with its output discarded and returns its exit status and peak resident memory in bytes, as
/// the kernel counted it for that one process (`wait4`'s `ru_maxrss`; `Process` cannot give it).
func fsckPeakResidentMemory(_ arguments: [String]) throws -> (status: Int32, bytes: Int) {
    let argv = ([CommandRunner.path(of: "transcript-fsck")] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    guard posix_spawn(&pid, argv[0]!, &actions, nil, argv, environ) == 0 else { throw POSIXErrorCode.ENOEXEC }
    var status: Int32 = 0
    var usage = rusage()
    guard wait4(pid, &status, 0, &usage) == pid else { throw POSIXErrorCode.ECHILD }
    return ((status >> 8) & 0xFF, usage.ru_maxrss * 1024)
}

extension POSIXErrorCode: @retroactive Error {}
