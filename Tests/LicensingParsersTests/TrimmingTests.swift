import Foundation
import LicensingModel
import Testing

@Suite("Trimming without NSString")
struct TrimmingTests {
    @Test("trimmed(_:) gives what Foundation's trimmingCharacters(in:) gives, for any text and set")
    func sameAsFoundation() {
        let pieces = [" ", "\t", "\n", "\r\n", "\u{A0}", "\u{2003}", "\u{3000}", "\u{85}", "a", "Zü", "{", "}", "\"",
                      "\u{301}", "e\u{301}", "👍🏽", "日本", "", "[", "\\"]
        let sets: [CharacterSet] = [.whitespaces, .whitespacesAndNewlines, CharacterSet(charactersIn: "{} \t"),
                                    CharacterSet(charactersIn: "[] \t\\"), CharacterSet(charactersIn: "\" ")]
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var (differ, changed) = ([String](), 0)
        for _ in 0..<4000 {
            let text = (0..<next(7)).map { _ in pieces[next(pieces.count)] }.joined()
            let set = sets[next(sets.count)]
            let expected = text.trimmingCharacters(in: set)
            if text.trimmed(set) != expected { differ.append(text.debugDescription) }
            if text[...].trimmed(set) != expected { differ.append("substring " + text.debugDescription) }
            if expected != text { changed += 1 }
        }
        #expect(differ.isEmpty, "\(differ.prefix(5))")
        #expect(changed > 1000, "most texts should need trimming for the comparison to mean something")
        #expect("  GB ".trimmed() == "GB")
        #expect("{ABC}".trimmed(CharacterSet(charactersIn: "{}")) == "ABC")
    }
}
