import Foundation
import LicensingParsers
import Platform

/// What console commands print: their first error line, and output in a code page turned
/// into UTF-8 — read in chunks, so that a large output costs no memory.
enum ConsoleText {
    /// How much is read at once: small enough to come from the heap, not a mapping of its own.
    static let chunk = 64 << 10

    /// The first non-empty line of a (small) output file, trimmed and at most 300 characters;
    /// nil when there is none.
    static func firstLine(of url: URL) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 64 << 10)).flatMap(firstLine(in:))
    }

    /// The first non-empty line of what a command printed, trimmed and at most 300 characters;
    /// nil when there is none.
    static func firstLine(in data: Data) -> String? {
        guard !data.isEmpty else { return nil }
        let text = decode(data)
        let line = LineSplitter.lines(of: text).lazy.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.first { !$0.isEmpty }
        return line.map { $0.count > 300 ? String($0.prefix(300)) + "…" : $0 }
    }

    /// Text in whatever a console command wrote: UTF-16 or UTF-8 (BOM or valid), else the
    /// console's code page.
    static func decode(_ data: Data) -> String {
        let (encoding, _) = TextDecoding.detect(data)
        if encoding != .utf8 || isUTF8(data) { return TextDecoding.string(from: data) }
        return data.withUnsafeBytes { CodePage.decode($0, codePage: CodePage.consoleOutput) } ?? TextDecoding.string(from: data)
    }

    /// Rewrites `url` in UTF-8 when it is neither UTF-8 nor UTF-16: returns the code page it was
    /// converted from, nil when it was left alone. Chunks are cut where the code page's
    /// characters are whole (every byte is one in the single-byte code pages consoles use).
    static func convertToUTF8(_ url: URL, codePage: UInt32, scratch: URL) throws -> UInt32? {
        guard try isInCodePage(url, codePage: codePage) else { return nil }
        let converted = scratch.appending(path: UUID().uuidString, directoryHint: .notDirectory)
        let output = try WritableFile(path: converted.path)
        try ReadOnlyFile(path: url.path).forEachChunk(size: chunk) { data in
            var text = CodePage.decode(data, codePage: codePage) ?? String(decoding: data, as: UTF8.self)
            try text.withUTF8 { try output.write(UnsafeRawBufferPointer($0)) }
        }
        output.close()
        // Both files are closed by now: Windows renames over no file that is open.
        try FileSystem.rename(converted.path, to: url.path)
        return codePage
    }

    /// True when `url` is neither UTF-8 nor UTF-16 and its start decodes in `codePage`.
    private static func isInCodePage(_ url: URL, codePage: UInt32) throws -> Bool {
        let input = try ReadOnlyFile(path: url.path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 1)
        defer { buffer.deallocate() }
        let first = Data(buffer.prefix(try input.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<4096]), at: 0)))
        guard TextDecoding.detect(first).encoding == .utf8 else { return false }
        // Valid UTF-8 throughout? A sequence cut at a chunk's end continues in the next: the
        // carry is that cut character's bytes (no line splitting here).
        var joined: [UInt8] = []
        var carry: [UInt8] = []
        var valid = true
        while valid, case let count = try input.read(into: buffer), count > 0 {
            joined.removeAll(keepingCapacity: true)
            joined.append(contentsOf: carry)
            joined.append(contentsOf: buffer[..<count])
            let whole = joined.count - incompleteTail(joined)
            valid = String(validating: joined[..<whole], as: UTF8.self) != nil
            carry = Array(joined[whole...])
        }
        if valid && carry.count <= 3 { return false }  // a tail cut by an output bound is still UTF-8
        return first.withUnsafeBytes { CodePage.decode($0, codePage: codePage) } != nil
    }

    /// UTF-8 without a BOM, but for a sequence the end cuts short.
    static func isUTF8(_ data: Data) -> Bool {
        String(validating: data.prefix(data.count - incompleteTail(data)), as: UTF8.self) != nil
    }

    /// How many bytes at the end begin a UTF-8 sequence that is not complete (0 to 3).
    static func incompleteTail<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> Int {
        guard !bytes.isEmpty else { return 0 }
        for back in 1...min(3, bytes.count) {
            let byte = bytes[bytes.index(bytes.endIndex, offsetBy: -back)]
            if byte & 0xC0 == 0x80 { continue }  // a continuation byte: look further back
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return length > back ? back : 0
        }
        return 0
    }
}

/// The registry keys of CLIENT-MODEL §6 that `reg export` is asked for, and the merge of its
/// exports into one file per hive, as a client root's `.system/registry/` has it.
enum RegistryExportMerge {
    /// The keys of `RegistryKeys.relevant` in `hive`, in order; a `\*` pattern asks for its
    /// parent (`reg export` includes the subkeys; the client source keeps what it needs).
    static func keys(of hive: RegistryHive) -> [String] {
        let prefix = hive == .localMachine ? #"HKEY_LOCAL_MACHINE\"# : #"HKEY_CURRENT_USER\"#
        var seen: Set<String> = []
        return RegistryKeys.relevant
            .map { $0.hasSuffix(#"\*"#) ? String($0.dropLast(2)) : $0 }
            .filter { $0.hasPrefix(prefix) && seen.insert($0.lowercased()).inserted }
    }

    /// Writes one UTF-16LE export with a BOM: the version line, then every part's keys in turn
    /// (each part without its own version line), streamed.
    static func merge(_ parts: [URL], into target: URL) throws {
        let output = try WritableFile(path: target.path)
        func write(_ data: Data) throws { try data.withUnsafeBytes { try output.write($0) } }
        try write(TextDecoding.utf16LEWithBOM("Windows Registry Editor Version 5.00\r\n"))
        let lineEnd: [UInt8] = [0x0D, 0x00, 0x0A, 0x00]
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 2)
        defer { buffer.deallocate() }
        for part in parts {
            let input = try ReadOnlyFile(path: part.path)
            let head = Data(buffer.prefix(try input.read(into: buffer)))  // (a regular file: a whole buffer, unless shorter)
            guard TextDecoding.detect(head) == (.utf16LE, 2) else {
                // Not as `reg export` writes it: convert the whole (bounded) part.
                let text = TextDecoding.string(from: try input.readAll(limit: .max))
                let body = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first ?? ""
                try write(TextDecoding.utf16LEWithBOM("\r\n" + body).dropFirst(2))
                continue
            }
            // Skip the BOM and the version line: up to the first LF code unit; then copy the rest.
            var offset = 2
            while offset + 1 < head.count, !(head[offset] == 0x0A && head[offset + 1] == 0x00) { offset += 2 }
            var last: [UInt8] = []
            func copy(_ bytes: UnsafeRawBufferPointer) throws {
                try output.write(bytes)
                last = Array((last + bytes.suffix(4)).suffix(4))
            }
            try head.dropFirst(min(offset + 2, head.count)).withUnsafeBytes(copy)
            try input.forEachChunk(size: ConsoleText.chunk, copy)
            if last != lineEnd { try write(Data(lineEnd)) }
        }
        output.close()
    }
}
