/// CollectKit: what `logcollect` does.
///
/// Independent sources (client, policy, Licensing Tool dumps, checkouts, logs, system) read a
/// client machine through one protocol, `ClientMachine`, run concurrently under time and size
/// limits, and hand their entries to `BundleWriter`, which scrubs secrets, hashes, checks for
/// leaks and writes the ZIP aside before renaming it into place. `ClientRoot` is the machine
/// laid out in a folder (`--root`); a live Windows machine is another implementation of the
/// same protocol, and no source needs to change for it.
import Foundation

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

    /// A file as a `ClientMachine` implementation found it.
    public init(path: String, url: URL, size: Int64, modified: Date) {
        self.path = path
        self.url = url
        self.size = size
        self.modified = modified
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
    /// A registry export (`reg export` format) of the keys of one hive; nil when unavailable.
    func registryExport(_ hive: RegistryHive) throws -> MachineFile?
    /// The process list as `tasklist /v /fo csv` writes it; nil when unavailable.
    func processList() throws -> MachineFile?
    /// An event log as `wevtutil qe LOG /f:xml` writes it; nil when unavailable.
    func eventLog(_ name: String) throws -> MachineFile?
    /// What the CONNECTION Client API answers; nil when it could not be asked.
    func connectClientAnswer() throws -> MachineFile?
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
