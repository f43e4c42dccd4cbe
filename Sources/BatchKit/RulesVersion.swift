import AnalyzeKit
import Crypto
import Diagnosis
import Foundation
import LicensingModel
import Reporting
import Signatures

/// The version of the judgement a stored line came from; the index reuses a line only when its
/// bundle's SHA-256 **and** this version match.
///
/// It hashes the rule documentation (`RuleCatalog.markdown()`: every rule's code, wording,
/// needs, ranking, weights and examples), the analyser's and the contract's versions, the
/// versions table and the signature files (the built-in one and a `--signatures FILE`, by their
/// bytes), so a changed rule, weight, table or signature invalidates every stored line: any
/// bundle could be judged differently then. A change to a rule's code alone that changes none
/// of these must bump `SuiteVersion.current`.
public enum RulesVersion {
    /// The version of the built-in rules, versions table and signatures.
    public static let current = of(versions: .default)

    /// The version with a replaced versions table (`--versions FILE`) or more signatures
    /// (`--signatures FILE`).
    public static func of(versions: VersionTableFingerprint, signatures: SignatureSet = .builtIn) -> String {
        var hasher = SHA256()
        hasher.update(data: Data(RuleCatalog.markdown().utf8))
        hasher.update(data: Data("\nanalyzer \(SuiteVersion.current) schema \(Report.currentSchemaVersion)\n".utf8))
        hasher.update(data: Data(versions.text.utf8))
        hasher.update(data: Data("\n".utf8))
        hasher.update(data: Data(signatures.fingerprint.utf8))
        return hasher.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}

/// What identifies a versions table in the rules version: the bytes of its file, or `builtin`.
public struct VersionTableFingerprint: Sendable {
    let text: String

    /// The built-in table.
    public static let `default` = VersionTableFingerprint(text: "versions builtin")

    /// A table read from a file with these bytes.
    public static func file(_ data: Data) -> VersionTableFingerprint {
        VersionTableFingerprint(text: "versions " + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())
    }
}
