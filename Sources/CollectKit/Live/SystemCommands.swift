import Foundation
import LicensingParsers
import Platform

/// Asks the live system its questions with its own commands, each question once (sources that
/// ask the same one concurrently wait for the first's answer). A command that overran its time
/// limit is not run again: a hung `reg` costs one time limit, not one per key or hive.
///
/// `@unchecked Sendable`: `answers`, `asking`, `hung` and `started` are guarded by `condition`; the
/// settings and the scratch folder never change.
final class SystemCommands: @unchecked Sendable {
    private let settings: LiveMachine.Settings
    /// Where commands write (removed with this object, after the bundle is written).
    private let scratch: URL
    private let condition = NSCondition()
    private var answers: [SystemQuestion: SystemAnswer] = [:]
    private var asking: Set<SystemQuestion> = []
    /// Programs that overran their time limit, with what to say about them.
    private var hung: [String: String] = [:]
    /// True once every question was started.
    private var started = false
    /// Pulled when the collection is done: a command still running then is killed.
    private let stop = CommandStop()

    init(_ settings: LiveMachine.Settings) throws {
        self.settings = settings
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("logcollect-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    /// Starts every question of a collection now, in the background (see `askEverythingOnce`).
    func start() { askEverythingOnce() }

    /// Kills the commands still running (a source that overran its own time limit, or a
    /// collection that ended early) and runs no more.
    func finish() { stop.pull() }

    deinit { try? FileManager.default.removeItem(at: scratch) }

    /// How many `reg export`s run at once.
    static let concurrentExports = 8
    /// What a collection asks: all of it is asked at once, when the first question comes.
    static let everything: [SystemQuestion] = [
        .registry(.localMachine), .registry(.currentUser), .processList, .eventLog("Application"), .eventLog("System"),
    ]

    /// The answer to `question`, asked once.
    func answer(_ question: SystemQuestion) -> SystemAnswer {
        askEverythingOnce()
        condition.lock()
        while answers[question] == nil && asking.contains(question) { condition.wait() }
        if let known = answers[question] {
            condition.unlock()
            return known
        }
        asking.insert(question)
        condition.unlock()
        let answer = ask(question)
        condition.lock()
        answers[question] = answer
        asking.remove(question)
        condition.broadcast()
        condition.unlock()
        return answer
    }

    /// Starts every question of a collection, each on a thread of its own, the first time one
    /// is asked: the sources ask them anyway, and so the slowest command sets what the system
    /// costs, not the sum of them all (a hung one costs its time limit, once).
    private func askEverythingOnce() {
        let first = condition.withLock {
            defer { started = true }
            return !started
        }
        guard first else { return }
        for question in Self.everything { Thread { [self] in _ = answer(question) }.start() }
    }

    private func ask(_ question: SystemQuestion) -> SystemAnswer {
        switch question {
        case .registry(let hive): registry(hive)
        case .processList: processList()
        case .eventLog(let name): eventLog(name)
        case .connectClient:
            SystemAnswer(file: nil, failure: SystemQueryError(.unavailable, LiveMachine.connectClientUnavailable))
        }
    }

    // MARK: - The questions

    /// `reg export "<KEY>" <FILE> /y` per key of CLIENT-MODEL §6 in the hive, concurrently, all
    /// within one time limit; keys that do not exist (exit 1) are skipped and noted; the exports
    /// are merged into one file as `reg export` writes it.
    private func registry(_ hive: RegistryHive) -> SystemAnswer {
        let keys = RegistryExportMerge.keys(of: hive)
        let deadline = Date().addingTimeInterval(settings.commandTimeLimit)
        let results = Slots<(url: URL?, run: CommandResult)>(count: keys.count)
        // A few at a time: each waits on its process more than it works.
        let group = DispatchGroup()
        let gate = DispatchSemaphore(value: Self.concurrentExports)
        for index in keys.indices {
            gate.wait()
            group.enter()
            Thread { [self] in
                defer { gate.signal(); group.leave() }
                let export = scratch.appendingPathComponent("\(hive.rawValue)-\(index).reg")
                // What it prints is one line, its messages: kept in memory, with no file to create.
                let run = run("reg", ["export", keys[index], export.path, "/y"], display: #"reg export "\#(keys[index])""#,
                              output: .kept, errors: nil, writes: export, timeLimit: deadline.timeIntervalSinceNow)
                results[index] = (run.ending == .exited(0) ? export : nil, run)
            }.start()
        }
        group.wait()
        var exported: [URL] = []
        var absent: [String] = []
        var absentLine: String?
        var failures: [SystemQueryError] = []
        for (index, slot) in results.all().enumerated() {
            guard let (url, run) = slot else { continue }
            if let url {
                exported.append(url)
            } else if run.ending == .exited(1) {
                absent.append(keys[index])
                absentLine = absentLine ?? run.errorLine
            } else if let failure = run.failure, !failures.contains(where: { $0.message == failure.message }),
                      failure.kind != .timedOut || !failures.contains(where: { $0.kind == .timedOut }) {
                failures.append(failure)  // one line per kind of failure: a hung reg is said once
            }
        }
        var notes: [String] = []
        if !absent.isEmpty {
            notes.append("registry keys not on this machine, skipped (reg: \(absentLine ?? "exit status 1")): \(absent.joined(separator: ", "))")
        }
        let failure = failures.isEmpty ? nil : SystemQueryError(
            failures.contains { $0.kind == .missing } ? .missing : failures.contains { $0.kind == .timedOut } ? .timedOut : .failed,
            failures.map(\.message).joined(separator: "; "))
        guard !exported.isEmpty else { return SystemAnswer(file: nil, notes: notes, failure: failure) }
        let merged = scratch.appendingPathComponent("\(hive.rawValue).reg")
        do {
            try RegistryExportMerge.merge(exported, into: merged)
            return SystemAnswer(file: try machineFile(merged, as: ".system/registry/\(hive.rawValue).reg"), notes: notes, failure: failure)
        } catch {
            return SystemAnswer(file: nil, notes: notes, failure: SystemQueryError(.failed, "merging the \(hive.rawValue) exports: \(error)"))
        }
    }

    /// `tasklist /v /fo csv`, in UTF-8 (converted from the console's code page when it is not).
    private func processList() -> SystemAnswer {
        let output = scratch.appendingPathComponent("tasklist.csv")
        let run = run("tasklist", ["/v", "/fo", "csv"], display: "tasklist /v /fo csv", output: .file(output),
                      timeLimit: settings.commandTimeLimit)
        return answer(run, output: output, as: ".system/tasklist.csv")
    }

    /// `wevtutil qe <LOG> /f:xml /rd:true /c:<N>`: the newest N events, with no root element.
    private func eventLog(_ name: String) -> SystemAnswer {
        let output = scratch.appendingPathComponent("events-\(name).xml")
        let arguments = ["qe", name, "/f:xml", "/rd:true", "/c:\(settings.maxEvents)"]
        let run = run("wevtutil", arguments, display: "wevtutil " + arguments.joined(separator: " "),
                      output: .file(output), timeLimit: settings.commandTimeLimit)
        return answer(run, output: output, as: ".system/events/\(name).xml")
    }

    /// A command's output as an answer: what it printed (also when it stopped part-way), in
    /// UTF-8, and its failure.
    private func answer(_ run: CommandResult, output: URL, as path: String) -> SystemAnswer {
        guard let info = try? FileSystem.info(output.path), info.size > 0 else {
            return SystemAnswer(file: nil, failure: run.failure ?? SystemQueryError(.failed, "\(run.display) printed nothing"))
        }
        var notes: [String] = []
        do {
            if let codePage = try ConsoleText.convertToUTF8(output, codePage: CodePage.consoleOutput, scratch: scratch) {
                notes.append("\(run.display) wrote \(CodePage.name(codePage)) (the console's code page): converted to UTF-8")
            }
            return SystemAnswer(file: try machineFile(output, as: path), notes: notes, failure: run.failure)
        } catch {
            return SystemAnswer(file: nil, failure: SystemQueryError(.failed, "\(run.display): reading its output: \(error)"))
        }
    }

    private func machineFile(_ url: URL, as path: String) throws -> MachineFile {
        let info = try FileSystem.info(url.path)
        return MachineFile(path: path, url: url, size: info.size, modified: info.modified)
    }

    // MARK: - Running one command

    /// How one command went.
    struct CommandResult: Sendable {
        /// The command as the manifest names it.
        let display: String
        /// How it ended; nil when it never ran.
        let ending: CommandRun.Ending?
        /// The first line of what it said on standard error (or output, when it failed silently there).
        let errorLine: String?
        /// What went wrong, as the source's outcome; nil when it exited 0.
        let failure: SystemQueryError?
    }

    /// Runs `program` (found on `PATH`) with its standard output to `output` and its standard
    /// error to `errors` (kept in memory unless told otherwise; nil: with the output) and, when
    /// it writes a file itself, that file watched too.
    private func run(_ program: String, _ arguments: [String], display: String, output: CommandOutput,
                     errors: CommandOutput? = .kept, writes: URL? = nil, timeLimit: Double) -> CommandResult {
        if stop.isPulled {
            return CommandResult(display: display, ending: nil, errorLine: nil,
                                 failure: SystemQueryError(.timedOut, "\(display) was not run: the collection had ended"))
        }
        if let message = condition.withLock({ hung[program] }) {
            return CommandResult(display: display, ending: nil, errorLine: nil, failure: SystemQueryError(.timedOut, message))
        }
        guard let path = ChildProcess.find(program, environment: settings.environment) else {
            return CommandResult(display: display, ending: nil, errorLine: nil, failure: SystemQueryError(
                .missing, "\(program) was not found on PATH, so it was not asked"))
        }
        let limit = settings.outputLimits[program] ?? 64 << 20
        let started: CommandRun
        do {
            started = try ChildProcess.run(path, arguments, environment: settings.environment, standardOutput: output,
                                           standardError: errors, watching: writes.map { [$0] } ?? [],
                                           timeLimit: max(0, timeLimit), outputLimit: limit, stop: stop)
        } catch {
            return CommandResult(display: display, ending: nil, errorLine: nil, failure: SystemQueryError(.failed, "\(error)"))
        }
        // What it said matters only when it failed: its messages, else what it printed.
        let line = started.ending == .exited(0) ? nil
            : ConsoleText.firstLine(in: started.kept) ?? output.url.flatMap(ConsoleText.firstLine(of:))
        let said = line.map { ": \($0)" } ?? ""
        let failure: SystemQueryError? = switch started.ending {
        case .exited(0): nil
        case .exited(let status): SystemQueryError(.failed, "\(display) failed with exit status \(status)\(said)")
        case .signalled(let signal): SystemQueryError(.failed, "\(display) was ended by signal \(signal)\(said)")
        case .stopped: SystemQueryError(.timedOut, "\(display) was stopped: the collection had ended")
        case .outputLimit:
            SystemQueryError(.failed, "\(display) wrote more than \(limit >> 20) MB: stopped there, what came before is kept")
        case .timedOut:
            hang(program, SystemQueryError(.timedOut, "\(display) did not finish within \(SourceRunner.seconds(timeLimit)) s: stopped; \(program) was not asked again"))
        }
        return CommandResult(display: display, ending: started.ending, errorLine: line, failure: failure)
    }

    /// Remembers that `program` hung (the first message stays), and returns the message.
    private func hang(_ program: String, _ error: SystemQueryError) -> SystemQueryError {
        condition.withLock { if hung[program] == nil { hung[program] = error.message } }
        return error
    }
}

/// Results filled in concurrently, one slot per index. `@unchecked Sendable`: guarded by `lock`.
private final class Slots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    subscript(index: Int) -> Value? {
        get { lock.withLock { values[index] } }
        set { lock.withLock { values[index] = newValue } }
    }

    func all() -> [Value?] { lock.withLock { values } }
}
