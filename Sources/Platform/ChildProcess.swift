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
        /// A signal ended it (not ours); on Windows, an exception (a crash), by its code
        /// (0xC0000005 and the like, negative as an Int32).
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
        for entry in (variable("PATH") ?? "").split(separator: separator, omittingEmptySubsequences: true) {
            // Windows allows an entry in quotes ("C:\Program Files\Tools"); the quotes are not the name.
            let folder = entry.count > 1 && entry.first == "\"" && entry.last == "\"" ? entry.dropFirst().dropLast() : entry
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
        let command = Command(executable, arguments, standardOutput: standardOutput, standardError: standardError, watching: watching)
        return try run([command], environment: environment, concurrency: 1, timeLimit: timeLimit,
                       outputLimit: outputLimit, stop: stop)[0].get()
    }

    /// One command of a batch (see `run(_:environment:concurrency:timeLimit:outputLimit:stop:)`).
    public struct Command: Sendable {
        public var executable: String
        public var arguments: [String]
        public var standardOutput: CommandOutput
        public var standardError: CommandOutput?
        /// Files the command writes itself, bounded like its output.
        public var watching: [URL]

        public init(_ executable: String, _ arguments: [String], standardOutput: CommandOutput,
                    standardError: CommandOutput?, watching: [URL] = []) {
            self.executable = executable
            self.arguments = arguments
            self.standardOutput = standardOutput
            self.standardError = standardError
            self.watching = watching
        }

        /// Its output files: standard output and error when they go to files, and `watching`.
        var watched: [URL] { [standardOutput.url, standardError?.url].compactMap { $0 } + watching }
    }

    /// Runs `commands`, at most `concurrency` at once, all within one `timeLimit` (from now), each
    /// as the single-command `run` runs it; returns how each went, in order. A command not
    /// started when the time limit passed (or `stop` was pulled) is not started at all: it ends
    /// `.timedOut` (`.stopped`) after 0 seconds.
    ///
    /// One thread (the caller's) watches them all: it sleeps until one of them exits (a pidfd
    /// per child, where the system has them), or until it is time to measure their output.
    public static func run(_ commands: [Command], environment: [String: String], concurrency: Int,
                           timeLimit: Double, outputLimit: Int64, stop: CommandStop? = nil) -> [Result<CommandRun, CommandError>] {
        let begun = DispatchTime.now()
        func seconds(since start: DispatchTime) -> Double {
            Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        }
        let prepared = Spawned.Environment(environment)
        var results = [Result<CommandRun, CommandError>?](repeating: nil, count: commands.count)
        var running: [(index: Int, child: Spawned, started: DispatchTime)] = []
        var next = 0
        var measured = DispatchTime.now()

        func overLimit(_ index: Int, _ child: Spawned) -> Bool {
            child.kept.drain() > outputLimit
                || commands[index].watched.contains { (FileSystem.info(orNilAt: $0.path)?.size ?? 0) > outputLimit }
        }
        func cutBack(_ index: Int) {
            for url in commands[index].watched where (FileSystem.info(orNilAt: url.path)?.size ?? 0) > outputLimit {
                FileSystem.truncate(url.path, to: outputLimit)
            }
        }
        func end(_ item: (index: Int, child: Spawned, started: DispatchTime), _ ending: CommandRun.Ending) {
            results[item.index] = .success(CommandRun(ending: ending, seconds: seconds(since: item.started), kept: item.child.kept.finish()))
        }

        while true {
            let timedOut = seconds(since: begun) >= timeLimit
            let stopped = stop?.isPulled == true
            if timedOut || stopped {
                let ending: CommandRun.Ending = timedOut ? .timedOut : .stopped
                for item in running {
                    item.child.killAll()
                    cutBack(item.index)
                    end(item, ending)
                }
                for index in next..<commands.count { results[index] = .success(CommandRun(ending: ending, seconds: 0)) }
                break
            }
            while running.count < max(1, concurrency) && next < commands.count {
                let command = commands[next]
                do {
                    let child = try Spawned(command.executable, command.arguments, environment: prepared,
                                            standardOutput: command.standardOutput, standardError: command.standardError)
                    running.append((next, child, DispatchTime.now()))
                } catch {
                    results[next] = .failure(error)
                }
                next += 1
            }
            if running.isEmpty { break }
            // Woken at once when one exits; else every `sizeCheck` to look at their output.
            Spawned.waitForAny(running.map(\.child), seconds: min(sizeCheck, max(0, timeLimit - seconds(since: begun))))
            let measure = seconds(since: measured) >= sizeCheck
            if measure { measured = DispatchTime.now() }
            running.removeAll { item in
                if let ending = item.child.reap() {
                    // It may have printed past the bound just before it exited.
                    if overLimit(item.index, item.child) {
                        cutBack(item.index)
                        end(item, .outputLimit)
                    } else {
                        end(item, ending)
                    }
                    return true
                }
                guard measure, overLimit(item.index, item.child) else { return false }
                item.child.killAll()
                cutBack(item.index)
                end(item, .outputLimit)
                return true
            }
        }
        return results.map { $0! }
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
    /// Waits at most 2 s for the pipe's end: a process the child started and left running could
    /// hold it open for ever; what came by then is what is kept.
    func finish() -> Data {
        guard pipe != nil else { return Data() }
        if done.wait(timeout: .now() + 2) == .success { done.signal() }
        return lock.withLock { bytes }
    }
    #else
    private var descriptor: Int32
    /// What each read goes into (not allocated when nothing is kept).
    private let buffer: UnsafeMutableRawBufferPointer?

    /// Keeps what is written to the pipe whose read end is `descriptor` (-1: nothing is kept);
    /// it is read only when `drain` is called, never waited on.
    init(readEnd descriptor: Int32) {
        self.descriptor = descriptor
        buffer = descriptor >= 0 ? .allocate(byteCount: 64 << 10, alignment: 1) : nil
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        buffer?.deallocate()
    }

    /// Reads what is in the pipe now (without waiting for more) and returns the bytes written
    /// so far. At most 16 reads: a process writing without end is stopped by the output limit.
    func drain() -> Int64 {
        lock.withLock {
            guard descriptor >= 0, let buffer else { return count }
            for _ in 0..<16 {
                let got = read(descriptor, buffer.baseAddress, buffer.count)
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

    /// The environment children get.
    struct Environment {
        let variables: [String: String]
        init(_ variables: [String: String]) { self.variables = variables }
    }

    init(_ executable: String, _ arguments: [String], environment: Environment,
         standardOutput: CommandOutput, standardError: CommandOutput?) throws(CommandError) {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment.variables
        // One child starts at a time, and this process's copies of the handles it was given
        // are closed before the next starts: every child Windows creates inherits every
        // inheritable handle there is, and a pipe's write end caught by another child would
        // keep that pipe open until the other child ends.
        Self.starting.lock()
        defer { Self.starting.unlock() }
        let pipe = standardOutput == .kept || standardError == .kept ? Pipe() : nil
        var files: [FileHandle] = []
        // Closed whether the child started or not (it has its own copies by then).
        defer {
            for file in files { try? file.close() }
            try? pipe?.fileHandleForWriting.close()
        }
        func destination(_ output: CommandOutput) throws -> Any {
            guard let url = output.url else { return pipe! }  // .kept: there is a pipe
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw SystemError(code: 5, message: "cannot create \(url.path)")
            }
            let file = try FileHandle(forWritingTo: url)
            files.append(file)
            return file
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

    /// Held while a child is started (see `init`).
    private static let starting = NSLock()

    /// Sleeps until one of `children` has ended, or `seconds` have passed.
    static func waitForAny(_ children: [Spawned], seconds: Double) {
        let until = Date().addingTimeInterval(seconds)
        while children.allSatisfy(\.process.isRunning) && Date() < until { Thread.sleep(forTimeInterval: 0.002) }
    }

    /// How it ended, once it has; nil while it runs.
    func reap() -> CommandRun.Ending? {
        guard !process.isRunning else { return nil }
        Running.shared.remove(process.processIdentifier)
        // A crash ends a Windows process with its exception code (0xC0000005 and the like,
        // negative as an Int32): a signal's place, not an exit status.
        let status = process.terminationStatus
        return status < 0 ? .signalled(status) : .exited(status)
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

/// glibc's `pidfd_open` (2.36 and later), looked up once; nil where the C library has none.
private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
private let pidfdOpen: PidfdOpen? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pidfd_open")
    .map { unsafeBitCast($0, to: PidfdOpen.self) }

/// A child started with `posix_spawn` in a process group of its own, so that killing the group
/// ends the processes it started too. Watched by the thread that started it: a pidfd (readable
/// once the child has exited) lets that thread sleep in `poll` until one of its children ends;
/// where the system has none, it looks every millisecond instead.
private final class Spawned {
    private let pid: pid_t
    /// Readable once the child has exited; -1 where the system has no pidfds.
    private let exitDescriptor: Int32
    /// Its `.kept` streams.
    let kept: KeptOutput

    /// The environment children get, as `posix_spawn` takes it (made once for a batch).
    final class Environment {
        let pointers: [UnsafeMutablePointer<CChar>?]
        init(_ variables: [String: String]) { pointers = variables.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        deinit { pointers.forEach { free($0) } }
    }

    init(_ executable: String, _ arguments: [String], environment: Environment,
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
        var pid: pid_t = 0
        var result = posix_spawn(&pid, executable, &actions, &attributes, argv, environment.pointers)
        // "Text file busy" passes: another thread's child may still hold the executable open for
        // writing between its fork and its exec (a script written just before). Try again, briefly.
        var attempts = 0
        while result == ETXTBSY && attempts < 100 {
            attempts += 1
            usleep(20_000)
            result = posix_spawn(&pid, executable, &actions, &attributes, argv, environment.pointers)
        }
        guard result == 0 else {
            throw CommandError(code: .cannotStart, program: executable, message: SystemError.text(result))
        }
        self.pid = pid
        Running.shared.add(pid)
        // Not reaped yet, so the pid is still this child's.
        let descriptor = pidfdOpen?(pid, 0) ?? -1
        if descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        exitDescriptor = descriptor
    }

    deinit { if exitDescriptor >= 0 { close(exitDescriptor) } }

    /// Sleeps until one of `children` has exited, or `seconds` have passed (at most a
    /// millisecond for children without a pidfd).
    static func waitForAny(_ children: [Spawned], seconds: Double) {
        var descriptors = children.map { pollfd(fd: $0.exitDescriptor, events: Int16(POLLIN), revents: 0) }
        let cap = children.contains { $0.exitDescriptor < 0 } ? 0.001 : seconds
        let milliseconds = Int32((min(seconds, cap) * 1000).rounded(.up))
        _ = poll(&descriptors, nfds_t(descriptors.count), milliseconds)  // EINTR: the caller looks again
    }

    /// How it ended, once it has (then it is reaped); nil while it runs.
    func reap() -> CommandRun.Ending? {
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, WNOHANG) } while result < 0 && errno == EINTR
        guard result == pid else { return nil }
        Running.shared.remove(pid)
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }

    /// Kills its process group and waits until it is reaped.
    func killAll() {
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        Running.shared.remove(pid)
    }
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
