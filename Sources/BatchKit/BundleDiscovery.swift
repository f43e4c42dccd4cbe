import Foundation
import Platform
import Reporting

/// One bundle of a batch: its path, or why the path cannot be a bundle.
public struct BatchInput: Sendable, Equatable {
    /// The path as found (the folder named on the command line, then the names below it).
    public let path: String
    /// Set when discovery already knows the path cannot be read (a FIFO, a dangling link, a
    /// folder that cannot be listed); the batch writes an error line for it.
    public let problem: Problem?

    /// Why a path found while searching cannot be read.
    public struct Problem: Sendable, Equatable {
        /// A stable code, as in the error lines (`not-found`, `unreadable`, `not-a-bundle`).
        public let code: String
        /// One line.
        public let message: String
    }

    init(_ path: String, problem: Problem? = nil) {
        self.path = path
        self.problem = problem
    }
}

/// Turns the command line's paths into the sorted list of bundles to analyse.
///
/// A path named on the command line is a bundle if it is a file (whatever its name) or a folder
/// holding `manifest.json` at its top; any other folder is searched recursively for such
/// folders and for `.zip`, `.tar`, `.tar.gz`, `.tgz` and `.7z` files (the files it leaves out
/// are listed, with why). `-` reads more paths from
/// standard input, one a line. While searching, links to files are followed but links to
/// folders are not (no loops); a bundle-named entry that is not a regular file (a FIFO, a
/// socket, a dangling link) is never opened (a FIFO would block) but becomes an error line.
/// The result is sorted by `PathOrder` without duplicates; only paths are held, never contents.
public struct BundleDiscovery: Sendable {
    /// Reads the paths that `-` stands for.
    public var standardInput: @Sendable () -> [String]

    /// Discovery reading `-` from the process's standard input.
    public init(standardInput: @escaping @Sendable () -> [String] = BundleDiscovery.readStandardInput) {
        self.standardInput = standardInput
    }

    /// A file met while searching a folder that is not taken as a bundle, and why.
    public struct Skipped: Sendable, Equatable {
        /// The file's path.
        public let path: String
        /// Why it was left out, one line.
        public let reason: String
    }

    /// The bundles under `arguments`, sorted, each once.
    public func bundles(in arguments: [String]) -> [BatchInput] {
        discover(in: arguments).bundles
    }

    /// The bundles under `arguments`, sorted, each once; and the files met while searching
    /// folders that were left out, sorted, so a user sees why a file was not analysed.
    public func discover(in arguments: [String]) -> (bundles: [BatchInput], skipped: [Skipped]) {
        var found: [BatchInput] = []
        var skipped: [Skipped] = []
        for argument in arguments {
            let paths = argument == "-" ? standardInput() : [argument]
            for path in paths where !path.isEmpty {
                explicit(Self.tidy(path), into: &found, skipped: &skipped)
            }
        }
        skipped.sort { PathOrder.less($0.path, $1.path) }
        found.sort { PathOrder.less($0.path, $1.path) }
        var unique: [BatchInput] = []
        unique.reserveCapacity(found.count)
        for input in found where unique.last?.path != input.path { unique.append(input) }
        return (unique, skipped)
    }

    /// Reads standard input to its end: one path a line, `\r` and blank lines dropped.
    public static func readStandardInput() -> [String] {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
    }

    /// The names that say "bundle" while searching a folder.
    public static let bundleSuffixes = [".zip", ".tar", ".tar.gz", ".tgz", ".7z"]

    /// Whether a file name says "bundle": `.zip`, `.tar`, `.tar.gz`, `.tgz`, `.7z`.
    public static func hasBundleName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return bundleSuffixes.contains { lower.hasSuffix($0) }
    }

    /// `a//b/./c/` → `a/b/c`: one spelling per path, so duplicates are found and shards agree.
    static func tidy(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        let parts = path.split(separator: "/").filter { $0 != "." }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    private func explicit(_ path: String, into found: inout [BatchInput], skipped: inout [Skipped]) {
        switch FileType(path: path, followLinks: true) {
        case .missing(let reason):
            let code = reason == ENOENT ? "not-found" : "unreadable"
            found.append(BatchInput(path, problem: .init(code: code, message: "\(path): \(Self.text(reason))")))
        case .directory:
            if FileType(path: path + "/manifest.json", followLinks: true) == .regular {
                found.append(BatchInput(path))
            } else {
                search(path, into: &found, skipped: &skipped)
            }
        case .regular:
            found.append(BatchInput(path))
        case .other(let kind):
            found.append(BatchInput(path, problem: .init(code: "not-a-bundle", message: "\(path): a \(kind), not a bundle file")))
        case .link:
            found.append(BatchInput(path, problem: .init(code: "not-a-bundle", message: "\(path): a link that cannot be followed")))
        }
    }

    private func search(_ folder: String, into found: inout [BatchInput], skipped: inout [Skipped]) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            found.append(BatchInput(folder, problem: .init(code: "unreadable", message: "\(folder): cannot list the folder")))
            return
        }
        for name in names {
            let path = folder == "/" ? "/" + name : folder + "/" + name
            switch FileType(path: path, followLinks: false) {
            case .directory:
                if FileType(path: path + "/manifest.json", followLinks: true) == .regular {
                    found.append(BatchInput(path))
                } else {
                    search(path, into: &found, skipped: &skipped)
                }
            case .regular where Self.hasBundleName(name):
                found.append(BatchInput(path))
            case .link where Self.hasBundleName(name):
                switch FileType(path: path, followLinks: true) {
                case .regular: found.append(BatchInput(path))
                case .missing: found.append(BatchInput(path, problem: .init(code: "not-found", message: "\(path): a dangling link")))
                default: found.append(BatchInput(path, problem: .init(code: "not-a-bundle", message: "\(path): a link to something other than a file")))
                }
            case .other(let kind) where Self.hasBundleName(name):
                found.append(BatchInput(path, problem: .init(code: "not-a-bundle", message: "\(path): a \(kind), not a bundle file; not opened")))
            case .regular:
                let names = Self.bundleSuffixes.joined(separator: ", ")
                skipped.append(Skipped(path: path, reason: "not named like a bundle (\(names), or a folder with manifest.json)"))
            default:
                continue
            }
        }
    }

    static func text(_ code: Int32) -> String { SystemError.text(code) }
}

/// What a path is, from `stat` or `lstat`.
enum FileType: Equatable {
    case regular, directory, link
    case other(String)
    case missing(Int32)

    init(path: String, followLinks: Bool) {
        let info: FileSystem.Info
        do { info = try FileSystem.info(path, followingLinks: followLinks) } catch {
            self = .missing(error.code)
            return
        }
        switch info.kind {
        case .regular: self = .regular
        case .directory: self = .directory
        case .symbolicLink: self = .link
        case .fifo: self = .other("FIFO")
        case .socket: self = .other("socket")
        case .device: self = .other("device")
        case .other: self = .other("special file")
        }
    }
}
