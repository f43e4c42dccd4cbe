import Foundation

/// The text encodings Windows tools write.
public enum TextEncoding: String, Sendable, Equatable {
    /// UTF-8, with or without a BOM.
    case utf8
    /// UTF-16 little-endian (`reg export`, PowerShell `>`), with or without a BOM.
    case utf16LE
    /// UTF-16 big-endian, with a BOM.
    case utf16BE
}

/// Bytes → text, detecting the encoding; invalid sequences become U+FFFD, never an error.
public enum TextDecoding {
    /// The encoding of `bytes` and the length of its byte-order mark.
    ///
    /// BOMs decide (`EF BB BF`, `FF FE`, `FE FF`). Without one, text whose odd bytes are
    /// mostly NUL is taken for UTF-16LE (and even bytes for UTF-16BE); anything else is UTF-8.
    public static func detect(_ bytes: UnsafeRawBufferPointer) -> (encoding: TextEncoding, bomLength: Int) {
        let count = bytes.count
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return (.utf8, 3) }
        if count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return (.utf16LE, 2) }
        if count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return (.utf16BE, 2) }
        let sample = min(count, 4096) & ~1
        guard sample >= 4 else { return (.utf8, 0) }
        var evenNul = 0
        var oddNul = 0
        var index = 0
        while index < sample {
            if bytes[index] == 0 { evenNul += 1 }
            if bytes[index + 1] == 0 { oddNul += 1 }
            index += 2
        }
        let pairs = sample / 2
        if oddNul * 10 >= pairs * 3, evenNul * 20 < pairs { return (.utf16LE, 0) }
        if evenNul * 10 >= pairs * 3, oddNul * 20 < pairs { return (.utf16BE, 0) }
        return (.utf8, 0)
    }

    /// The encoding of `data` and the length of its byte-order mark.
    public static func detect(_ data: Data) -> (encoding: TextEncoding, bomLength: Int) {
        data.withUnsafeBytes { detect($0) }
    }

    /// The text of `data` in whatever encoding it was written, without the BOM.
    public static func string(from data: Data) -> String {
        data.withUnsafeBytes { raw in
            let (encoding, bom) = detect(raw)
            let body = UnsafeRawBufferPointer(rebasing: raw[bom...])
            switch encoding {
            case .utf8: return String(decoding: body.bindMemory(to: UInt8.self), as: UTF8.self)
            case .utf16LE, .utf16BE:
                let units = codeUnits(body, littleEndian: encoding == .utf16LE)
                return units.withUnsafeBufferPointer { String(decoding: $0, as: UTF16.self) }
            }
        }
    }

    /// `data` as UTF-8 without a BOM: unchanged when it already is UTF-8, transcoded otherwise.
    public static func utf8Data(from data: Data) -> Data {
        let (encoding, bom) = detect(data)
        switch encoding {
        case .utf8: return bom == 0 ? data : data.dropFirst(bom)
        case .utf16LE, .utf16BE: return Data(string(from: data).utf8)
        }
    }

    /// UTF-16 code units from bytes; a trailing odd byte is dropped.
    static func codeUnits(_ bytes: UnsafeRawBufferPointer, littleEndian: Bool) -> [UInt16] {
        let count = bytes.count / 2
        return [UInt16](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                let first = UInt16(bytes[2 * index])
                let second = UInt16(bytes[2 * index + 1])
                buffer[index] = littleEndian ? first | second << 8 : first << 8 | second
            }
            initialized = count
        }
    }

    /// Encodes text as UTF-16LE with a BOM (what `reg export` writes).
    public static func utf16LEWithBOM(_ text: String) -> Data {
        var data = Data([0xFF, 0xFE])
        data.reserveCapacity(2 + text.utf16.count * 2)
        for unit in text.utf16 {
            data.append(UInt8(truncatingIfNeeded: unit))
            data.append(UInt8(truncatingIfNeeded: unit >> 8))
        }
        return data
    }

    /// The 1-based number of the first line of `data` (UTF-8) that contains `needle`.
    ///
    /// For citing evidence in a pretty-printed file: `"UsageCountryISO"` → line 41.
    public static func lineNumber(containing needle: String, in data: Data) -> Int? {
        let target = Array(needle.utf8)
        guard !target.isEmpty else { return nil }
        var found: Int?
        LineSplitter.forEachLine(in: data) { line, number in
            guard found == nil, line.count >= target.count else { return }
            if ByteSearch.find(target, in: line, caseInsensitive: false) != nil { found = number }
        }
        return found
    }
}
