import ArchiveKit
import CollectKit
import Foundation
import TestSupport

/// Every file of a bundle, decompressed.
func bundleContents(_ path: String) throws -> [String: Data] {
    let reader = try ArchiveReader(path: path)
    var files: [String: Data] = [:]
    while let entry = try reader.nextEntry() {
        if entry.kind == .file { files[entry.path] = try reader.readData(upTo: 256 << 20) }
    }
    return files
}

/// The manifest of a bundle.
func manifest(_ path: String) throws -> Manifest {
    try JSONDecoder().decode(Manifest.self, from: try bundleContents(path)["manifest.json"] ?? Data())
}

/// Collect options for a fixture root, fixed at the fixtures' collection time.
func options(root: URL, output: String) -> CollectOptions {
    var options = CollectOptions(root: root.path)
    options.now = ISO8601DateFormatter().date(from: ClientFixtures.now)
    options.output = output
    return options
}

extension Manifest {
    func source(_ name: String) -> SourceOutcome? { sources.first { $0.name == name } }
}

/// Runs the built `logcollect` on a client root at the fixtures' collection time.
func logcollect(root: URL, output: String, _ more: [String] = []) throws -> (status: Int32, output: String) {
    try runTool(BuiltProducts.path("logcollect"), ["--root", root.path, "--now", ClientFixtures.now, "--output", output] + more)
}
