import Foundation
import Testing
@testable import LicensingParsers

@Suite("Lines split across chunks")
struct ChunkedLineSplitterTests {
    static func split(_ text: String, chunk: Int, maxLine: Int = 1 << 20) -> [String] {
        var splitter = LineSplitter.Chunked(maxLine: maxLine)
        var lines: [String] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            bytes[start..<end].withUnsafeBytes { splitter.feed($0) { lines.append(String(decoding: $0, as: UTF8.self)) } }
            start = end
        }
        splitter.finish { lines.append(String(decoding: $0, as: UTF8.self)) }
        return lines
    }

    @Test("wherever the chunks are cut, the lines are the same, each with its end as it was")
    func anyCut() {
        let text = "first\r\nsecond\n\nfourth without end"
        for chunk in 1...text.utf8.count {
            #expect(Self.split(text, chunk: chunk) == ["first\r\n", "second\n", "\n", "fourth without end"], "chunk \(chunk)")
        }
    }

    @Test("a line longer than the limit is handed on in pieces, nothing lost")
    func longLine() {
        let lines = Self.split(String(repeating: "x", count: 100) + "\nend\n", chunk: 16, maxLine: 32)
        #expect(lines.count > 2 && lines.allSatisfy { $0.utf8.count <= 48 })
        #expect(lines.joined() == String(repeating: "x", count: 100) + "\nend\n")
    }
}
