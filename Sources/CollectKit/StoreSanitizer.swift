import Foundation
import SQLiteKit

/// Rewrites the text values of a private SQLite copy, then vacuums it so that no old value
/// survives in a free page.
enum StoreSanitizer {
    /// Applies `transform` to every text value of every table; returns `["identity": rows changed]`.
    static func rewriteText(at url: URL, _ transform: (String) -> String) throws -> [String: Int] {
        let database = try SQLiteDatabase(path: url.path, writable: true)
        var changed = 0
        for table in try database.tableNames() where !table.hasPrefix("sqlite_") {
            let quotedTable = quote(table)
            let columns = try database.columns(of: table)
            for row in try database.rows("SELECT rowid AS rid, * FROM \(quotedTable)", limit: 1_000_000) {
                guard let rowid = row["rid"]?.integer else { continue }
                for column in columns {
                    guard case .text(let text)? = row[column] else { continue }
                    let replaced = transform(text)
                    guard replaced != text else { continue }
                    try database.execute("UPDATE \(quotedTable) SET \(quote(column)) = ? WHERE rowid = ?",
                                         [.text(replaced), .integer(rowid)])
                    changed += 1
                }
            }
        }
        try database.execute("VACUUM")
        return changed > 0 ? ["identity": changed] : [:]
    }

    private static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
