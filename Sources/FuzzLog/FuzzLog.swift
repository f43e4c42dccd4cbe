/// FuzzLog: the streaming log reader (`LogReader`, and `LogLineParser` for every stamped line)
/// over arbitrary bytes: any encoding, NULs, broken UTF-16, long lines, stack traces.
///
/// It also checks the properties analysis relies on: the entries do not depend on how the bytes
/// were split into chunks, nor on whether a chunk's lines were decided ahead on another thread
/// (`LogReader.decide`) or line by line. The first input byte picks the chunk size, the
/// options and the line filter (the real one, or an arbitrary predicate); the real filter must
/// agree with the full classification on the whole input.
import Foundation
import FuzzSupport
import LicensingModel
import LicensingParsers

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let control = bytes[0]
    let input = UnsafeRawBufferPointer(start: bytes + 1, count: size - 1)
    let chunkSize = Int(control & 0x1F) + 1
    var options = LogReader.Options(maxLineLength: control & 0x40 != 0 ? 64 : 64 * 1024, maxContinuationLines: 8)
    if control & 0x80 != 0 {
        // Any predicate will do: skipping must not depend on chunking either.
        let classifier: @Sendable (UnsafeBufferPointer<UInt8>) -> Bool = { LogMessageClassifier.recognises(bytes: $0) }
        let arbitrary: @Sendable (UnsafeBufferPointer<UInt8>) -> Bool = { $0.count % 3 != 0 }
        options.keepLine = control & 0x20 != 0 ? classifier : arbitrary
    }
    // The cheap question analysis filters lines with has the full classification's answer.
    input.withMemoryRebound(to: UInt8.self) { bytes in
        precondition(LogMessageClassifier.recognises(bytes: bytes) == !LogMessageClassifier.classify(bytes: bytes).isEmpty,
                     "recognises(bytes:) and classify(bytes:) disagree")
    }
    let file = "Logs/Licensing Service/fuzz.log"
    let whole = read(input, chunkSize: max(input.count, 1), file: file, options: options)
    let chunked = read(input, chunkSize: chunkSize, file: file, options: options)
    precondition(whole == chunked, "entries differ when the input is fed in \(chunkSize)-byte chunks")
    if options.keepLine != nil {
        let decided = read(input, chunkSize: chunkSize, file: file, options: options, decideAhead: true)
        precondition(whole == decided, "entries differ when lines are decided ahead in \(chunkSize)-byte chunks")
    }
    return 0
}

/// Every entry of `input`, fed to a reader `chunkSize` bytes at a time.
private func read(_ input: UnsafeRawBufferPointer, chunkSize: Int, file: String,
                  options: LogReader.Options, decideAhead: Bool = false) -> [LogEntry] {
    var reader = LogReader(file: file, options: options)
    var entries: [LogEntry] = []
    var offset = 0
    while offset < input.count {
        let end = min(offset + chunkSize, input.count)
        let chunk = UnsafeRawBufferPointer(rebasing: input[offset..<end])
        let decisions = decideAhead ? LogReader.decide(chunk.bindMemory(to: UInt8.self), options: options) : nil
        reader.feed(chunk, decisions: decisions) { entries.append($0) }
        offset = end
    }
    reader.finish { entries.append($0) }
    return entries
}

@main
enum FuzzLogMain {
    static func main() { FuzzDriver.main(fuzz) }
}
