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
    /// The first `ChildProcess.keptBytes` of what it wrote to the streams that were `.kept`
    /// (empty when none was).
    public var kept = Data()
}

/// Where a child's standard output or error goes.
public enum CommandOutput: Sendable, Equatable {
    /// Into this file (created, or emptied), watched against the output limit.
    case file(URL)
    /// Into memory, through a pipe: the first `ChildProcess.keptBytes` are kept
    /// (`CommandRun.kept`), the rest counted against the output limit and dropped. For a
    /// command's messages, which matter only when it fails: no file to create for them. Both
    /// streams `.kept` share the one buffer.
    case kept

    /// The file, when it goes to one.
    public var url: URL? {
        if case .file(let url) = self { url } else { nil }
    }
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
/// files, the files bounded in size, or kept in memory up to `keptBytes` (read from a pipe only
/// when there is something in it, so a grandchild holding the pipe can never keep us waiting).
/// Memory stays flat whatever a command prints: a file's output is never read here, and what
/// passes the kept bytes is dropped.
public enum ChildProcess {
    /// How often a running child's output files are measured (and its pipe emptied), in seconds.
    static let sizeCheck = 0.01
    /// How much of a `.kept` stream is kept.
    public static let keptBytes = 64 << 10

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
    /// output and error where they are told to go (error with output when `standardError` is
    /// nil). The run is killed (with every process it started, on POSIX systems) when
    /// `timeLimit` seconds pass, when `stop` is pulled, or when standard output, standard error
    /// or one of `watching` (files the command writes itself) grows past `outputLimit` bytes;
    /// those files are then cut back to `outputLimit`. Returns when the command has ended.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           standardOutput: CommandOutput, standardError: CommandOutput?, watching: [URL] = [],
                           timeLimit: Double, outputLimit: Int64, stop: CommandStop? = nil) throws(CommandError) -> CommandRun {
        let watched = [standardOutput.url, standardError?.url].compactMap { $0 } + watching
        let started = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9 }
        func cutBack() {
            for url in watched where (FileSystem.info(orNilAt: url.path)?.size ?? 0) > outputLimit {
                FileSystem.truncate(url.path, to: outputLimit)
            }
        }

        let child = try Spawned(executable, arguments, environment: environment,
                                standardOutput: standardOutput, standardError: standardError)
        let kept = child.kept
        func overLimit() -> Bool {
            kept.drain() > outputLimit || watched.contains { (FileSystem.info(orNilAt: $0.path)?.size ?? 0) > outputLimit }
        }
        func ended(_ ending: CommandRun.Ending) -> CommandRun {
            CommandRun(ending: ending, seconds: elapsed(), kept: kept.finish())
        }
        while true {
            // Woken at once when the child exits; else every `sizeCheck` to look at its output.
            if let ending = child.wait(seconds: min(sizeCheck, max(0, timeLimit - elapsed()))) {
                // It may have printed past the bound just before it exited.
                guard overLimit() else { return ended(ending) }
                cutBack()
                return ended(.outputLimit)
            }
            let timedOut = elapsed() >= timeLimit
            let stopped = stop?.isPulled == true
            if timedOut || stopped || overLimit() {
                child.killAll()
                cutBack()
                return ended(timedOut ? .timedOut : stopped ? .stopped : .outputLimit)
            }
        }
    }
}

/// The `.kept` streams of one child: the read end of their pipe, the bytes kept and the bytes
/// counted. `@unchecked Sendable`: guarded by `lock` (on Windows a reading thread fills it).
final class KeptOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()
    private var count: Int64 = 0
    #if os(Windows)
    private let pipe: Pipe?
    private let done = DispatchSemaphore(value: 0)

    /// Keeps what is written to `pipe` (nil: nothing is kept), read by a thread of its own until
    /// the pipe ends (reg, tasklist and wevtutil start no processes that could hold it open).
    init(_ pipe: Pipe?) {
        self.pipe = pipe
        guard let pipe else { done.signal(); return }
        Thread { [self] in
            while true {
                let data = pipe.fileHandleForReading.availableData
                if data.isEmpty { break }
                take(data)
            }
            done.signal()
        }.start()
    }

    /// The bytes written so far.
    func drain() -> Int64 { lock.withLock { count } }

    /// What was kept, once the child has ended (its pipe read to the end).
    func finish() -> Data {
        guard pipe != nil else { return Data() }
        done.wait()
        done.signal()
        return lock.withLock { bytes }
    }
    #else
    private var descriptor: Int32

    /// Keeps what is written to the pipe whose read end is `descriptor` (-1: nothing is kept);
    /// it is read only when `drain` is called, never waited on.
    init(readEnd descriptor: Int32) { self.descriptor = descriptor }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Reads what is in the pipe now (without waiting for more) and returns the bytes written
    /// so far. At most 16 reads: a process writing without end is stopped by the output limit.
    func drain() -> Int64 {
        lock.withLock {
            guard descriptor >= 0 else { return count }
            var buffer = [UInt8](repeating: 0, count: 64 << 10)
            for _ in 0..<16 {
                let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { break }  // empty for now (EAGAIN), or no writer left
                takeLocked(buffer[..<got])
            }
            return count
        }
    }

    /// What was kept, once the child has ended: the pipe is read one last time and closed.
    func finish() -> Data {
        _ = drain()
        return lock.withLock {
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
            return bytes
        }
    }
    #endif

    private func take<Bytes: Collection<UInt8>>(_ data: Bytes) { lock.withLock { takeLocked(data) } }

    private func takeLocked<Bytes: Collection<UInt8>>(_ data: Bytes) {
        count += Int64(data.count)
        if bytes.count < ChildProcess.keptBytes { bytes.append(contentsOf: data.prefix(ChildProcess.keptBytes - bytes.count)) }
    }
}

#if os(Windows)
/// A started child (Foundation's `Process`: `TerminateProcess` ends it; reg, tasklist and
/// wevtutil start no children of their own).
private final class Spawned {
    private let process = Process()
    /// Its `.kept` streams.
    let kept: KeptOutput

    init(_ executable: String, _ arguments: [String], environment: [String: String],
         standardOutput: CommandOutput, standardError: CommandOutput?) throws(CommandError) {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let pipe = standardOutput == .kept || standardError == .kept ? Pipe() : nil
        func destination(_ output: CommandOutput) throws -> Any {
            guard let url = output.url else { return pipe as Any }
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw SystemError(code: 5, message: "cannot create \(url.path)")
            }
            return try FileHandle(forWritingTo: url)
        }
        do {
            process.standardInput = FileHandle.nullDevice
            let output = try destination(standardOutput)
            process.standardOutput = output
            process.standardError = try standardError.map(destination) ?? output
            try process.run()
        } catch {
            throw CommandError(code: .cannotStart, program: executable, message: "\(error)")
        }
        kept = KeptOutput(pipe)
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
    /// Its `.kept` streams.
    let kept: KeptOutput

    init(_ executable: String, _ arguments: [String], environment: [String: String],
         standardOutput: CommandOutput, standardError: CommandOutput?) throws(CommandError) {
        // A pipe for the `.kept` streams: its read end never blocks, its write end is the child's.
        var ends: [Int32] = [-1, -1]
        if standardOutput == .kept || standardError == .kept {
            // `pipe2` is not in Swift's Glibc module, so close-on-exec is set just after; a child
            // another thread starts in between gets no copy anyway (`closeFrom` below).
            guard pipe(&ends) == 0 else {
                throw CommandError(code: .cannotStart, program: executable, message: SystemError.last().message)
            }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
        }
        kept = KeptOutput(readEnd: ends[0])
        defer { if ends[1] >= 0 { close(ends[1]) } }  // the child has its own

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        func direct(_ output: CommandOutput, to descriptor: Int32) {
            if let url = output.url {
                posix_spawn_file_actions_addopen(&actions, descriptor, url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            } else {
                posix_spawn_file_actions_adddup2(&actions, ends[1], descriptor)
            }
        }
        direct(standardOutput, to: 1)
        if let standardError { direct(standardError, to: 2) } else { posix_spawn_file_actions_adddup2(&actions, 1, 2) }
        // Nothing else this process has open reaches the child: not the bundle being written, not
        // a file another thread is writing (a script executed later would fail "text file busy"),
        // not the pipe of another child (which would not end with that child).
        _ = closeFrom?(&actions, 3)
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
