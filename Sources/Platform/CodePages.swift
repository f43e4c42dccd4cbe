import Foundation
#if os(Windows)
import WinSDK
#endif

/// Windows code pages: what console programs such as `tasklist` write when their output is
/// redirected (the console's output code page, e.g. 850 or 1252), unless it is UTF-8 (65001).
public enum CodePage {
    /// Windows-1252 (Western European), the code page assumed where the system cannot say.
    public static let windows1252: UInt32 = 1252

    /// The code page console programs write in when it is not UTF-8 (what this is asked for):
    /// on Windows the console's output code page, or the OEM one when there is no console or
    /// the console says UTF-8; Windows-1252 elsewhere (tests, images).
    public static var consoleOutput: UInt32 {
        #if os(Windows)
        // The Swift runtime switches the console it starts in to UTF-8 (65001) and back at exit
        // (swiftlang/swift #40632), so inside this process the console says 65001 whatever the
        // user's said. Output that is not UTF-8 is then in the console's default code page:
        // the OEM one (850, 437, ...).
        let console = GetConsoleOutputCP()
        return console != 0 && console != 65001 ? UInt32(console) : UInt32(GetOEMCP())
        #else
        return windows1252
        #endif
    }

    /// A code page's name for a note (`Windows-1252`, `code page 850`).
    public static func name(_ codePage: UInt32) -> String {
        codePage == windows1252 ? "Windows-1252" : "code page \(codePage)"
    }

    /// `bytes` in `codePage` as text; nil when this system cannot convert from that code page.
    public static func decode(_ bytes: UnsafeRawBufferPointer, codePage: UInt32) -> String? {
        guard !bytes.isEmpty else { return "" }
        #if os(Windows)
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) else { return "" }
        let count = MultiByteToWideChar(UINT(codePage), 0, base, Int32(bytes.count), nil, 0)
        guard count > 0 else { return nil }
        var units = [UInt16](repeating: 0, count: Int(count))
        _ = units.withUnsafeMutableBufferPointer { MultiByteToWideChar(UINT(codePage), 0, base, Int32(bytes.count), $0.baseAddress, count) }
        return String(decoding: units, as: UTF16.self)
        #else
        guard codePage == windows1252 else { return nil }
        return String(data: Data(bytes), encoding: .windowsCP1252)
        #endif
    }
}
