import Foundation
import LicensingModel

/// An RFC 4180 CSV reader: quoted fields with embedded commas, doubled quotes and line breaks;
/// CRLF or LF; a missing final line break. Never fails: a stray quote is kept as text.
public struct CSVReader: Sequence {
    /// One record with the line it starts on.
    public struct Row: Sendable, Equatable {
        /// The fields, unquoted.
        public var fields: [String]
        /// The 1-based line where the record starts.
        public var line: Int
    }

    private let bytes: [UInt8]
    private let separator: UInt8

    /// A reader over text (decode bytes with `TextDecoding` first).
    public init(text: String, separator: Character = ",") {
        bytes = Array(text.utf8)
        self.separator = separator.asciiValue ?? 0x2C
    }

    /// A reader over bytes in any encoding `TextDecoding` detects.
    public init(data: Data, separator: Character = ",") {
        self.init(text: TextDecoding.string(from: data), separator: separator)
    }

    /// Iterates the records.
    public func makeIterator() -> Iterator { Iterator(bytes: bytes, separator: separator) }

    /// Every record.
    public var rows: [Row] { Array(self) }

    /// Walks the bytes record by record.
    public struct Iterator: IteratorProtocol {
        private let bytes: [UInt8]
        private let separator: UInt8
        private var index = 0
        private var line = 1

        init(bytes: [UInt8], separator: UInt8) {
            self.bytes = bytes
            self.separator = separator
        }

        /// The next record, skipping blank lines; nil at the end.
        public mutating func next() -> Row? {
            while index < bytes.count {
                let start = line
                let fields = readRecord()
                if fields.count == 1, fields[0].isEmpty { continue }
                return Row(fields: fields, line: start)
            }
            return nil
        }

        private mutating func readRecord() -> [String] {
            var fields: [String] = []
            var field: [UInt8] = []
            var quoted = false
            var atFieldStart = true
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if quoted {
                    if byte == 0x22 {
                        if index < bytes.count, bytes[index] == 0x22 {
                            field.append(0x22)
                            index += 1
                        } else {
                            quoted = false
                        }
                    } else {
                        if byte == 0x0A { line += 1 }
                        field.append(byte)
                    }
                    continue
                }
                switch byte {
                case 0x22 where atFieldStart:
                    quoted = true
                    atFieldStart = false
                case separator:
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                    atFieldStart = true
                case 0x0A:
                    line += 1
                    if field.last == 0x0D { field.removeLast() }
                    fields.append(String(decoding: field, as: UTF8.self))
                    return fields
                default:
                    field.append(byte)
                    atFieldStart = false
                }
            }
            if field.last == 0x0D { field.removeLast() }
            fields.append(String(decoding: field, as: UTF8.self))
            return fields
        }
    }
}

/// A CSV table read by header name.
struct CSVTable {
    let header: [String]
    let rows: [CSVReader.Row]
    private let columns: [String: Int]

    init?(_ reader: CSVReader) {
        var iterator = reader.makeIterator()
        guard let first = iterator.next() else { return nil }
        header = first.fields.map { $0.trimmed() }
        var rows: [CSVReader.Row] = []
        while let row = iterator.next() { rows.append(row) }
        self.rows = rows
        var columns: [String: Int] = [:]
        for (position, name) in header.enumerated() where columns[name.lowercased()] == nil {
            columns[name.lowercased()] = position
        }
        self.columns = columns
    }

    /// The column index of a header name, case-insensitively.
    func column(_ name: String) -> Int? { columns[name.lowercased()] }

    /// A field of `row` by header name; nil when the column or the field is missing or empty.
    func field(_ row: CSVReader.Row, _ name: String) -> String? {
        guard let position = column(name), position < row.fields.count else { return nil }
        let value = row.fields[position]
        return value.isEmpty ? nil : value
    }
}
