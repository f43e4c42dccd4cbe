import Foundation
import Platform

/// The Windows machine `logcollect` runs on (`--live`, CLIENT-MODEL §13): files from the system
/// drive, and `.system/` asked of the system with its own commands — `reg export` per key of
/// §6, `tasklist /v /fo csv`, `wevtutil qe` — found on `PATH` by name. Each command runs under a
/// time limit with its output going to a file bounded in size; its failure is the answer's,
/// and so one source's outcome. The CONNECTION Client API has no public interface and is
/// recorded as unavailable.
///
/// Inside the bundle nothing tells the two apart but the manifest's `machine` ("live …").
public struct LiveMachine: ClientMachine {
    /// How the live system is read.
    public struct Settings: Sendable {
        /// The system drive's folder (`C:\`, or a mounted disk image).
        public var drive: String
        /// The environment: `PATH` finds the commands, which run with all of it.
        public var environment: [String: String]
        /// The newest events asked of each event log (`--max-events`).
        public var maxEvents = 2000
        /// Seconds each command may run (the registry's exports of one hive share it).
        public var commandTimeLimit: Double = 20
        /// The most bytes a command's output may have, by command name; past it the command is
        /// killed and its output cut there.
        public var outputLimits: [String: Int64] = ["reg": 32 << 20, "tasklist": 2 << 20, "wevtutil": 64 << 20]

        /// Settings with defaults for everything but the drive and the environment.
        public init(drive: String, environment: [String: String]) {
            self.drive = drive
            self.environment = environment
        }
    }

    /// The drive, read as a client root is (names match case-insensitively, links stay inside).
    private let files: ClientRoot
    private let commands: SystemCommands
    private let drive: String

    /// Reads the live system with `settings`; throws `MachineError` when the drive is not a folder.
    public init(_ settings: Settings) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: settings.drive, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MachineError(path: settings.drive, message: "not a folder; --drive must name the system drive (or a mounted image of it)")
        }
        files = try ClientRoot(path: settings.drive)
        commands = try SystemCommands(settings)
        drive = settings.drive
    }

    /// Starts asking the system everything a collection asks, in the background, so that the
    /// commands run while the drive's files are read (`Collector` calls it first thing).
    public func start() { commands.start() }

    /// Kills the commands still running and runs no more (`Collector` calls it when done).
    public func finish() { commands.finish() }

    public var description: String { "live machine, system drive \(drive)" }

    public func userNames() throws -> [String] { try files.userNames() }
    public func file(at path: String) throws -> MachineFile? { try files.file(at: path) }
    public func folderExists(at path: String) throws -> Bool { try files.folderExists(at: path) }
    public func files(under folder: String, recursive: Bool) throws -> (files: [MachineFile], skipped: [String]) {
        try files.files(under: folder, recursive: recursive)
    }

    public func ask(_ question: SystemQuestion) throws -> SystemAnswer { commands.answer(question) }

    public func registryExport(_ hive: RegistryHive) throws -> MachineFile? { commands.answer(.registry(hive)).file }
    public func processList() throws -> MachineFile? { commands.answer(.processList).file }
    public func eventLog(_ name: String) throws -> MachineFile? { commands.answer(.eventLog(name)).file }
    public func connectClientAnswer() throws -> MachineFile? { nil }

    /// Why a live collection has no CONNECTION Client API answer: the manifest's message for
    /// `connect-client`, whose outcome is then `unavailable` (not a fault of the machine).
    public static let connectClientUnavailable =
        "the CONNECTION Client API has no public interface, so a live collection cannot ask it (CLIENT-MODEL §13); "
        + "not a fault of this machine"

    /// The profile to read when `--user` is not given: the signed-in user's (`%USERPROFILE%`'s
    /// folder name when it is under the drive's `Users`, else `%USERNAME%`); nil when the
    /// environment names none.
    public static func currentUser(environment: [String: String]) -> String? {
        if let profile = environment["USERPROFILE"], !profile.isEmpty {
            let parts = profile.split(whereSeparator: { $0 == "\\" || $0 == "/" })
            if parts.count >= 2, parts[parts.count - 2].caseInsensitiveCompare("Users") == .orderedSame {
                return String(parts[parts.count - 1])
            }
        }
        return environment["USERNAME"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The drive `--live` reads when `--drive` is not given: `%SystemDrive%\` on Windows; nil
    /// elsewhere (a drive must be named).
    public static func defaultDrive(environment: [String: String]) -> String? {
        #if os(Windows)
        return (environment["SystemDrive"] ?? "C:") + "\\"
        #else
        return nil
        #endif
    }
}
