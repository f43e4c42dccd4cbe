import Foundation
import Reporting

/// The `--csv` file, written as the lines come; its format is Reporting's `BatchCSV`.
final class CSVExport {
    /// The file the records go to.
    let file: LineFileWriter

    /// Opens `path` (through `path.partial`) and writes the header.
    init(path: String) throws {
        file = try LineFileWriter(path: path)
        try file.append(Data(BatchCSV.headerRecord.utf8))
    }

    /// Appends the record of one line.
    func add(_ fields: LineFields) throws {
        try file.append(Data(BatchCSV.record(fields).utf8))
    }

    func commit() throws { try file.commit() }
    func discard() { file.discard() }
}
