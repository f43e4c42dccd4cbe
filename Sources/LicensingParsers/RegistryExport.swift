import Foundation
import LicensingModel

/// One value of a registry key, as `reg export` writes it.
public struct RegistryValue: Sendable, Equatable {
    /// The registry type of a value.
    public enum Kind: Sendable, Equatable {
        /// `"Name"="text"` (REG_SZ).
        case string
        /// `dword:0000000a` (REG_DWORD).
        case dword
        /// `hex(b):` (REG_QWORD).
        case qword
        /// `hex(2):` (REG_EXPAND_SZ, UTF-16LE).
        case expandString
        /// `hex(7):` (REG_MULTI_SZ, UTF-16LE, NUL-separated).
        case multiString
        /// `hex:` (REG_BINARY).
        case binary
        /// `hex(n):` of any other type `n`.
        case other(Int)
        /// `"Name"=-`: the value is deleted.
        case delete
    }

    /// What a value holds.
    public enum Content: Sendable, Equatable {
        /// Text (string and expandable string).
        case text(String)
        /// Several texts (multi-string).
        case texts([String])
        /// A number (dword, qword).
        case number(UInt64)
        /// Raw bytes (binary and other types).
        case bytes([UInt8])
        /// Nothing (a deletion).
        case none
    }

    /// The value's name; `""` for the default value (`@`).
    public var name: String
    /// The registry type.
    public var kind: Kind
    /// The decoded content.
    public var data: Content
    /// The 1-based line where the value starts in its file.
    public var line: Int

    /// Creates a value.
    public init(name: String, kind: Kind, data: Content, line: Int = 0) {
        self.name = name
        self.kind = kind
        self.data = data
        self.line = line
    }

    /// The value as text: strings as they are, multi-strings joined by `"\n"`, numbers in
    /// decimal; nil for bytes and deletions.
    public var text: String? {
        switch data {
        case .text(let text): text
        case .texts(let texts): texts.joined(separator: "\n")
        case .number(let number): String(number)
        case .bytes, .none: nil
        }
    }

    /// The value as a number: dword/qword, or a string of decimal digits.
    public var number: Int? {
        switch data {
        case .number(let number): Int(exactly: number)
        case .text(let text): Int(text.trimmed())
        default: nil
        }
    }
}

/// One `[HKEY_…\path]` section.
public struct RegistryKey: Sendable, Equatable {
    /// The full path as written, e.g. `HKEY_LOCAL_MACHINE\SOFTWARE\Bentley\LicenseService\Install`.
    public var path: String
    /// The values in file order.
    public var values: [RegistryValue]
    /// The 1-based line of the `[…]` header.
    public var line: Int
    /// `[-path]`: the key is deleted.
    public var isDeletion: Bool

    /// Creates a key.
    public init(path: String, values: [RegistryValue] = [], line: Int = 0, isDeletion: Bool = false) {
        self.path = path
        self.values = values
        self.line = line
        self.isDeletion = isDeletion
    }

    /// A value by name, case-insensitively; `""` or `"@"` for the default value.
    public func value(_ name: String) -> RegistryValue? {
        let wanted = name == "@" ? "" : name.lowercased()
        return values.first { $0.name.lowercased() == wanted }
    }
}

/// A parsed `reg export` file: keys with their values, looked up case-insensitively.
public struct RegistryExport: Sendable, Equatable {
    /// The file it was read from (bundle-relative), for evidence.
    public var file: String
    /// The keys in file order.
    public private(set) var keys: [RegistryKey]
    private var index: [String: Int]

    /// Creates an export from keys.
    public init(file: String, keys: [RegistryKey]) {
        self.file = file
        self.keys = keys
        var index: [String: Int] = [:]
        for (position, key) in keys.enumerated() where index[Self.normalized(key.path)] == nil {
            index[Self.normalized(key.path)] = position
        }
        self.index = index
    }

    /// A key by path, case-insensitively; `HKLM\…`, `HKCU\…` abbreviations are accepted.
    public func key(_ path: String) -> RegistryKey? {
        index[Self.normalized(path)].map { keys[$0] }
    }

    /// A value by key path and value name, both case-insensitively.
    public func value(key path: String, name: String) -> RegistryValue? {
        key(path)?.value(name)
    }

    /// The keys directly below `path` (one level down), e.g. each `Uninstall\{…}`.
    public func subkeys(of path: String) -> [RegistryKey] {
        let parent = Self.normalized(path) + "\\"
        return keys.filter {
            let candidate = Self.normalized($0.path)
            return candidate.hasPrefix(parent) && !candidate.dropFirst(parent.count).contains("\\")
        }
    }

    /// Only the keys that match `patterns`: a key path matches itself; a path ending in `\*`
    /// matches the keys directly below it. Comparison is case-insensitive.
    public func filtered(keepingKeys patterns: [String]) -> RegistryExport {
        let exact = Set(patterns.filter { !$0.hasSuffix("\\*") }.map(Self.normalized))
        let parents = patterns.filter { $0.hasSuffix("\\*") }.map { Self.normalized(String($0.dropLast(2))) + "\\" }
        let kept = keys.filter { key in
            let path = Self.normalized(key.path)
            if exact.contains(path) { return true }
            return parents.contains { path.hasPrefix($0) && !path.dropFirst($0.count).contains("\\") }
        }
        return RegistryExport(file: file, keys: kept)
    }

    /// The same export without the keys `isIncluded` rejects.
    public func filter(_ isIncluded: (RegistryKey) -> Bool) -> RegistryExport {
        RegistryExport(file: file, keys: keys.filter(isIncluded))
    }

    /// The hives' short names, as `reg` accepts them.
    static let abbreviations = [
        "HKLM": "HKEY_LOCAL_MACHINE", "HKCU": "HKEY_CURRENT_USER", "HKCR": "HKEY_CLASSES_ROOT",
        "HKU": "HKEY_USERS", "HKCC": "HKEY_CURRENT_CONFIG",
    ]

    /// A key path with its hive's short name (`HKLM\SOFTWARE\…`), as people write it.
    public static func abbreviated(_ path: String) -> String {
        let hiveEnd = path.firstIndex(of: "\\") ?? path.endIndex
        let hive = path[..<hiveEnd].uppercased()
        guard let short = abbreviations.first(where: { $0.value == hive })?.key else { return path }
        return short + path[hiveEnd...]
    }

    /// A key path in canonical form: full hive name, lower case, no trailing backslash.
    public static func normalized(_ path: String) -> String {
        var text = path.trimmed(CharacterSet(charactersIn: "[] \t\\"))
        let hiveEnd = text.firstIndex(of: "\\") ?? text.endIndex
        if let full = abbreviations[text[..<hiveEnd].uppercased()] {
            text = full + text[hiveEnd...]
        }
        return text.lowercased()
    }
}
