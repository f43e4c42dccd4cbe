/// FuzzSignatures: the known-issue signature matcher (`SignatureMatcher`: one `LiteralScanner`
/// pass, the required literal of each regex from `RegexLiteral`, `ByteRegex` on a line's bytes)
/// against a plain reference, on arbitrary patterns and lines.
///
/// The reference is what a signature means (docs/signatures.md): a literal occurs in the line
/// (ASCII letters folded with `ignoreCase`), a regex is found by NSRegularExpression in the line
/// read as UTF-8. The matcher must give exactly the signatures the reference gives, on every
/// line — a required literal taken wrongly, a scanner that misses a literal at a line's edge, or
/// a byte-level regex that disagrees with ICU all show here — and `matchesAny` must agree with
/// `matches`.
///
/// Input: a control byte, then lines (`\n`-separated). The control byte's low two bits + 1 are
/// how many of the first lines are patterns; for each pattern, bit 2 + i says regex (else
/// literal) and bit 6 says ignore case. The other lines are log lines, cut to 256 bytes — to 16
/// when a pattern is a regex: ICU backtracks without a bound (`(a+)+b` takes 2ⁿ steps on a line
/// of n `a`s), and the reference must stay quick. Patterns are cut to 64 bytes.
import Foundation
import FuzzSupport
import Signatures

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let control = bytes[0]
    let lines = UnsafeBufferPointer(start: bytes + 1, count: size - 1)
        .split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    let patternCount = min(Int(control & 0x03) + 1, lines.count)
    let anyRegex = (0..<patternCount).contains { control & (0x04 << $0) != 0 }
    let ignoreCase = control & 0x40 != 0
    var signatures: [Signature] = []
    var references: [(UnsafeBufferPointer<UInt8>) -> Bool] = []
    for (index, bytes) in lines.prefix(patternCount).enumerated() where !bytes.isEmpty {
        let text = String(decoding: bytes.prefix(64), as: UTF8.self)
        let support = Signature.Support.note(id: "fuzz", fix: "", kb: "")
        if control & (0x04 << index) != 0 {
            // A signature file refuses a regex NSRegularExpression cannot compile.
            guard let regex = try? NSRegularExpression(pattern: text, options: ignoreCase ? [.caseInsensitive] : []) else { continue }
            signatures.append(Signature(id: "r\(index)", pattern: .regex(text), ignoreCase: ignoreCase, support: support))
            references.append { line in
                let string = String(decoding: line, as: UTF8.self)
                return regex.firstMatch(in: string, range: NSRange(location: 0, length: string.utf16.count)) != nil
            }
        } else {
            // A signature file refuses a literal too short to scan for (docs/signatures.md).
            guard text.utf8.count >= LiteralScanner.minimumLength else { continue }
            let needle = Array(text.utf8).map { ignoreCase ? fold($0) : $0 }
            signatures.append(Signature(id: "l\(index)", pattern: .literal(text), ignoreCase: ignoreCase, support: support))
            references.append { line in contains(line.map { ignoreCase ? fold($0) : $0 }, needle) }
        }
    }
    guard !signatures.isEmpty else { return 0 }
    let matcher = SignatureMatcher(signatures: signatures)
    for line in lines.dropFirst(patternCount) {
        Array(line.prefix(anyRegex ? 16 : 256)).withUnsafeBufferPointer { line in
            let expected = references.indices.filter { references[$0](line) }
            let found = matcher.matches(line)
            precondition(found == expected, "signatures \(signatures.map(\.pattern)) on \(Array(line)): matcher \(found), reference \(expected)")
            precondition(matcher.matchesAny(line) == !found.isEmpty, "matchesAny disagrees with matches on \(Array(line))")
        }
    }
    return 0
}

private func fold(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    return (0...(haystack.count - needle.count)).contains { start in haystack[start..<(start + needle.count)].elementsEqual(needle) }
}

@main
enum FuzzSignaturesMain {
    static func main() { FuzzDriver.main(fuzz) }
}
