import Foundation
#if os(Windows)
import WinSDK
#endif

/// How a command run by `ChildProcess.run` ended.
public struct CommandRun: Sendable, Equatable {
    /// The ways a run ends.
    public enum Ending: Sendable, Equatable {
        /// It exited by itself with this status.
        case exited(Int32)
        /// A signal ended it (not ours).
        case signalled(Int32)
        /// Killed at its time limit.
        case timedOut
        /// Killed when an output file passed its bound; the file is cut back to the bound.
        case outputLimit
    }

    /// How it ended.
    public let ending: Ending
    /// How long it ran, in seconds.
    public let seconds: Double
}

/// A command that could not be run at all.
public struct CommandError: Error, CustomStringConvertible, Sendable {
    /// Why.
    public enum Code: Sendable, Equatable {
        /// No program of that name on `PATH`.
        case notFound
        /// The system refused to start it.
        case cannotStart
    }

    public let code: Code
    /// The program's name or path.
    public let program: String
    /// The system's words, for `cannotStart`.
    public let message: String

    public var description: String {
        switch code {
        case .notFound: "\(program) was not found on PATH"
        case .cannotStart: "\(program) could not be started: \(message)"
        }
    }
}

/// Child processes: found on `PATH` by name, run under a time limit with their output going to
/// files (never a pipe, so a grandchild holding it can never keep us waiting), the files bounded
/// in size. Memory stays flat whatever a command prints: its output is never read here.
public enum ChildProcess {
    /// How often a running child is looked at, at most (it starts at 1 ms and doubles).
    static let longestPoll = 0.02

    /// The full path of the program `name` on the `PATH` of `environment` (with `PATHEXT`'s
    /// extensions on Windows); nil when there is none.
    public static func find(_ name: String, environment: [String: String]) -> String? {
        func variable(_ key: String) -> String? {
            environment[key] ?? environment.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.value
        }
        #if os(Windows)
        let separator: Character = ";"
        let extensions = (variable("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD").split(separator: ";").map(String.init)
        let names = name.contains(".") ? [name] : extensions.map { name + $0.lowercased() }
        #else
        let separator: Character = ":"
        let names = [name]
        #endif
        for folder in (variable("PATH") ?? "").split(separator: separator, omittingEmptySubsequences: true) {
            for candidate in names {
                let path = URL(fileURLWithPath: String(folder)).appendingPathComponent(candidate).path
                if FileSystem.info(orNilAt: path)?.kind == .regular && FileManager.default.isExecutableFile(atPath: path) {
                    return path
                }
            }
        }
        return nil
    }

    /// Runs `executable` with `arguments` and `environment`, standard input empty, standard
    /// output and error into the given files. The run is killed (with every process it started,
    /// on POSIX systems) when `timeLimit` seconds pass or when standard output, standard error or
    /// one of `watching` (files the command writes itself) grows past `outputLimit` bytes; those
    /// files are then cut back to `outputLimit`. Returns when the command has ended.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           standardOutput: URL, standardError: URL, watching: [URL] = [],
                           timeLimit: Double, outputLimit: Int64) throws(CommandError) -> CommandRun {
        let watched = [standardOutput, standardError] + watching
        let started = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9 }
        func overLimit() -> Bool { watched.contains { (FileSystem.info(orNilAt: $0.path)?.size ?? 0) > outputLimit } }
        func cutBack() { for url in watched where (FileSystem.info(orNilAt: url.path)?.size ?? 0) > outputLimit { FileSystem.truncate(url.path, to: outputLimit) } }

        let child = try Spawned(executable, arguments, environment: environment,
                                standardOutput: standardOutput, standardError: standardError)
        var poll = 0.001
        while true {
            if let ending = child.ended() {
                // It may have printed past the bound just before it exited.
                guard overLimit() else { return CommandRun(ending: ending, seconds: elapsed()) }
                cutBack()
                return CommandRun(ending: .outputLimit, seconds: elapsed())
            }
            let timedOut = elapsed() >= timeLimit
            if timedOut || overLimit() {
                child.killAll()
                cutBack()
                return CommandRun(ending: timedOut ? .timedOut : .outputLimit, seconds: elapsed())
            }
            Thread.sleep(forTimeInterval: min(poll, max(0.0005, timeLimit - elapsed())))
            poll = min(poll * 2, longestPoll)
        }
    }
}

extension FileSystem {
    /// The status of `path`, or nil.
    static func info(orNilAt path: String) -> Info? { try? info(path) }
}

#if os(Windows)
/// A started child (Foundation's `Process`: `TerminateProcess` ends it; reg, tasklist and
/// wevtutil start no children of their own).
private final class Spawned {
    private let process = Process()

    init(_ executable: String, _ arguments: [String], environment: [String: String],
         standardOutput: URL, standardError: URL) throws(CommandError) {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        do {
            for url in [standardOutput, standardError] {
                guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                    throw SystemError(code: 5, message: "cannot create \(url.path)")
                }
            }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = try FileHandle(forWritingTo: standardOutput)
            process.standardError = try FileHandle(forWritingTo: standardError)
            try process.run()
        } catch {
            throw CommandError(code: .cannotStart, program: executable, message: "\(error)")
        }
    }

    func ended() -> CommandRun.Ending? {
        process.isRunning ? nil : .exited(process.terminationStatus)
    }

    func killAll() {
        process.terminate()
        process.waitUntilExit()
    }
}
#else
/// A child started with `posix_spawn` in a process group of its own, so that killing the group
/// ends the processes it started too.
private final class Spawned {
    private let pid: pid_t
    private var status: Int32 = 0

    init(_ executable: String, _ arguments: [String], environment: [String: String],
         standardOutput: URL, standardError: URL) throws(CommandError) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, standardError.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        // Signals this process ignores (an interrupt watch) would stay ignored in the child.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw CommandError(code: .cannotStart, program: executable, message: SystemError.text(result))
        }
        self.pid = pid
        Running.shared.add(pid)
    }

    /// How it ended, once it has (it is then reaped); nil while it runs.
    func ended() -> CommandRun.Ending? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        Running.shared.remove(pid)
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }

    /// Kills its process group and reaps it.
    func killAll() {
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        Running.shared.remove(pid)
    }
}
#endif

/// The process groups started and not yet ended, killed by `ChildProcess.killRunning()` when
/// this process is interrupted (so that a hung command does not outlive it).
final class Running: @unchecked Sendable {
    // `@unchecked Sendable`: `groups` is guarded by `lock`.
    static let shared = Running()
    private let lock = NSLock()
    private var groups: Set<Int32> = []

    func add(_ pid: Int32) { lock.withLock { _ = groups.insert(pid) } }
    func remove(_ pid: Int32) { lock.withLock { _ = groups.remove(pid) } }
    func all() -> [Int32] { lock.withLock { Array(groups) } }
}

extension ChildProcess {
    /// Kills every command still running (on an interrupt, before exiting).
    public static func killRunning() {
        #if !os(Windows)
        for pid in Running.shared.all() { kill(-pid, SIGKILL) }
        #endif
    }
}
