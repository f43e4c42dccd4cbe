import Foundation
import TestSupport

// The stand-ins are /bin/sh scripts and the checks read /proc: Linux (and macOS) tests.
#if !os(Windows)

/// Stand-ins for `reg`, `tasklist` and `wevtutil`: small shell scripts in a folder of their own
/// that replay recorded Windows output (a client root's `.system/` files), put first on the
/// `PATH` handed to the collector (the test process's own environment is never changed).
struct StandIns {
    let directory: TemporaryDirectory
    /// The folder of the scripts.
    var bin: URL { directory.url.appendingPathComponent("bin") }
    /// Where the replayed output is kept.
    var replay: URL { directory.url.appendingPathComponent("replay") }

    /// An empty folder of stand-ins (none installed yet).
    init() throws {
        directory = try TemporaryDirectory("live-standins")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: replay, withIntermediateDirectories: true)
    }

    /// Stand-ins replaying `root`'s `.system/` files: `reg export KEY FILE /y` writes KEY's sections
    /// (and its subkeys') of the recorded hive export, or says the key does not exist and exits 1
    /// as `reg` does; `tasklist` prints the recorded CSV; `wevtutil qe LOG …` the recorded events.
    static func replaying(_ root: URL) throws -> StandIns {
        let standIns = try StandIns()
        let system = root.appendingPathComponent(".system")
        let exports = standIns.replay.appendingPathComponent("reg")
        try FileManager.default.createDirectory(at: exports, withIntermediateDirectories: true)
        for hive in ["HKLM", "HKCU"] {
            guard let data = try? Data(contentsOf: system.appendingPathComponent("registry/\(hive).reg")) else { continue }
            for (key, export) in perKeyExports(data) {
                try export.write(to: exports.appendingPathComponent(fileName(forKey: key)))
            }
        }
        // One process per call (the shell execs cat), as cheap as a stand-in can be.
        try standIns.install("reg", """
            [ "$1" = export ] || { echo "ERROR: Invalid syntax." >&2; exit 1; }
            [ -f "\(exports.path)/$2.reg" ] && exec cat "\(exports.path)/$2.reg" > "$3"
            echo "ERROR: The system was unable to find the specified registry key or value." >&2
            exit 1
            """)
        try standIns.install("tasklist", #"exec cat "\#(system.path)/tasklist.csv""#)
        try standIns.install("wevtutil", #"[ "$1" = qe ] && exec cat "\#(system.path)/events/$2.xml""#)
        return standIns
    }

    /// Installs (or replaces) the stand-in `name` running `body` under `/bin/sh`.
    func install(_ name: String, _ body: String) throws {
        let url = bin.appendingPathComponent(name)
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    /// Installs a `wevtutil` that is refused access: its own error line, exit status 5.
    func installRefusedWevtutil() throws {
        try install("wevtutil", """
            echo "Failed to read events. Access is denied." >&2
            exit 5
            """)
    }

    /// Removes the stand-in `name` (as if the command were not on `PATH`).
    func uninstall(_ name: String) throws { try FileManager.default.removeItem(at: bin.appendingPathComponent(name)) }

    /// The environment the collector runs its commands with: the stand-ins first on `PATH`.
    var environment: [String: String] { ["PATH": "\(bin.path):/usr/bin:/bin", "LC_ALL": "C"] }

    func remove() { directory.remove() }

    /// The file the `reg` stand-in replays for a key: the key as the recording spells it (a
    /// backslash is an ordinary character in a Linux file name).
    static func fileName(forKey key: String) -> String { key + ".reg" }

    /// What `reg export` writes for every key of a recorded export and every key above one: the
    /// key's section and its subkeys' (UTF-16LE, BOM, CRLF), keyed by path.
    static func perKeyExports(_ data: Data) -> [String: Data] {
        let text = String(decoding: data.dropFirst(2).withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) }, as: UTF16.self)
        var sections: [(key: String, lines: [String])] = []
        for line in text.components(separatedBy: "\r\n") {
            if line.hasPrefix("[") && line.hasSuffix("]") {
                sections.append((String(line.dropFirst().dropLast()), [line]))
            } else if !sections.isEmpty {
                sections[sections.count - 1].lines.append(line)
            }
        }
        var keys: Set<String> = []
        for section in sections {
            var parts = section.key.split(separator: "\\").map(String.init)
            while !parts.isEmpty {
                keys.insert(parts.joined(separator: "\\"))
                parts.removeLast()
            }
        }
        var exports: [String: Data] = [:]
        for key in keys {
            let below = sections.filter { $0.key.lowercased() == key.lowercased() || $0.key.lowercased().hasPrefix(key.lowercased() + "\\") }
            var body = "Windows Registry Editor Version 5.00\r\n\r\n"
            for section in below {
                var lines = section.lines
                while lines.last == "" { lines.removeLast() }
                body += lines.joined(separator: "\r\n") + "\r\n\r\n"
            }
            exports[key] = Data([0xFF, 0xFE]) + Data(body.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        }
        return exports
    }
}
#endif
