import Foundation
import LicensingParsers
import Platform

/// Asks the live system its questions with its own commands, each question once (sources that
/// ask the same one concurrently wait for the first's answer). A command that overran its time
/// limit is not run again: a hung `reg` costs one time limit, not one per key or hive.
///
/// `@unchecked Sendable`: `answers`, `asking`, `hung`, `found` and `started` are guarded by `condition`; the
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
    /// Programs looked up on `PATH` (nil: not there).
    private var found: [String: String?] = [:]
    /// True once every question was started.
    private var started = false
    /// Pulled when the collection is done: a command still running then is killed.
    private let stop = CommandStop()

    init(_ settings: LiveMachine.Settings) throws {
        self.settings = settings
        scratch = FileManager.default.temporaryDirectory.appending(path: "logcollect-live-\(UUID().uuidString)", directoryHint: .isDirectory)
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

    /// `reg export "<KEY>" <FILE> /y` per key of CLIENT-MODEL §6 in the hive, a few at once, all
    /// within one time limit; keys that do not exist (exit 1) are skipped and noted; the exports
    /// are merged into one file as `reg export` writes it.
    private func registry(_ hive: RegistryHive) -> SystemAnswer {
        let keys = RegistryExportMerge.keys(of: hive)
        let exports = keys.indices.map { scratch.appending(path: "\(hive.rawValue)-\($0).reg", directoryHint: .notDirectory) }
        // What each prints is one line, its messages: kept in memory, with no file to create.
        let results = run("reg", keys.indices.map { index in
            Invocation(arguments: ["export", keys[index], exports[index].path, "/y"], display: #"reg export "\#(keys[index])""#,
                       output: .kept, errors: nil, writes: exports[index])
        }, concurrency: Self.concurrentExports, timeLimit: settings.commandTimeLimit)
        var exported: [URL] = []
        var absent: [String] = []
        var absentLine: String?
        var failures: [SystemQueryError] = []
        for (index, run) in results.enumerated() {
            if run.ending == .exited(0) {
                exported.append(exports[index])
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
            notes.append("registry keys not on this machine (\(absent.count) of \(keys.count)), skipped: "
                         + absent.map(RegistryExport.abbreviated).joined(separator: ", ") + "; reg said: \(absentLine ?? "exit status 1")")
        }
        let failure = failures.isEmpty ? nil : SystemQueryError(
            failures.contains { $0.kind == .missing } ? .missing : failures.contains { $0.kind == .timedOut } ? .timedOut : .failed,
            failures.map(\.message).joined(separator: "; "))
        guard !exported.isEmpty else { return SystemAnswer(file: nil, notes: notes, failure: failure) }
        let merged = scratch.appending(path: "\(hive.rawValue).reg", directoryHint: .notDirectory)
        do {
            try RegistryExportMerge.merge(exported, into: merged)
            return SystemAnswer(file: try machineFile(merged, as: ".system/registry/\(hive.rawValue).reg"), notes: notes, failure: failure)
        } catch {
            return SystemAnswer(file: nil, notes: notes, failure: SystemQueryError(.failed, "merging the \(hive.rawValue) exports: \(error)"))
        }
    }

    /// `tasklist /v /fo csv`, in UTF-8 (converted from the console's code page when it is not).
    private func processList() -> SystemAnswer {
        let output = scratch.appending(path: "tasklist.csv", directoryHint: .notDirectory)
        let run = run("tasklist", Invocation(arguments: ["/v", "/fo", "csv"], display: "tasklist /v /fo csv", output: .file(output)),
                      timeLimit: settings.commandTimeLimit)
        return answer(run, output: output, as: ".system/tasklist.csv")
    }

    /// `wevtutil qe <LOG> /f:xml /rd:true /c:<N>`: the newest N events, with no root element.
    private func eventLog(_ name: String) -> SystemAnswer {
        let output = scratch.appending(path: "events-\(name).xml", directoryHint: .notDirectory)
        let arguments = ["qe", name, "/f:xml", "/rd:true", "/c:\(settings.maxEvents)"]
        let run = run("wevtutil", Invocation(arguments: arguments, display: "wevtutil " + arguments.joined(separator: " "),
                                             output: .file(output)), timeLimit: settings.commandTimeLimit)
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

    /// One run of a program: its arguments, how the manifest names it, and where its output goes:
    /// standard output to `output`, standard error to `errors` (nil: with the output) and, when
    /// it writes a file itself, that file (`writes`), watched too.
    struct Invocation {
        let arguments: [String]
        let display: String
        let output: CommandOutput
        var errors: CommandOutput? = .kept
        var writes: URL?
    }

    /// Runs `program` (found on `PATH`) once.
    private func run(_ program: String, _ invocation: Invocation, timeLimit: Double) -> CommandResult {
        run(program, [invocation], concurrency: 1, timeLimit: timeLimit)[0]
    }

    /// Runs `program` (found on `PATH`) once per invocation, `concurrency` at once, all within
    /// `timeLimit`. None runs once the collection ended, or once `program` overran a time limit.
    private func run(_ program: String, _ invocations: [Invocation], concurrency: Int, timeLimit: Double) -> [CommandResult] {
        func notRun(_ kind: SystemQueryError.Kind, _ message: (Invocation) -> String) -> [CommandResult] {
            invocations.map { CommandResult(display: $0.display, ending: nil, errorLine: nil, failure: SystemQueryError(kind, message($0))) }
        }
        if stop.isPulled { return notRun(.timedOut) { "\($0.display) was not run: the collection had ended" } }
        if let message = condition.withLock({ hung[program] }) { return notRun(.timedOut) { _ in message } }
        guard let path = find(program) else {
            return notRun(.missing) { _ in "\(program) was not found on PATH, so it was not asked" }
        }
        let limit = settings.outputLimits[program] ?? 64 << 20
        let runs = ChildProcess.run(invocations.map {
            ChildProcess.Command(path, $0.arguments, standardOutput: $0.output, standardError: $0.errors,
                                 watching: $0.writes.map { [$0] } ?? [])
        }, environment: settings.environment, concurrency: concurrency, timeLimit: max(0, timeLimit), outputLimit: limit, stop: stop)
        return zip(invocations, runs).map { invocation, result in
            switch result {
            case .success(let run): describe(run, of: program, invocation, outputLimit: limit, timeLimit: timeLimit)
            case .failure(let error):
                CommandResult(display: invocation.display, ending: nil, errorLine: nil, failure: SystemQueryError(.failed, "\(error)"))
            }
        }
    }

    /// The program's full path, looked up on `PATH` once per collection.
    private func find(_ program: String) -> String? {
        condition.withLock {
            if let known = found[program] { return known }
            let path = ChildProcess.find(program, environment: settings.environment)
            found[program] = .some(path)
            return path
        }
    }

    /// How a run went, as the manifest says it.
    private func describe(_ run: CommandRun, of program: String, _ invocation: Invocation, outputLimit: Int64,
                          timeLimit: Double) -> CommandResult {
        let display = invocation.display
        // What it said matters only when it failed: its messages, else what it printed.
        let line = run.ending == .exited(0) ? nil
            : ConsoleText.firstLine(in: run.kept) ?? invocation.output.url.flatMap(ConsoleText.firstLine(of:))
        let said = line.map { ": \($0)" } ?? ""
        let failure: SystemQueryError? = switch run.ending {
        case .exited(0): nil
        case .exited(let status): SystemQueryError(.failed, "\(display) failed with exit status \(status)\(said)")
        case .signalled(let signal) where signal < 0:
            SystemQueryError(.failed, "\(display) crashed (exception 0x\(String(UInt32(bitPattern: signal), radix: 16, uppercase: true)))\(said)")
        case .signalled(let signal): SystemQueryError(.failed, "\(display) was ended by signal \(signal)\(said)")
        case .stopped: SystemQueryError(.timedOut, "\(display) was stopped: the collection had ended")
        case .outputLimit:
            SystemQueryError(.failed, "\(display) wrote more than \(outputLimit >> 20) MB: stopped there, what came before is kept")
        case .timedOut:
            hang(program, SystemQueryError(.timedOut, "\(display) did not finish within \(SourceRunner.seconds(timeLimit)) s: stopped; \(program) was not asked again"))
        }
        return CommandResult(display: display, ending: run.ending, errorLine: line, failure: failure)
    }

    /// Remembers that `program` hung (the first message stays), and returns the message.
    private func hang(_ program: String, _ error: SystemQueryError) -> SystemQueryError {
        condition.withLock { if hung[program] == nil { hung[program] = error.message } }
        return error
    }
}
