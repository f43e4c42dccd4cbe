import Foundation

/// The synthetic client roots under `Fixtures/clients/` and what each should give.
public enum ClientFixtures {
    /// The collection time every fixture is made for.
    public static let now = "2026-11-20T10:00:00Z"

    /// Every fixture client root's name (`healthy` and one per cause code).
    public static var names: [String] {
        let folder = RepoPaths.fixture("clients")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return entries.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    /// A fixture client root's folder.
    public static func root(_ name: String) -> URL { RepoPaths.fixture("clients/\(name)") }

    /// A private copy of a fixture client root, for tests that change it.
    public static func copy(_ name: String, into directory: TemporaryDirectory) throws -> URL {
        let target = directory.url.appendingPathComponent(name)
        try FileManager.default.copyItem(at: root(name), to: target)
        return target
    }

    /// The secrets planted in a fixture (`Fixtures/clients/secrets.json`): values that must
    /// never appear in a bundle.
    public static func secrets(_ name: String) -> [String] {
        guard let data = try? Data(contentsOf: RepoPaths.fixture("clients/secrets.json")),
              let table = try? JSONSerialization.jsonObject(with: data) as? [String: [[String: Any]]] else { return [] }
        return (table[name] ?? []).flatMap { [$0["value"] as? String, $0["decoded"] as? String].compactMap { $0 } }
    }

    /// What analysing a fixture's bundle should give (`Fixtures/clients/expected.json`).
    public struct Expected: Decodable, Sendable {
        public let verdict: String
        public let topCause: String?
        public let productId: Int?
        /// Independent causes that must all be causes (≥ 0.5), none explaining another.
        public let causes: [String]?
        /// Causes that must not be found at all (near misses).
        public let absent: [String]?
    }

    /// The expectations for every fixture.
    public static func expected() throws -> [String: Expected] {
        try JSONDecoder().decode([String: Expected].self, from: Data(contentsOf: RepoPaths.fixture("clients/expected.json")))
    }
}

/// The built command-line tools, next to the test bundle.
public enum BuiltProducts {
    /// The path of a built executable (`logcollect`, `loganalyze`).
    public static func path(_ name: String) -> String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            RepoPaths.root.appendingPathComponent(".build/debug"),
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url.path }
        }
        return candidates[2].appendingPathComponent(name).path
    }
}
