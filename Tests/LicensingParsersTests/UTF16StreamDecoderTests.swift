import Foundation
import LicensingParsers
import Testing

@Suite("UTF16StreamDecoder: UTF-16 to UTF-8 in chunks")
struct UTF16StreamDecoderTests {
    /// Random code units (ASCII, two- and three-byte characters, pairs, lone surrogates) in both
    /// byte orders, cut into chunks of any size (odd ones split a unit, others a pair): the
    /// decoder gives what `String(decoding:as: UTF16.self)` gives for the whole, and ends with
    /// U+FFFD exactly when the text ends mid-character.
    @Test("any chunking decodes as String(decoding:as: UTF16.self) does", arguments: [true, false])
    func sameAsString(littleEndian: Bool) {
        var state: UInt64 = littleEndian ? 11 : 12
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let pool: [[UInt16]] = [[0x41], [0x0A], [0xE9], [0x7FF], [0x800], [0x65E5], [0xFFFD], [0xD83D, 0xDC4D],
                                [0xD83D], [0xDC4D], [0xDBFF, 0xDFFF], [0x20]]
        var differ: [String] = []
        for _ in 0..<2000 {
            let units = (0..<next(12)).flatMap { _ in pool[next(pool.count)] }
            var bytes = units.flatMap { littleEndian ? [UInt8(truncatingIfNeeded: $0), UInt8($0 >> 8)]
                : [UInt8($0 >> 8), UInt8(truncatingIfNeeded: $0)] }
            let odd = next(4) == 0
            if odd { bytes.append(0x41) }
            var decoder = UTF16StreamDecoder(littleEndian: littleEndian)
            var output: [UInt8] = []
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 1 + next(5))
                bytes[start..<end].withUnsafeBytes { decoder.decode($0, into: &output) }
                start = end
            }
            // A trailing high surrogate, an odd byte, or both, end in one U+FFFD.
            let trailingHigh = units.last.map { (0xD800..<0xDC00).contains($0) } ?? false
            let endsMid = odd || trailingHigh
            #expect(decoder.isMidCharacter == endsMid)
            decoder.finish(into: &output)
            var expected = Array(String(decoding: trailingHigh ? units.dropLast() : units[...], as: UTF16.self).utf8)
            if endsMid { expected += [0xEF, 0xBF, 0xBD] }
            if output != expected { differ.append("\(units)") }
        }
        #expect(differ.isEmpty, "\(differ.prefix(3))")
    }
}
