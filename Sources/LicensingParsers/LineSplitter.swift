import Foundation

/// Splits UTF-8 bytes into lines without making a `String` per line (STYLE: "Lines are bytes").
///
/// Splits on `0x0A` with `memchr` and drops a trailing `0x0D`, so CRLF and LF files read alike.
public enum LineSplitter {
    /// Calls `body` with each line's bytes (no terminator) and its 1-based number.
    ///
    /// The buffer passed to `body` is only valid during the call.
    public static func forEachLine(
        in bytes: UnsafeRawBufferPointer,
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) rethrows {
        let typed = bytes.bindMemory(to: UInt8.self)
        guard let start = typed.baseAddress, typed.count > 0 else { return }
        let end = start + typed.count
        var cursor = start
        var number = 1
        while cursor < end {
            let remaining = end - cursor
            let found = memchr(cursor, 0x0A, remaining)
            let lineEnd = found.map { start + (UnsafeRawPointer($0) - UnsafeRawPointer(start)) } ?? end
            var length = lineEnd - cursor
            if length > 0, cursor[length - 1] == 0x0D { length -= 1 }
            try body(UnsafeBufferPointer(start: cursor, count: length), number)
            number += 1
            cursor = lineEnd + 1
        }
    }

    /// Calls `body` with each line of `data` (UTF-8 bytes) and its 1-based number.
    public static func forEachLine(
        in data: Data, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) rethrows {
        try data.withUnsafeBytes { try forEachLine(in: $0, body) }
    }

    /// Calls `body` with each line of `text` as a `String` and its 1-based number.
    public static func forEachLine(in text: String, _ body: (String, Int) throws -> Void) rethrows {
        var text = text
        try text.withUTF8 { utf8 in
            try forEachLine(in: UnsafeRawBufferPointer(utf8)) { line, number in
                try body(String(decoding: line, as: UTF8.self), number)
            }
        }
    }

    /// The lines of `text`, CRLF or LF.
    public static func lines(of text: String) -> [String] {
        var lines: [String] = []
        forEachLine(in: text) { line, _ in lines.append(line) }
        return lines
    }
}

extension LineSplitter {
    /// Splits bytes that arrive in chunks into lines, each with its line end as it was (what a
    /// copy of a client's file passes on): a line cut by a chunk's end waits for the rest; one
    /// longer than `maxLine` bytes is handed on in pieces, never held whole.
    ///
    /// `LogReader` keeps a split of its own, on purpose (see its `consume`).
    public struct Chunked {
        private var pending: [UInt8] = []
        private let maxLine: Int

        /// A splitter that holds at most about `maxLine` bytes of one line.
        public init(maxLine: Int) { self.maxLine = maxLine }

        /// Calls `body` with each line `bytes` completes, LF included, and with the held part
        /// of a line once it reaches `maxLine` bytes; the buffer is valid only during the call.
        public mutating func feed(_ bytes: UnsafeRawBufferPointer,
                                  _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
            guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            var start = 0
            while start < bytes.count {
                guard let hit = memchr(base + start, 0x0A, bytes.count - start) else {
                    pending.append(contentsOf: UnsafeBufferPointer(start: base + start, count: bytes.count - start))
                    if pending.count >= maxLine { try flush(body) }
                    return
                }
                let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
                if pending.isEmpty {
                    try body(UnsafeBufferPointer(start: base + start, count: end - start))
                } else {
                    pending.append(contentsOf: UnsafeBufferPointer(start: base + start, count: end - start))
                    try flush(body)
                }
                start = end
            }
        }

        /// Calls `body` with the last line when the bytes did not end with LF.
        public mutating func finish(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
            if !pending.isEmpty { try flush(body) }
        }

        private mutating func flush(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
            let line = pending
            pending = []
            try line.withUnsafeBufferPointer { try body($0) }
        }
    }
}

/// ASCII substring search over bytes (the one the collector, the analyser and the parsers share).
public enum ByteSearch {
    /// The ASCII lower case of a byte.
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    /// The index of the first occurrence of `needle` (ASCII; lower case when `caseInsensitive`)
    /// in `haystack` at or after `from`. Exact case: `memchr` to each occurrence of the first
    /// byte, then `memcmp`.
    public static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from: Int = 0,
                            caseInsensitive: Bool = false) -> Int? {
        let count = needle.count
        guard count > 0, from >= 0, haystack.count - from >= count else { return nil }
        guard caseInsensitive else { return findExact(needle, in: haystack, from: from) }
        let first = needle[0]
        var index = from
        let last = haystack.count - count
        while index <= last {
            let byte = caseInsensitive ? lower(haystack[index]) : haystack[index]
            if byte == first, matches(needle, in: haystack, at: index, caseInsensitive: caseInsensitive) {
                return index
            }
            index += 1
        }
        return nil
    }

    private static func findExact(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let base = haystack.baseAddress else { return nil }
        var index = from
        while index + needle.count <= haystack.count {
            guard let hit = memchr(base + index, Int32(needle[0]), haystack.count - index - needle.count + 1)
            else { return nil }
            let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + position, needle, needle.count) == 0 { return position }
            index = position + 1
        }
        return nil
    }

    /// Whether `needle` occurs in `haystack` at `index`.
    @inline(__always)
    static func matches(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, at index: Int,
                        caseInsensitive: Bool) -> Bool {
        guard index >= 0, haystack.count - index >= needle.count else { return false }
        for offset in 0..<needle.count {
            let byte = caseInsensitive ? lower(haystack[index + offset]) : haystack[index + offset]
            if byte != needle[offset] { return false }
        }
        return true
    }

    /// Whether lower-case ASCII `needle` occurs in `haystack` at `index`, ignoring ASCII case.
    @inline(__always)
    static func matches(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>,
                        at index: Int) -> Bool {
        guard index >= 0, haystack.count - index >= needle.count else { return false }
        for offset in 0..<needle.count where lower(haystack[index + offset]) != needle[offset] { return false }
        return true
    }
}
