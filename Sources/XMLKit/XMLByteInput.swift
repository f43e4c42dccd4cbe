import Foundation
internal import CLibXML2

/// The bytes a reader consumes: a document in memory or a file read in chunks, optionally
/// wrapped in a synthetic root element so that concatenated elements parse as one document.
///
/// For the wrapped form an XML declaration at the start is dropped (it may not follow the
/// synthetic root), and UTF-16 input is transcoded to UTF-8 (the root is written in UTF-8).
final class XMLByteInput {
    static let rootOpen = Array("<xmlkit-fragments>".utf8)
    static let rootClose = Array("</xmlkit-fragments>".utf8)

    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var source: (() -> [UInt8]?)?
    private let wrap: Bool
    private var started = false
    private var transcoder: UTF16Transcoder?

    init(data: Data, wrapInRoot: Bool) {
        wrap = wrapInRoot
        var consumed = false
        source = {
            if consumed { return nil }
            consumed = true
            return [UInt8](data)
        }
    }

    init(file: FileHandle, wrapInRoot: Bool) {
        wrap = wrapInRoot
        source = {
            let chunk = file.readData(ofLength: 256 * 1024)
            if chunk.isEmpty {
                try? file.close()
                return nil
            }
            return [UInt8](chunk)
        }
    }

    /// Fills `buffer` with up to `capacity` bytes; returns 0 at the end.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        while pendingOffset >= pending.count {
            guard refill() else { return 0 }
        }
        let count = min(capacity, pending.count - pendingOffset)
        pending.withUnsafeBufferPointer { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(
                from: bytes.baseAddress! + pendingOffset, byteCount: count)
        }
        pendingOffset += count
        return count
    }

    private func refill() -> Bool {
        pending = []
        pendingOffset = 0
        guard let next = source else { return false }
        if let chunk = next() {
            pending = wrap ? prepare(chunk) : chunk
            return true
        }
        source = nil
        if wrap { pending = (transcoder?.flush() ?? []) + (started ? [] : Self.rootOpen) + Self.rootClose }
        started = true
        return !pending.isEmpty
    }

    private func prepare(_ chunk: [UInt8]) -> [UInt8] {
        var bytes = chunk[...]
        var prefix: [UInt8] = []
        if !started {
            started = true
            if bytes.starts(with: [0xFF, 0xFE]) {
                transcoder = UTF16Transcoder(littleEndian: true); bytes = bytes.dropFirst(2)
            } else if bytes.starts(with: [0xFE, 0xFF]) {
                transcoder = UTF16Transcoder(littleEndian: false); bytes = bytes.dropFirst(2)
            } else if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                bytes = bytes.dropFirst(3)
            }
            prefix = Self.rootOpen
        }
        var utf8 = Array(bytes)
        if var utf16 = transcoder {
            utf8 = utf16.transcode(bytes)
            transcoder = utf16
        }
        if !prefix.isEmpty { utf8 = Self.droppingDeclaration(utf8) }
        return prefix + utf8
    }

    /// Drops a leading `<?xml …?>` (after optional whitespace), which may not follow an element.
    static func droppingDeclaration(_ bytes: [UInt8]) -> [UInt8] {
        var index = 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        guard bytes[index...].starts(with: Array("<?xml".utf8)) else { return bytes }
        var end = index + 5
        while end + 1 < bytes.count {
            if bytes[end] == UInt8(ascii: "?") && bytes[end + 1] == UInt8(ascii: ">") {
                return Array(bytes[(end + 2)...])
            }
            end += 1
        }
        return bytes
    }
}

/// UTF-16 to UTF-8 across chunk boundaries (an odd byte or a lone high surrogate waits).
struct UTF16Transcoder {
    let littleEndian: Bool
    private var carry: [UInt8] = []

    init(littleEndian: Bool) { self.littleEndian = littleEndian }

    mutating func transcode(_ chunk: ArraySlice<UInt8>) -> [UInt8] {
        let bytes = carry + chunk
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = 0
        while index + 1 < bytes.count {
            let a = UInt16(bytes[index]), b = UInt16(bytes[index + 1])
            units.append(littleEndian ? a | b << 8 : a << 8 | b)
            index += 2
        }
        var keep = Array(bytes[index...])
        if let last = units.last, (0xD800...0xDBFF).contains(last) {
            units.removeLast()
            keep = (littleEndian ? [UInt8(last & 0xFF), UInt8(last >> 8)] : [UInt8(last >> 8), UInt8(last & 0xFF)]) + keep
        }
        carry = keep
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }

    mutating func flush() -> [UInt8] {
        defer { carry = [] }
        return carry.isEmpty ? [] : Array("\u{FFFD}".utf8)
    }
}

let xmlByteInputRead: xmlInputReadCallback = { context, buffer, length in
    guard let context, let buffer, length > 0 else { return 0 }
    let input = Unmanaged<XMLByteInput>.fromOpaque(context).takeUnretainedValue()
    return Int32(input.read(into: buffer, capacity: Int(length)))
}
