import CollectKit
import Foundation

/// A client machine that is not a `ClientRoot`: a client root seen through a filter that hides
/// some of its files and serves others from elsewhere — what a live Windows machine, or a
/// share that answers `stat` but hangs on `read`, looks like to the sources.
struct FilteredMachine: ClientMachine {
    let base: ClientRoot
    /// Paths (as the machine spells them, any case) that do not exist here.
    var hidden: Set<String> = []
    /// Files served in addition, by their machine path.
    var extra: [MachineFile] = []

    var description: String { "filtered \(base.description)" }

    func userNames() throws -> [String] { try base.userNames() }

    func folderExists(at path: String) throws -> Bool { try base.folderExists(at: path) }

    func file(at path: String) throws -> MachineFile? {
        if let served = extra.first(where: { $0.path.caseInsensitiveCompare(path) == .orderedSame }) { return served }
        return visible(try base.file(at: path))
    }

    func files(under folder: String, recursive: Bool) throws -> (files: [MachineFile], skipped: [String]) {
        let (files, skipped) = try base.files(under: folder, recursive: recursive)
        let prefix = folder.lowercased() + "/"
        let served = extra.filter { file in
            let path = file.path.lowercased()
            return path.hasPrefix(prefix) && (recursive || !path.dropFirst(prefix.count).contains("/"))
        }
        return (files.compactMap(visible) + served, skipped)
    }

    func registryExport(_ hive: RegistryHive) throws -> MachineFile? { visible(try base.registryExport(hive)) }
    func processList() throws -> MachineFile? { visible(try base.processList()) }
    func eventLog(_ name: String) throws -> MachineFile? { visible(try base.eventLog(name)) }
    func connectClientAnswer() throws -> MachineFile? { visible(try base.connectClientAnswer()) }

    private func visible(_ file: MachineFile?) -> MachineFile? {
        guard let file, !hidden.contains(where: { $0.caseInsensitiveCompare(file.path) == .orderedSame }) else { return nil }
        return file
    }
}
