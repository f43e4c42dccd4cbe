import Foundation

// Spawns a Python parent with posix_spawn and reads wait4's ru_maxrss: Linux (and macOS) only.
#if !os(Windows)

/// A finished child process: its exit status, output and the resources it alone used.
struct MeasuredRun {
    /// The exit status, or 128 + the signal that ended it.
    let status: Int32
    /// Stdout and stderr, merged.
    let output: String
    /// The child's peak resident memory in bytes (`ru_maxrss` from `wait4`).
    let peakResidentBytes: Int
    /// Wall-clock time from spawn to exit.
    let elapsed: Duration
}

/// Runs a program and measures its peak memory with `wait4`.
///
/// Linux carries a process's memory high-water mark across `exec`, and `posix_spawn` shares
/// this process's memory until then: a child spawned directly would report *this* process's
/// peak as its own. So a small Python parent forks (a fresh, small address space), execs the
/// tool, and reports `wait4`'s `ru_maxrss` for that one child, as `/usr/bin/time` does.
/// Output goes to a file rather than a pipe, so a chatty child can never block on a full pipe.
func runMeasured(_ tool: String, _ arguments: [String]) throws -> MeasuredRun {
    let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("measured-\(UUID().uuidString).out")
    defer { try? FileManager.default.removeItem(at: outputURL) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, outputURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)

    let rssURL = outputURL.appendingPathExtension("rss")
    defer { try? FileManager.default.removeItem(at: rssURL) }
    let python = "/usr/bin/python3"
    let argv: [UnsafeMutablePointer<CChar>?] = ([python, "-c", measuringParent, rssURL.path, tool] + arguments)
        .map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { envp.forEach { free($0) } }

    let clock = ContinuousClock()
    let start = clock.now
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, python, &actions, nil, argv, envp)
    guard spawned == 0 else {
        throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: tool, NSLocalizedDescriptionKey: String(cString: strerror(spawned))])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        guard errno == EINTR else { throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: tool]) }
    }
    let elapsed = clock.now - start
    let exited = status & 0x7F == 0
    let code = exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    let output = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
    let kilobytes = (try? String(contentsOf: rssURL, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    return MeasuredRun(status: code, output: output, peakResidentBytes: (kilobytes ?? -1) * 1024, elapsed: elapsed)
}

/// Forks, execs `argv[2:]`, writes the child's `ru_maxrss` (KiB) to `argv[1]`, exits with its status.
private let measuringParent = """
    import os, sys
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(sys.argv[2], sys.argv[2:])
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    with open(sys.argv[1], "w") as f:
        f.write(str(usage.ru_maxrss))
    sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
    """
#endif
