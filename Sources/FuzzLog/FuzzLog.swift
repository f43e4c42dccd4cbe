/// FuzzLog: the streaming log reader (`LogReader`, and `LogLineParser` for every stamped line)
/// over arbitrary bytes: any encoding, NULs, broken UTF-16, long lines, stack traces.
///
/// It also checks the property analysis relies on: the entries do not depend on how the bytes
/// were split into chunks. The first input byte picks the chunk size and the options.
import Foundation
import FuzzSupport
import LicensingModel
import LicensingParsers

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let control = bytes[0]
    let input = UnsafeRawBufferPointer(start: bytes + 1, count: size - 1)
    let chunkSize = Int(control & 0x3F) + 1
    var options = LogReader.Options(maxLineLength: control & 0x40 != 0 ? 64 : 64 * 1024, maxContinuationLines: 8)
    if control & 0x80 != 0 {
        // Any predicate will do: skipping must not depend on chunking either.
        options.keepLine = { line in line.count % 3 != 0 }
    }
    let file = "Logs/Licensing Service/fuzz.log"
    let whole = read(input, chunkSize: max(input.count, 1), file: file, options: options)
    let chunked = read(input, chunkSize: chunkSize, file: file, options: options)
    precondition(whole == chunked, "entries differ when the input is fed in \(chunkSize)-byte chunks")
    return 0
}

/// Every entry of `input`, fed to a reader `chunkSize` bytes at a time.
private func read(_ input: UnsafeRawBufferPointer, chunkSize: Int, file: String,
                  options: LogReader.Options) -> [LogEntry] {
    var reader = LogReader(file: file, options: options)
    var entries: [LogEntry] = []
    var offset = 0
    while offset < input.count {
        let end = min(offset + chunkSize, input.count)
        reader.feed(UnsafeRawBufferPointer(rebasing: input[offset..<end])) { entries.append($0) }
        offset = end
    }
    reader.finish { entries.append($0) }
    return entries
}

@main
enum FuzzLogMain {
    static func main() { FuzzDriver.main(fuzz) }
}
