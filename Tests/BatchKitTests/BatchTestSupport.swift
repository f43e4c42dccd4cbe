import ArchiveKit
@testable import BatchKit
import CollectKit
import Foundation
import Testing
import TestSupport

/// Every fixture client root collected once (logcollect, in-process) into a shared folder that
/// tests only read; each test copies what it needs into its own folder.
enum FixtureBundles {
    static let folder: URL = {
        #if os(Windows)  // getpid is POSIX
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("batchkit-fixtures-\(ProcessInfo.processInfo.processIdentifier)")
        #else
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("batchkit-fixtures-\(getpid())")
        #endif
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ClientFixtures.names {
            var options = CollectOptions(root: ClientFixtures.root(name).path)
            options.now = ISO8601DateFormatter().date(from: ClientFixtures.now)
            options.output = folder.appendingPathComponent("\(name).zip").path
            options.force = true  // a folder left by an earlier run whose pid was the same
            _ = try! Collector.run(options)
        }
        return folder
    }()

    /// The collected bundle of a fixture.
    static func path(_ name: String) -> String { folder.appendingPathComponent("\(name).zip").path }

    /// Copies a fixture's bundle to `path` (folders created as needed); returns `path`.
    @discardableResult
    static func copy(_ name: String, to path: String) throws -> String {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: self.path(name), toPath: path)
        return path
    }

    /// Extracts a fixture's bundle into the folder `path`: a folder bundle (manifest.json on top).
    static func extract(_ name: String, to path: String) throws {
        let reader = try ArchiveReader(path: self.path(name))
        while let entry = try reader.nextEntry() {
            guard entry.kind == .file else { continue }
            let target = URL(fileURLWithPath: path).appendingPathComponent(entry.path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try reader.readData(upTo: 64 << 20).write(to: target)
        }
    }
}

/// Collects the one-line messages a batch writes to standard error.
final class Messages: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []

    var sink: MessageSink { { [self] message in lock.withLock { collected.append(message) } } }
    var all: [String] { lock.withLock { collected } }
    var text: String { all.joined(separator: "\n") }
}

/// Batch options for tests: no standard input, two jobs.
func batchOptions(_ inputs: [String], output: String, jobs: Int = 2) -> BatchOptions {
    var options = BatchOptions(inputs: inputs, outputs: BatchOutputs(output: output), jobs: jobs)
    options.discovery = BundleDiscovery(standardInput: { [] })
    return options
}

/// The lines of a JSON Lines file, without their newlines.
func jsonLines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        .dropLast().map(String.init)
}

/// A line as a JSON object.
func object(_ line: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
}

/// `bundle.path` of a line.
func bundlePath(_ line: String) throws -> String {
    try #require((try object(line)["bundle"] as? [String: Any])?["path"] as? String)
}

/// `error.code` of a line, if it is the error form.
func errorCode(_ line: String) throws -> String? {
    (try object(line)["error"] as? [String: Any])?["code"] as? String
}
