import Foundation

extension RegistryExport {
    /// The export as `reg export` writes it: UTF-16LE with a BOM, CRLF, the version header,
    /// escaped strings and hex values wrapped at 80 columns with `\` continuations.
    public func serialize() -> Data {
        var lines = ["Windows Registry Editor Version 5.00", ""]
        for key in keys {
            lines.append(key.isDeletion ? "[-\(key.path)]" : "[\(key.path)]")
            for value in key.values { lines.append(contentsOf: Self.lines(for: value)) }
            lines.append("")
        }
        return TextDecoding.utf16LEWithBOM(lines.joined(separator: "\r\n") + "\r\n")
    }

    private static func lines(for value: RegistryValue) -> [String] {
        let name = value.name.isEmpty ? "@" : "\"\(escaped(value.name))\""
        switch (value.kind, value.data) {
        case (.delete, _):
            return ["\(name)=-"]
        case (.string, .text(let text)):
            return ["\(name)=\"\(escaped(text))\""]
        case (.dword, .number(let number)):
            let hex = String(UInt32(truncatingIfNeeded: number), radix: 16)
            return ["\(name)=dword:" + String(repeating: "0", count: 8 - hex.count) + hex]
        default:
            let (tag, bytes) = hexForm(value)
            return wrapped(prefix: "\(name)=\(tag):", bytes: bytes)
        }
    }

    private static func hexForm(_ value: RegistryValue) -> (tag: String, bytes: [UInt8]) {
        let tag: String
        switch value.kind {
        case .binary: tag = "hex"
        case .qword: tag = "hex(b)"
        case .expandString: tag = "hex(2)"
        case .multiString: tag = "hex(7)"
        case .other(let type): tag = "hex(\(String(type, radix: 16)))"
        case .string: tag = "hex(1)"
        case .dword: tag = "hex(4)"
        case .delete: tag = "hex"
        }
        switch value.data {
        case .bytes(let bytes): return (tag, bytes)
        case .number(let number):
            let width = value.kind == .dword ? 4 : 8
            return (tag, (0..<width).map { UInt8(truncatingIfNeeded: number >> (8 * UInt64($0))) })
        case .text(let text): return (tag, utf16LE(text) + [0, 0])
        case .texts(let texts): return (tag, texts.flatMap { utf16LE($0) + [0, 0] } + [0, 0])
        case .none: return (tag, [])
        }
    }

    private static func utf16LE(_ text: String) -> [UInt8] {
        text.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
    }

    /// `prefix` then `xx,` pairs, breaking lines before column 80 as `reg export` does.
    private static func wrapped(prefix: String, bytes: [UInt8]) -> [String] {
        var lines: [String] = []
        var current = prefix
        for (position, byte) in bytes.enumerated() {
            let hex = byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
            let isLast = position == bytes.count - 1
            let piece = isLast ? hex : hex + ","
            if current.count + piece.count > (isLast ? 80 : 79) {
                lines.append(current + "\\")
                current = "  "
            }
            current += piece
        }
        lines.append(current)
        return lines
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
