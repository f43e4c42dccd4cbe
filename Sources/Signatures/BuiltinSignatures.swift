import Foundation

/// The built-in signatures: `signatures.yaml` beside this file, embedded as a string
/// (`Scripts/make-builtin-signatures`) so that a `loganalyze` copied anywhere carries them.
public enum BuiltinSignatures {
    /// What messages and `signatures list` call the built-in file.
    public static let name = "built-in signatures.yaml"

    /// Where the file lives in the repository (for the test that keeps the two alike).
    public static let sourcePath = "Sources/Signatures/signatures.yaml"

    /// The YAML text as embedded.
    public static var yaml: String { text }

    /// The built-in file, read and checked.
    public static func file() throws -> SignatureFile {
        try SignatureFile(text: text, name: name)
    }
}
