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

/// UTF-16 (either byte order) to UTF-8, chunk by chunk: the one streaming decoder of the package
/// (the log reader's, and the collector's for UTF-16 text it scrubs).
///
/// An odd byte or a high surrogate at the end of a chunk waits for the next one. An unpaired
/// surrogate becomes U+FFFD, as `String(decoding:as: UTF16.self)` has it. Nothing is allocated
/// per chunk when the caller reuses its output array.
public struct UTF16StreamDecoder: Sendable {
    /// Whether the code units are little-endian (`FF FE`; what Windows writes).
    public let littleEndian: Bool
    private var oddByte: UInt8?
    private var highSurrogate: UInt16?

    /// A decoder of little- or big-endian code units (no BOM expected: strip it first).
    public init(littleEndian: Bool = true) {
        self.littleEndian = littleEndian
    }

    /// Whether bytes wait for the next chunk (an odd byte, or half a surrogate pair).
    public var isMidCharacter: Bool { oddByte != nil || highSurrogate != nil }

    /// Appends the UTF-8 of the next bytes to `output`.
    public mutating func decode(_ chunk: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + chunk.count + chunk.count / 2 + 4)
        var index = 0
        if let odd = oddByte, chunk.count > 0 {
            oddByte = nil
            append(unit(odd, chunk[0]), to: &output)
            index = 1
        }
        let count = chunk.count
        while index + 1 < count {
            append(unit(chunk[index], chunk[index + 1]), to: &output)
            index += 2
        }
        if index < count { oddByte = chunk[index] }
    }

    /// The UTF-8 of the next bytes.
    public mutating func decode(_ chunk: UnsafeRawBufferPointer) -> [UInt8] {
        var output: [UInt8] = []
        decode(chunk, into: &output)
        return output
    }

    /// Ends the stream: appends U+FFFD when it ends mid-character (`isMidCharacter`).
    public mutating func finish(into output: inout [UInt8]) {
        if isMidCharacter { output.append(contentsOf: [0xEF, 0xBF, 0xBD]) }
        oddByte = nil
        highSurrogate = nil
    }

    @inline(__always)
    private func unit(_ first: UInt8, _ second: UInt8) -> UInt16 {
        littleEndian ? UInt16(first) | UInt16(second) << 8 : UInt16(first) << 8 | UInt16(second)
    }

    @inline(__always)
    private mutating func append(_ unit: UInt16, to output: inout [UInt8]) {
        if let high = highSurrogate {
            highSurrogate = nil
            if unit & 0xFC00 == 0xDC00 {
                let scalar = 0x10000 + (UInt32(high & 0x3FF) << 10 | UInt32(unit & 0x3FF))
                output.append(UInt8(0xF0 | scalar >> 18))
                output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
                output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                output.append(UInt8(0x80 | scalar & 0x3F))
                return
            }
            output.append(contentsOf: [0xEF, 0xBF, 0xBD])  // a high surrogate without its pair
        }
        switch unit {
        case 0..<0x80:
            output.append(UInt8(unit))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | unit >> 6))
            output.append(UInt8(0x80 | unit & 0x3F))
        case 0xD800..<0xDC00:
            highSurrogate = unit
        case 0xDC00..<0xE000:
            output.append(contentsOf: [0xEF, 0xBF, 0xBD])  // a low surrogate alone
        default:
            output.append(UInt8(0xE0 | unit >> 12))
            output.append(UInt8(0x80 | unit >> 6 & 0x3F))
            output.append(UInt8(0x80 | unit & 0x3F))
        }
    }
}
