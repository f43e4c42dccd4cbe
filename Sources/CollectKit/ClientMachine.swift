/// CollectKit: what `logcollect` does.
///
/// Independent sources (client, policy, Licensing Tool dumps, checkouts, logs, system) read a
/// client machine through one protocol, `ClientMachine`, run concurrently under time and size
/// limits, and hand their entries to `BundleWriter`, which scrubs secrets, hashes, checks for
/// leaks and writes the ZIP aside before renaming it into place. `ClientRoot` is the machine
/// laid out in a folder (`--root`); a live Windows machine is another implementation of the
/// same protocol, and no source needs to change for it.
import Foundation
import Platform

/// A file found on the client machine.
public struct MachineFile: Sendable, Equatable {
    /// Its path relative to the machine's root, with `/` separators, as it is spelled on disk.
    public let path: String
    /// Where it can be read.
    public let url: URL
    /// Its size when it was found.
    public let size: Int64
    /// Its modification time.
    public let modified: Date
    /// The client root it was found under, if any: it is then opened from the root's
    /// descriptor without following any link (a link swapped in after listing is refused).
    public let root: FolderHandle?

    /// A file as a `ClientMachine` implementation found it.
    public init(path: String, url: URL, size: Int64, modified: Date, root: FolderHandle? = nil) {
        self.path = path
        self.url = url
        self.size = size
        self.modified = modified
        self.root = root
    }

    /// Opens the file for reading: below its root, one component at a time with `O_NOFOLLOW`,
    /// and only a regular file; elsewhere (a file the collector made, a stand-in) by its URL,
    /// without blocking in `open`. Throws `MachineError` with the reason.
    public func open() throws -> ReadOnlyFile {
        guard let reader = try reader(at: url.path, named: path, missingIsNil: false) else {
            throw MachineError(path: path, message: SystemError.text(ENOENT))
        }
        return reader
    }

    /// Opens the file beside this one whose name is this one's plus `suffix` (a database's
    /// `-wal` or `-journal`) as `open()` opens this one; nil when there is none.
    public func openSibling(suffix: String) throws -> ReadOnlyFile? {
        try reader(at: url.path + suffix, named: path + suffix, missingIsNil: true)
    }

    private func reader(at absolute: String, named name: String, missingIsNil: Bool) throws -> ReadOnlyFile? {
        let relative = root?.relativePath(of: absolute)
        if root != nil && relative == nil { throw MachineError(path: name, message: "not below the client root; not read") }
        do throws(SystemError) {
            guard let root, let relative else { return try ReadOnlyFile(path: absolute) }
            return try root.openFile(relative)
        } catch {
            if missingIsNil && error.code == ENOENT { return nil }
            throw MachineError(path: name, message: error.message)
        }
    }

    /// The whole file, opened as `open()` does; refused when larger than `limit` bytes.
    public func contents(limit: Int = 64 << 20) throws -> Data {
        let reader = try open()
        do throws(SystemError) { return try reader.readAll(limit: limit) } catch {
            throw MachineError(path: path, message: error.message)
        }
    }

    /// Runs `body` with a path naming the opened file itself (for a library that opens paths):
    /// no link swapped in after `open()` can redirect it.
    public func withOpenedPath<T>(_ body: (String) throws -> T) throws -> T {
        let reader = try open()
        return try withExtendedLifetime(reader) { try body(reader.descriptorPath) }
    }
}

/// The registry hives a collector exports keys from.
public enum RegistryHive: String, Sendable, CaseIterable {
    case localMachine = "HKLM"
    case currentUser = "HKCU"
}

/// A client machine as the sources see it: files by their Windows paths, and what a collector
/// on Windows asks the live system (registry, processes, event logs, the CC API).
///
/// Paths are relative to the system drive, `/`-separated, matched case-insensitively.
/// Implementations never follow a link out of the machine's root.
public protocol ClientMachine: Sendable {
    /// A short description for the manifest (`root /path`, `live Windows`).
    var description: String { get }
    /// The user profile folders under `Users/`.
    func userNames() throws -> [String]
    /// A file by path; nil when it does not exist.
    func file(at path: String) throws -> MachineFile?
    /// True when a folder exists at the path.
    func folderExists(at path: String) throws -> Bool
    /// The files under a folder (recursively or not), and a line per thing that was skipped.
    func files(under folder: String, recursive: Bool) throws -> (files: [MachineFile], skipped: [String])
    /// A registry export (`reg export` format) of the keys of one hive; nil when there is none.
    func registryExport(_ hive: RegistryHive) throws -> MachineFile?
    /// The process list as `tasklist /v /fo csv` writes it; nil when there is none.
    func processList() throws -> MachineFile?
    /// An event log as `wevtutil qe LOG /f:xml` writes it; nil when there is none.
    func eventLog(_ name: String) throws -> MachineFile?
    /// What the CONNECTION Client API answers; nil when it could not be asked.
    func connectClientAnswer() throws -> MachineFile?
    /// Asks the system one question (what sources call): the answer says what went wrong, if
    /// anything. By default answered through the four methods above; a live machine runs
    /// commands.
    func ask(_ question: SystemQuestion) throws -> SystemAnswer
}

/// A failure to read something on the client machine, in one line.
public struct MachineError: Error, CustomStringConvertible, Sendable {
    /// The path concerned.
    public let path: String
    /// What went wrong.
    public let message: String

    /// One line: `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// One of the things a collector asks the system rather than reads from the drive
/// (`.system/` in a client root, CLIENT-MODEL §13).
public enum SystemQuestion: Sendable, Hashable, CustomStringConvertible {
    /// The keys of CLIENT-MODEL §6 in one hive, as `reg export` writes them.
    case registry(RegistryHive)
    /// `tasklist /v /fo csv`.
    case processList
    /// `wevtutil qe LOG /f:xml` of the Application or System log.
    case eventLog(String)
    /// What the CONNECTION Client API answers.
    case connectClient

    public var description: String {
        switch self {
        case .registry(let hive): "the \(hive.rawValue) registry keys"
        case .processList: "the process list"
        case .eventLog(let name): "the \(name) event log"
        case .connectClient: "the CONNECTION Client API"
        }
    }
}

/// What the system answered: a file in the `.system/` file's format (nil when it has none),
/// what a reader of the manifest should know (keys that do not exist, a conversion), and how
/// asking went wrong, if it did (the file then holds what came before, if anything).
public struct SystemAnswer: Sendable {
    /// The answer, as the `.system/` file would hold it.
    public var file: MachineFile?
    /// Notes for the manifest.
    public var notes: [String]
    /// Why the answer is missing or incomplete; nil when asking went well.
    public var failure: SystemQueryError?

    /// An answer.
    public init(file: MachineFile?, notes: [String] = [], failure: SystemQueryError? = nil) {
        self.file = file
        self.notes = notes
        self.failure = failure
    }
}

/// Asking the system went wrong: its command is not there, failed, or did not finish in time;
/// or this kind of machine cannot be asked at all. The message is one line, with the command's
/// own error line when it gave one.
public struct SystemQueryError: Error, CustomStringConvertible, Sendable {
    /// How asking failed; the source's outcome in the manifest follows from it.
    public enum Kind: Sendable, Equatable {
        /// It could not be asked on this machine (a command not on `PATH`): a shortfall.
        case missing
        /// The command ran and failed.
        case failed
        /// The command did not finish within its time limit.
        case timedOut
        /// This kind of machine has no way to ask it at all (the CONNECTION Client API, which
        /// has no public interface, on a live machine): not a fault of the machine.
        case unavailable
    }

    public let kind: Kind
    public let message: String

    /// An error of a kind, in one line.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

extension ClientMachine {
    /// Answers from `registryExport`, `processList`, `eventLog` and `connectClientAnswer` (a
    /// machine laid out in a folder: its `.system/` files).
    public func ask(_ question: SystemQuestion) throws -> SystemAnswer {
        switch question {
        case .registry(let hive): return SystemAnswer(file: try registryExport(hive))
        case .processList: return SystemAnswer(file: try processList())
        case .eventLog(let name): return SystemAnswer(file: try eventLog(name))
        case .connectClient: return SystemAnswer(file: try connectClientAnswer())
        }
    }
}
