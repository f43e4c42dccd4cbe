import Foundation

/// One entry's header, as the reader met it.
public struct ArchiveEntry: Sendable, Equatable {
    /// What the entry is.
    public enum Kind: Sendable, Equatable {
        case file, directory, symlink, hardlink, other
    }

    /// A safe relative path: UTF-8, `/` separators, no leading `/`, no `.` or `..` parts.
    public let path: String
    /// The name as stored, decoded to UTF-8 (CP437 when the bytes are not UTF-8).
    public let originalPath: String
    /// True when the stored name was absolute or climbed out with `..` (it was made safe).
    public let pathWasUnsafe: Bool
    /// What the entry is; only `.file` has data.
    public let kind: Kind
    /// The decompressed size the header declares, when it declares one (it may lie).
    public let declaredSize: Int64?
    /// The modification time, when stored.
    public let modified: Date?
    /// True when the entry's data is encrypted and cannot be read.
    public let isEncrypted: Bool
    /// A symlink's or hard link's target as stored (never followed).
    public let linkTarget: String?
}

/// Entry names as a Windows tool may have written them.
enum EntryName {
    /// Decodes stored name bytes: UTF-8 when valid, else CP437 (what Windows' ZIP tools use).
    static func decode(_ bytes: [UInt8]) -> String {
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        return String(bytes.map { $0 < 0x80 ? Character(UnicodeScalar($0)) : cp437High[Int($0 - 0x80)] })
    }

    /// Makes a stored name safe to use as a relative path; says whether it had to.
    static func sanitize(_ name: String) -> (path: String, wasUnsafe: Bool) {
        let unified = name.replacingOccurrences(of: "\\", with: "/")
        var unsafe = unified.hasPrefix("/") || startsWithDriveLetter(unified)
        var parts: [Substring] = []
        for part in unified.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if parts.popLast() == nil { unsafe = true }  // climbs above the archive's root
                continue
            }
            if part.count == 2, part.last == ":", parts.isEmpty { continue }  // drive letter
            parts.append(part)
        }
        return (parts.joined(separator: "/"), unsafe)
    }

    /// `C:…`: an ASCII letter, then a colon (no regular expression: this runs for every entry).
    private static func startsWithDriveLetter(_ name: String) -> Bool {
        var bytes = name.utf8.makeIterator()
        guard let letter = bytes.next(), let colon = bytes.next() else { return false }
        return colon == UInt8(ascii: ":") && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(letter & 0xDF)
    }

    private static let cp437High: [Character] = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{00A0}")
}
