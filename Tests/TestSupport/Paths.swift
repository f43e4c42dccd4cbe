import Foundation

/// Where the repository's checked-in test data lives, found from this file's path.
public enum RepoPaths {
    /// The repository root.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `Fixtures/` at the repository root.
    public static let fixtures: URL = root.appendingPathComponent("Fixtures")

    /// A fixture file or folder by its path relative to `Fixtures/`.
    public static func fixture(_ relative: String) -> URL {
        fixtures.appendingPathComponent(relative)
    }
}

/// A fresh temporary folder, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    /// The folder's URL.
    public let url: URL

    /// Creates a new empty folder under the system's temporary directory.
    public init(_ prefix: String = "tms-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Deletes the folder and everything in it.
    public func remove() { try? FileManager.default.removeItem(at: url) }
}
