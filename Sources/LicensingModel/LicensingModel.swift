/// LicensingModel: the client machine as plain values.
///
/// Everything `logcollect` and `loganalyze` know about a Bentley desktop-licensing client is
/// held in these types: the policy (`Policy`, its ACLs, securables, qualifiers and request),
/// checked-out licenses (`Checkout`), what the service and the CONNECTION Client report
/// (`ProductStatusEntry`, `ConnectClientState`), the machine (`ClientInfo`, `ProcessEntry`,
/// `SystemEvent`), usage records, log entries, the supported-versions table (`VersionTable`)
/// and the client's own decision procedure (`DecisionProcedure`). The types are pure values:
/// `Sendable`, `Equatable`, mostly `Codable`, Foundation only, no I/O. Every fact that came
/// from a file carries a `SourceRef` so a finding can cite it. Parsing lives in
/// `LicensingParsers`; judging lives in `Diagnosis`. See `CLIENT-MODEL.md` for the formats.
import Foundation

/// Where a fact came from: a bundle-relative path and, when known, a 1-based line.
public struct SourceRef: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// The file, relative to the bundle or client root, with `/` separators.
    public var file: String
    /// The 1-based line in `file`, when the format has lines.
    public var line: Int?
    /// The row of a database file, by table and key (`Policy PolicyId=…`), when the file is one.
    public var row: String?

    /// Creates a reference to `file`, optionally at `line` or at a database `row`.
    public init(file: String, line: Int? = nil, row: String? = nil) {
        self.file = file
        self.line = line
        self.row = row
    }

    /// `file:line`, `file (row)`, or just `file`.
    public var description: String {
        if let row { return "\(file) (\(row))" }
        return line.map { "\(file):\($0)" } ?? file
    }

    /// The same file at another line.
    public func at(line: Int?) -> SourceRef { SourceRef(file: file, line: line, row: row) }
}
