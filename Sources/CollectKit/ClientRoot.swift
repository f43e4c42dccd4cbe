import Foundation
import Platform

/// A client machine laid out in a folder (`--root DIR`): the system drive's tree with the
/// users' profiles, and `.system/` holding what a Windows collector would ask the live system.
///
/// Names match case-insensitively, as on Windows. A symbolic link is followed only when its
/// target stays inside the root; links out of the root and link loops are reported, not read.
public struct ClientRoot: ClientMachine {
    /// The root folder, with links resolved.
    public let root: URL
    /// The root, opened once: every file is opened from its descriptor, never by path.
    private let folder: FolderHandle

    /// Opens a root folder; throws when it does not exist or is not a folder.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MachineError(path: path, message: "not a folder; --root must name a client root folder")
        }
        root = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL
        do { folder = try FolderHandle(path: root.path) } catch { throw MachineError(path: path, message: error.message) }
    }

    public var description: String { "client root \(root.path)" }

    public func userNames() throws -> [String] {
        guard let users = try resolve("Users") else { return [] }
        return try listing(users).filter { isDirectory($0) }.map(\.lastPathComponent).sorted()
    }

    public func file(at path: String) throws -> MachineFile? {
        guard let url = try resolve(path) else { return nil }
        return try machineFile(url, relative: relativePath(of: url))
    }

    public func folderExists(at path: String) throws -> Bool {
        guard let url = try resolve(path) else { return false }
        return isDirectory(url)
    }

    public func files(under folder: String, recursive: Bool) throws -> (files: [MachineFile], skipped: [String]) {
        guard let start = try resolve(folder), isDirectory(start) else { return ([], []) }
        var files: [MachineFile] = []
        var skipped: [String] = []
        var visited: Set<String> = [start.path]
        var queue = [start]
        while let folder = queue.popLast() {
            let entries: [URL]
            do { entries = try listing(folder) } catch {
                skipped.append("\(relativePath(of: folder)): cannot list the folder (\(error.localizedDescription))")
                continue
            }
            for entry in entries {
                let relative = relativePath(of: entry)
                guard let target = safeTarget(entry, skipped: &skipped) else { continue }
                if isDirectory(target) {
                    guard recursive else { continue }
                    if visited.insert(target.path).inserted { queue.append(target) } else {
                        skipped.append("\(relative): a link loop; not followed")
                    }
                } else {
                    do { files.append(try machineFile(target, relative: relative)) } catch {
                        skipped.append("\(error)")
                    }
                }
            }
        }
        return (files.sorted { $0.path < $1.path }, skipped)
    }

    public func registryExport(_ hive: RegistryHive) throws -> MachineFile? {
        try file(at: ".system/registry/\(hive.rawValue).reg")
    }

    public func processList() throws -> MachineFile? { try file(at: ".system/tasklist.csv") }

    public func eventLog(_ name: String) throws -> MachineFile? { try file(at: ".system/events/\(name).xml") }

    public func connectClientAnswer() throws -> MachineFile? { try file(at: ".system/connect-client.json") }

    // MARK: - Paths

    /// Resolves a Windows-style relative path case-insensitively; nil when a part is missing.
    func resolve(_ path: String) throws -> URL? {
        var current = root
        for part in path.split(whereSeparator: { $0 == "/" || $0 == "\\" }) where part != "." {
            guard part != ".." else { throw MachineError(path: path, message: "paths may not climb out with ..") }
            let name = String(part)
            var next = current.appendingPathComponent(name)
            if !exists(next) {
                guard let match = try? listing(current).first(where: {
                    $0.lastPathComponent.caseInsensitiveCompare(name) == .orderedSame
                }) else { return nil }
                next = match
            }
            var skipped: [String] = []
            guard let safe = safeTarget(next, skipped: &skipped) else {
                throw MachineError(path: path, message: skipped.first ?? "not readable")
            }
            current = safe
        }
        return current
    }

    /// The entry itself, or a link's target when that stays inside the root.
    private func safeTarget(_ url: URL, skipped: inout [String]) -> URL? {
        guard FileSystem.info(orNilAt: url.path, followingLinks: false)?.kind == .symbolicLink else { return url }
        let relative = relativePath(of: url)
        guard let resolvedPath = realPath(url.path) else {
            skipped.append("\(relative): a link that loops or points nowhere; not followed")
            return nil
        }
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        guard resolvedPath.hasPrefix(rootPath) else {
            skipped.append("\(relative): a link pointing out of the client root (\(resolvedPath)); not followed")
            return nil
        }
        return URL(fileURLWithPath: resolvedPath)
    }

    private func realPath(_ path: String) -> String? { FileSystem.realPath(path) }

    private func relativePath(of url: URL) -> String {
        let full = url.standardizedFileURL.path
        let base = root.path
        guard full.hasPrefix(base) else { return full }
        return String(full.dropFirst(base.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    }

    private func listing(_ folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
    }

    private func exists(_ url: URL) -> Bool { FileSystem.exists(url.path) }

    private func isDirectory(_ url: URL) -> Bool { FileSystem.isDirectory(url.path) }

    private func machineFile(_ url: URL, relative: String) throws -> MachineFile {
        let info: FileSystem.Info
        do { info = try FileSystem.info(url.path) } catch { throw MachineError(path: relative, message: error.message) }
        guard info.kind == .regular else { throw MachineError(path: relative, message: "not a regular file") }
        return MachineFile(path: relative, url: url, size: info.size, modified: info.modified, root: folder)
    }
}
