import Foundation
import LicensingModel

/// Reads `tasklist /v /fo csv` output (any encoding Windows writes it in).
public enum TasklistParser {
    /// The processes, by the English header names, else by column position.
    public static func parse(_ data: Data, file: String) throws -> [ProcessEntry] {
        guard let table = CSVTable(CSVReader(data: data)) else {
            throw ParseError(.empty, file: file, "the process list is empty")
        }
        let english = table.column("Image Name") != nil
        guard english || table.header.count >= 2 else {
            throw ParseError(.unrecognized, file: file, line: 1, "not a tasklist CSV: the header has one column")
        }
        func field(_ row: CSVReader.Row, _ name: String, _ position: Int) -> String? {
            if english { return table.field(row, name) }
            return position < row.fields.count && !row.fields[position].isEmpty ? row.fields[position] : nil
        }
        return table.rows.compactMap { row in
            guard let image = field(row, "Image Name", 0) else { return nil }
            let pid = field(row, "PID", 1).flatMap { Int($0.trimmed()) }
            let title = field(row, "Window Title", 8)
            return ProcessEntry(
                imageName: image, pid: pid, sessionName: field(row, "Session Name", 2),
                user: field(row, "User Name", 6).flatMap { $0 == "N/A" ? nil : $0 },
                windowTitle: title == "N/A" ? nil : title, source: SourceRef(file: file, line: row.line))
        }
    }
}
