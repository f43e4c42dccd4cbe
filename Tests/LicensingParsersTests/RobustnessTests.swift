import Foundation
import Testing
@testable import LicensingParsers

@Suite("Untrusted input")
struct RobustnessTests {
    @Test("binary garbage never crashes a parser", arguments: [1, 2, 3])
    func garbage(seed: UInt64) {
        let data = TestData.garbage(count: 16 * 1024, seed: seed)
        _ = try? PolicyDecoder.policy(from: data, file: "g")
        _ = try? RegistryExportParser.parse(data, file: "g")
        _ = try? TasklistParser.parse(data, file: "g")
        _ = try? UsageLogParser.parse(data, file: "g")
        _ = try? EventExportParser.parse(data, file: "g")
        _ = try? FeatureLevelSelectorParser.parse(data, file: "g")
        _ = try? DotNetConfigParser.parse(data, file: "g")
        _ = try? ConnectClientParser.parse(data, file: "g")
        let entries = LogReader.entries(in: data, file: "Logs/x/g.log")
        #expect(entries.allSatisfy { $0.continuation.count <= 1000 })
        for entry in entries.prefix(50) { _ = LogMessageClassifier.classify(entry) }
        _ = SecretScrubber.scrub(data: data)
        _ = TextDecoding.string(from: data)
        _ = LicensingDate.parse(String(decoding: data.prefix(40), as: UTF8.self))
    }

    @Test("text decoding detects each encoding Windows writes")
    func encodings() {
        let text = "Größe, 10 €"
        #expect(TextDecoding.string(from: Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)) == text)
        #expect(TextDecoding.string(from: TestData.utf16LE(text)) == text)
        let bigEndian = Data([0xFE, 0xFF]) + Data(text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        #expect(TextDecoding.string(from: bigEndian) == text)
        let bomless = Data(TestData.utf16LE("Image Name,PID\r\n").dropFirst(2))
        #expect(TextDecoding.detect(bomless).encoding == .utf16LE)
        #expect(TextDecoding.string(from: bomless) == "Image Name,PID\r\n")
        #expect(TextDecoding.string(from: Data([0x61, 0xFF, 0x62])) == "a\u{FFFD}b")
        #expect(LineSplitter.lines(of: "a\r\nb\nc") == ["a", "b", "c"])
    }
}
