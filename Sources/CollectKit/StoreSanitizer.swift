import Foundation
import SQLiteKit

/// Rewrites the values of a private SQLite copy — every table, known or not (tables without
/// rowid too), every text value and every blob — then the caller vacuums it so that no old
/// value survives in a free page. The one way the collector changes a store's values: secret
/// scrubbing (`PolicySource`) and pseudonyms (`--redact`) both go through it.
enum StoreSanitizer {
    /// Applies `transform` to every distinct text value, and to every blob as bytes, of every
    /// table; returns how many distinct values changed.
    static func rewrite(_ database: SQLiteDatabase, text transform: (String) -> String,
                        blob transformBlob: ((Data) -> Data)? = nil) throws -> Int {
        var changed = 0
        for table in try database.tableNames() where !table.lowercased().hasPrefix("sqlite_") {
            let quotedTable = SQLiteDatabase.quote(table)
            for column in try database.columns(of: table) {
                let name = SQLiteDatabase.quote(column)
                let values = try database.rows(
                    "SELECT DISTINCT \(name) FROM \(quotedTable) WHERE typeof(\(name)) IN ('text', 'blob')", limit: 10_000_000)
                for row in values {
                    let replacement: SQLiteValue
                    switch row.values.first {
                    case .text(let text)?:
                        let replaced = transform(text)
                        guard replaced != text else { continue }
                        replacement = .text(replaced)
                    case .blob(let data)?:
                        guard let transformBlob else { continue }
                        let replaced = transformBlob(data)
                        guard replaced != data else { continue }
                        replacement = .blob(replaced)
                    default: continue
                    }
                    try database.execute("UPDATE \(quotedTable) SET \(name) = ? WHERE \(name) = ?",
                                         [replacement, row.values[0]])
                    changed += 1
                }
            }
        }
        return changed
    }

    /// Whether a column or key name names a secret (`SessionToken`, `RefreshToken`, `Password`,
    /// `ApiKey`…), so that its values are secrets whatever they look like.
    static func namesSecret(_ name: String) -> Bool {
        let folded = name.lowercased().filter { $0.isLetter || $0.isNumber }
        return ["token", "secret", "password", "passwd", "accesskey", "apikey", "credential", "cookie", "privatekey"]
            .contains { folded.contains($0) } || folded == "pwd"
    }

    /// Replaces with `redacted` every value a name marks as a secret, which no pattern can
    /// recognise by its look: the values of columns named like one (`Policy.SessionToken`), and
    /// in name/value rows (`Name = 'RefreshToken'`, `Value = …`) the row's other text values
    /// that are not dates. Returns how many values were replaced.
    static func redactNamedSecrets(_ database: SQLiteDatabase, redacted: String, isDate: (String) -> Bool) throws -> Int {
        var changed = 0
        for table in try database.tableNames() where !table.lowercased().hasPrefix("sqlite_") {
            let quotedTable = SQLiteDatabase.quote(table)
            let columns = try database.columns(of: table)
            for column in columns where namesSecret(column) {
                let name = SQLiteDatabase.quote(column)
                try database.execute("UPDATE \(quotedTable) SET \(name) = ? WHERE typeof(\(name)) IN ('text', 'blob') AND \(name) != ?",
                                     [.text(redacted), .text(redacted)])
                changed += try database.rows("SELECT changes() AS n").first?["n"]?.integer.map(Int.init) ?? 0
            }
            for keyColumn in columns where !namesSecret(keyColumn) {
                let key = SQLiteDatabase.quote(keyColumn)
                // A key is a short identifier (`RefreshToken`), not text that mentions one.
                let names = try database.rows(
                    "SELECT DISTINCT \(key) FROM \(quotedTable) WHERE typeof(\(key)) = 'text' AND length(\(key)) <= 64", limit: 100_000)
                    .compactMap { $0.values.first?.text }
                    .filter { name in name.allSatisfy { $0.isLetter || $0.isNumber || "_-.".contains($0) } && namesSecret(name) }
                for secretName in names {
                    for other in columns where other != keyColumn {
                        let name = SQLiteDatabase.quote(other)
                        let values = try database.rows(
                            "SELECT DISTINCT \(name) FROM \(quotedTable) WHERE \(key) = ? AND typeof(\(name)) = 'text'", [.text(secretName)])
                            .compactMap { $0.values.first?.text }.filter { !$0.isEmpty && $0 != redacted && !isDate($0) }
                        for value in values {
                            // A key column of the table's own (unique) cannot take the marker twice: left
                            // to the scrubber and the leak check.
                            guard (try? database.execute("UPDATE \(quotedTable) SET \(name) = ? WHERE \(key) = ? AND \(name) = ?",
                                                         [.text(redacted), .text(secretName), .text(value)])) != nil else { continue }
                            changed += 1
                        }
                    }
                }
            }
        }
        return changed
    }

    /// Applies `transform` to every text value of a private copy, then vacuums it; returns
    /// `["identity": values changed]` (`--redact`).
    static func rewriteText(at url: URL, _ transform: (String) -> String) throws -> [String: Int] {
        let database = try SQLiteDatabase(path: url.path, writable: true)
        let changed = try rewrite(database, text: transform)
        try database.execute("VACUUM")
        return changed > 0 ? ["identity": changed] : [:]
    }
}
