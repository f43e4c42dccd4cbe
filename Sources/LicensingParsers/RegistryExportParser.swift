import Foundation
import LicensingModel

/// Reads `reg export` files (CLIENT-MODEL §6): UTF-16LE with a BOM as Windows writes them, or
/// UTF-8 / UTF-16BE as copies sometimes are; CRLF or LF.
public enum RegistryExportParser {
    /// The keys and values of `data`; unreadable values are skipped and listed as warnings.
    public static func parse(_ data: Data, file: String) throws -> Parsed<RegistryExport> {
        let text = TextDecoding.string(from: data)
        var keys: [RegistryKey] = []
        var warnings: [ParseError] = []
        var sawHeader = false
        var pending: (text: String, line: Int)?

        func finish(_ logical: String, line: Int) {
            if logical.hasPrefix("[") {
                guard let close = logical.lastIndex(of: "]") else {
                    warnings.append(ParseError(.unrecognized, file: file, line: line, "a key header without ]"))
                    return
                }
                var path = String(logical[logical.index(after: logical.startIndex)..<close])
                let deletion = path.hasPrefix("-")
                if deletion { path.removeFirst() }
                keys.append(RegistryKey(path: path, line: line, isDeletion: deletion))
                return
            }
            guard !keys.isEmpty else {
                warnings.append(ParseError(.unrecognized, file: file, line: line, "a value before any [key]"))
                return
            }
            do {
                keys[keys.count - 1].values.append(try value(logical, line: line, file: file))
            } catch let error as ParseError {
                warnings.append(error)
            } catch {
                warnings.append(ParseError(.unrecognized, file: file, line: line, "\(error)"))
            }
        }

        LineSplitter.forEachLine(in: text) { rawLine, number in
            if var open = pending {
                let piece = rawLine.trimmed()
                open.text += piece
                if piece.hasSuffix("\\") {
                    open.text.removeLast()
                    pending = open
                } else {
                    pending = nil
                    finish(open.text, line: open.line)
                }
                return
            }
            let line = rawLine.trimmed()
            if line.isEmpty || line.hasPrefix(";") { return }
            if line.hasPrefix("Windows Registry Editor") || line == "REGEDIT4" {
                sawHeader = true
                return
            }
            if line.hasSuffix("\\"), isHexValue(line) {
                pending = (String(line.dropLast()), number)
                return
            }
            finish(line, line: number)
        }
        if let open = pending { finish(open.text, line: open.line) }
        guard sawHeader || !keys.isEmpty else {
            throw ParseError(.unrecognized, file: file, line: 1,
                             "not a registry export: no \"Windows Registry Editor\" header and no [key]")
        }
        return Parsed(value: RegistryExport(file: file, keys: keys), warnings: warnings)
    }

    private static func isHexValue(_ line: String) -> Bool {
        guard let equals = valueStart(line) else { return false }
        return line[equals...].lowercased().hasPrefix("hex")
    }

    /// The index just after the `=` that ends the value's name.
    private static func valueStart(_ line: String) -> String.Index? {
        var scalars = Substring(line)
        if scalars.hasPrefix("@") {
            scalars = scalars.dropFirst()
        } else {
            guard scalars.hasPrefix("\""), let (_, rest) = quoted(scalars) else { return nil }
            scalars = rest
        }
        guard scalars.hasPrefix("=") else { return nil }
        return scalars.index(after: scalars.startIndex)
    }

    /// A quoted string at the start of `text` with `\\` and `\"` unescaped, and what follows.
    private static func quoted(_ text: Substring) -> (String, Substring)? {
        var result = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if character == "\\" {
                let next = text.index(after: index)
                guard next < text.endIndex else { return nil }
                let escaped = text[next]
                if escaped == "\\" || escaped == "\"" { result.append(escaped) } else { result += "\\\(escaped)" }
                index = text.index(after: next)
                continue
            }
            if character == "\"" { return (result, text[text.index(after: index)...]) }
            result.append(character)
            index = text.index(after: index)
        }
        return nil
    }

    private static func value(_ logical: String, line: Int, file: String) throws -> RegistryValue {
        var rest = Substring(logical)
        let name: String
        if rest.hasPrefix("@") {
            name = ""
            rest = rest.dropFirst()
        } else if rest.hasPrefix("\""), let (parsed, after) = quoted(rest) {
            name = parsed
            rest = after
        } else {
            throw ParseError(.unrecognized, file: file, line: line, "neither a [key] nor a \"name\"=value line")
        }
        rest = rest.drop { $0 == " " }
        guard rest.hasPrefix("=") else {
            throw ParseError(.unrecognized, file: file, line: line, "no = after the value name \"\(name)\"")
        }
        let data = rest.dropFirst().trimmed()
        let lowered = data.lowercased()
        if data == "-" { return RegistryValue(name: name, kind: .delete, data: .none, line: line) }
        if data.hasPrefix("\"") {
            guard let (text, _) = quoted(Substring(data)) else {
                throw ParseError(.unrecognized, file: file, line: line, "an unterminated string for \"\(name)\"")
            }
            return RegistryValue(name: name, kind: .string, data: .text(text), line: line)
        }
        if lowered.hasPrefix("dword:") {
            guard let number = UInt32(data.dropFirst(6), radix: 16) else {
                throw ParseError(.unrecognized, file: file, line: line, "a bad dword for \"\(name)\"")
            }
            return RegistryValue(name: name, kind: .dword, data: .number(UInt64(number)), line: line)
        }
        guard lowered.hasPrefix("hex"), let colon = data.firstIndex(of: ":") else {
            throw ParseError(.unrecognized, file: file, line: line, "an unknown value type for \"\(name)\"")
        }
        let tag = lowered[..<colon]
        guard let bytes = hexBytes(data[data.index(after: colon)...]) else {
            throw ParseError(.unrecognized, file: file, line: line, "bad hex bytes for \"\(name)\"")
        }
        var type = 3
        if tag != "hex" {
            guard tag.hasPrefix("hex("), tag.hasSuffix(")"), let parsed = Int(tag.dropFirst(4).dropLast(), radix: 16)
            else { throw ParseError(.unrecognized, file: file, line: line, "an unknown hex type for \"\(name)\"") }
            type = parsed
        }
        return typedValue(name: name, type: type, bytes: bytes, line: line)
    }

    private static func typedValue(name: String, type: Int, bytes: [UInt8], line: Int) -> RegistryValue {
        switch type {
        case 1, 2:
            let text = utf16Text(bytes)
            return RegistryValue(name: name, kind: type == 2 ? .expandString : .string, data: .text(text), line: line)
        case 7:
            var parts = utf16Text(bytes, keepingNULs: true).components(separatedBy: "\u{0}")
            while parts.last == "" { parts.removeLast() }
            return RegistryValue(name: name, kind: .multiString, data: .texts(parts), line: line)
        case 4 where bytes.count == 4, 0xB where bytes.count == 8:
            let number = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            return RegistryValue(name: name, kind: type == 4 ? .dword : .qword, data: .number(number), line: line)
        case 3:
            return RegistryValue(name: name, kind: .binary, data: .bytes(bytes), line: line)
        default:
            return RegistryValue(name: name, kind: .other(type), data: .bytes(bytes), line: line)
        }
    }

    private static func utf16Text(_ bytes: [UInt8], keepingNULs: Bool = false) -> String {
        let units = bytes.withUnsafeBytes { TextDecoding.codeUnits($0, littleEndian: true) }
        var text = String(decoding: units, as: UTF16.self)
        if !keepingNULs { while text.hasSuffix("\u{0}") { text.removeLast() } }
        return text
    }

    private static func hexBytes(_ text: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        for piece in text.split(separator: ",") {
            let trimmed = piece.trimmed()
            if trimmed.isEmpty { continue }
            guard trimmed.count <= 2, let byte = UInt8(trimmed, radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
