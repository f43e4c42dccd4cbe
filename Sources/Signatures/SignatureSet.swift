import Foundation

/// The signatures analysis uses — the built-in file's, then a `--signatures FILE`'s — compiled
/// for matching.
///
/// Per log file, `matcher(forFile:)` gives the signatures that apply to it, compiled into one
/// `SignatureMatcher` (cached by the set of signatures, so a bundle's many logs share a few).
/// Thread-safe: logs are read on threads of their own.
public final class SignatureSet: @unchecked Sendable {
    /// The files read, in order (the built-in one first).
    public let files: [SignatureFile]
    /// Every signature, in file order: a hit's index is its place here.
    public let signatures: [Signature]
    private let lock = NSLock()
    /// `@unchecked Sendable`: guarded by `lock`; matchers themselves are immutable.
    private var matchers: [[Int]: SignatureMatcher] = [:]

    /// The signatures of `files`; ids must be unique across them.
    public init(files: [SignatureFile]) throws {
        var seen: [String: String] = [:]
        for file in files {
            for signature in file.signatures {
                if let other = seen[signature.id] {
                    throw SignatureFileError(file: file.name, line: signature.line,
                                             reason: "id `\(signature.id)` is already used in \(other)")
                }
                seen[signature.id] = file.name
            }
        }
        self.files = files
        signatures = files.flatMap(\.signatures)
    }

    /// The built-in signatures only, read once.
    public static let builtIn = readBuiltIn()

    private static func readBuiltIn() -> SignatureSet {
        // The built-in file's own test (`SignatureTests`) makes sure it reads; should it not,
        // analysis goes on without it rather than stop every bundle.
        (try? SignatureSet(files: [BuiltinSignatures.file()])) ?? SignatureSet(empty: ())
    }

    /// The built-in signatures, then those of the file at `path` (nil: the built-in only).
    /// Throws `SignatureFileError` for a file that cannot be used.
    public static func load(path: String?) throws -> SignatureSet {
        var files = [try BuiltinSignatures.file()]
        if let path { files.append(try SignatureFile.load(path: path)) }
        return try SignatureSet(files: files)
    }

    /// No signatures at all.
    public static let none = SignatureSet(empty: ())

    private init(empty: ()) {
        files = []
        signatures = []
    }

    /// What identifies these signatures in the rules version: the files' names and bytes.
    public var fingerprint: String {
        files.map { "signatures \($0.name == BuiltinSignatures.name ? "builtin" : "file")\n\($0.text)" }
            .joined(separator: "\n")
    }

    /// The matcher of the signatures that apply to the bundle file `path`; nil when none does.
    public func matcher(forFile path: String) -> SignatureMatcher? {
        guard !signatures.isEmpty else { return nil }
        let indices = signatures.indices.filter { FileGlob.matches(signatures[$0].files, path: path) }
        guard !indices.isEmpty else { return nil }
        lock.lock()
        defer { lock.unlock() }
        if let matcher = matchers[indices] { return matcher }
        let matcher = SignatureMatcher(signatures: signatures, indices: indices)
        matchers[indices] = matcher
        return matcher
    }

    /// A matcher of every signature, whatever its files (for a signature's examples).
    public func matcherOfAll() -> SignatureMatcher {
        SignatureMatcher(signatures: signatures, indices: Array(signatures.indices))
    }
}

/// Which files a signature's `files` globs name: `*` any characters but `/`, `**` any, `?` one;
/// ASCII case is ignored (Windows paths). A glob matches the bundle path or any tail of it that
/// starts after a `/`, so `Licensing Service/*.log` names that folder wherever the bundle puts it.
public enum FileGlob {
    /// Whether `globs` (empty: every file) name `path`.
    public static func matches(_ globs: [String], path: String) -> Bool {
        guard !globs.isEmpty else { return true }
        let text = Array(path.lowercased().utf8)
        var starts = [0]
        for (index, byte) in text.enumerated() where byte == UInt8(ascii: "/") { starts.append(index + 1) }
        return globs.contains { glob in
            let pattern = Array(glob.lowercased().utf8)
            return starts.contains { match(pattern[...], text[$0...]) }
        }
    }

    private static func match(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        let slash = UInt8(ascii: "/")
        if first == UInt8(ascii: "*") {
            let double = pattern.dropFirst().first == UInt8(ascii: "*")
            let rest = pattern.dropFirst(double ? 2 : 1)
            var tail = text
            while true {
                if match(rest, tail) { return true }
                guard let next = tail.first, double || next != slash else { return false }
                tail = tail.dropFirst()
            }
        }
        guard let byte = text.first else { return false }
        if first == UInt8(ascii: "?") ? byte == slash : first != byte { return false }
        return match(pattern.dropFirst(), text.dropFirst())
    }
}
