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
        /// Killed because its `CommandStop` was pulled (the one who asked has gone).
        case stopped
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
    /// How often a running child's output files are measured, in seconds.
    static let sizeCheck = 0.01

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
    /// output and error into the given files (error with output when `standardError` is nil).
    /// The run is killed (with every process it started, on POSIX systems) when `timeLimit`
    /// seconds pass, when `stop` is pulled, or when standard output, standard error or one of
    /// `watching` (files the command writes itself) grows past `outputLimit` bytes; those files
    /// are then cut back to `outputLimit`. Returns when the command has ended.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           standardOutput: URL, standardError: URL?, watching: [URL] = [],
                           timeLimit: Double, outputLimit: Int64, stop: CommandStop? = nil) throws(CommandError) -> CommandRun {
        let watched = [standardOutput] + (standardError.map { [$0] } ?? []) + watching
        let started = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9 }
        func overLimit() -> Bool { watched.contains { (FileSystem.info(orNilAt: $0.path)?.size ?? 0) > outputLimit } }
        func cutBack() {
            for url in watched where (FileSystem.info(orNilAt: url.path)?.size ?? 0) > outputLimit {
                FileSystem.truncate(url.path, to: outputLimit)
            }
        }

        let child = try Spawned(executable, arguments, environment: environment,
                                standardOutput: standardOutput, standardError: standardError)
        while true {
            // Woken at once when the child exits; else every `sizeCheck` to look at its output.
            if let ending = child.wait(seconds: min(sizeCheck, max(0, timeLimit - elapsed()))) {
                // It may have printed past the bound just before it exited.
                guard overLimit() else { return CommandRun(ending: ending, seconds: elapsed()) }
                cutBack()
                return CommandRun(ending: .outputLimit, seconds: elapsed())
            }
            let timedOut = elapsed() >= timeLimit
            let stopped = stop?.isPulled == true
            if timedOut || stopped || overLimit() {
                child.killAll()
                cutBack()
                return CommandRun(ending: timedOut ? .timedOut : stopped ? .stopped : .outputLimit, seconds: elapsed())
            }
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
         standardOutput: URL, standardError: URL?) throws(CommandError) {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        do {
            for url in [standardOutput] + (standardError.map { [$0] } ?? []) {
                guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                    throw SystemError(code: 5, message: "cannot create \(url.path)")
                }
            }
            process.standardInput = FileHandle.nullDevice
            let output = try FileHandle(forWritingTo: standardOutput)
            process.standardOutput = output
            process.standardError = try standardError.map { try FileHandle(forWritingTo: $0) } ?? output
            try process.run()
        } catch {
            throw CommandError(code: .cannotStart, program: executable, message: "\(error)")
        }
        Running.shared.add(process.processIdentifier)
    }

    /// How it ended, once it has, waiting up to `seconds`; nil while it runs.
    func wait(seconds: Double) -> CommandRun.Ending? {
        let until = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < until { Thread.sleep(forTimeInterval: 0.002) }
        guard !process.isRunning else { return nil }
        Running.shared.remove(process.processIdentifier)
        return .exited(process.terminationStatus)
    }

    func killAll() {
        process.terminate()
        process.waitUntilExit()
        Running.shared.remove(process.processIdentifier)
    }
}
#else
/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later; Swift's Glibc module does
/// not import it), looked up once; nil where the C library has none.
private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
private let closeFrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
    .map { unsafeBitCast($0, to: AddCloseFrom.self) }

/// A child started with `posix_spawn` in a process group of its own, so that killing the group
/// ends the processes it started too. `@unchecked Sendable`: `exit` is guarded by its lock.
private final class Spawned: @unchecked Sendable {
    private let pid: pid_t
    private let exited = DispatchSemaphore(value: 0)
    private let exit = Locked<CommandRun.Ending?>(nil)

    init(_ executable: String, _ arguments: [String], environment: [String: String],
         standardOutput: URL, standardError: URL?) throws(CommandError) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // Nothing else this process has open reaches the child: not the bundle being written, and
        // not a file another thread is writing (a script executed later would fail "text file busy").
        _ = closeFrom?(&actions, 3)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let standardError {
            posix_spawn_file_actions_addopen(&actions, 2, standardError.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
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
        var result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        // "Text file busy" passes: another thread's child may still hold the executable open for
        // writing between its fork and its exec (a script written just before). Try again, briefly.
        var attempts = 0
        while result == ETXTBSY && attempts < 100 {
            attempts += 1
            usleep(20_000)
            result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        }
        guard result == 0 else {
            throw CommandError(code: .cannotStart, program: executable, message: SystemError.text(result))
        }
        self.pid = pid
        Running.shared.add(pid)
        // A thread blocked in waitpid learns of the exit at once (no polling delay) and reaps it.
        let child = pid
        Thread { [self] in
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            Running.shared.remove(child)
            let signal = status & 0x7F
            exit.withLock { $0 = signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal) }
            exited.signal()
        }.start()
    }

    /// How it ended, once it has (reaped), waiting up to `seconds`; nil while it runs.
    func wait(seconds: Double) -> CommandRun.Ending? {
        guard exited.wait(timeout: .now() + seconds) == .success else { return nil }
        exited.signal()  // later calls return at once
        return exit.withLock { $0 }
    }

    /// Kills its process group and waits until it is reaped.
    func killAll() {
        kill(-pid, SIGKILL)
        exited.wait()
        exited.signal()
    }
}

/// A value behind a lock.
private final class Locked<Value>: @unchecked Sendable {
    // `@unchecked Sendable`: `value` is only touched inside `lock`.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
#endif

/// Stops the commands run with it (killed within 10 ms, with what they started): for a
/// caller that is done with them before they are done. `@unchecked Sendable`: guarded by `lock`.
public final class CommandStop: @unchecked Sendable {
    private let lock = NSLock()
    private var pulled = false

    /// A stop not pulled yet.
    public init() {}

    /// Stops every command run with this stop, now and from now on.
    public func pull() { lock.withLock { pulled = true } }

    /// True once pulled.
    public var isPulled: Bool { lock.withLock { pulled } }
}

/// The process groups (on Windows, the processes) started and not yet ended, killed by
/// `ChildProcess.killRunning()` when this process is interrupted (so that a hung command does
/// not outlive it).
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
        #if os(Windows)
        // reg, tasklist and wevtutil start no processes of their own: ending each is enough.
        for pid in Running.shared.all() {
            guard let process = OpenProcess(DWORD(PROCESS_TERMINATE), false, DWORD(bitPattern: pid)) else { continue }
            _ = TerminateProcess(process, 1)
            _ = CloseHandle(process)
        }
        #else
        for pid in Running.shared.all() { kill(-pid, SIGKILL) }
        #endif
    }
}
