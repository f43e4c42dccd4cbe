/// FuzzSupport: what every `Fuzz…` target shares.
///
/// Each fuzz target is an executable with a `@_cdecl("LLVMFuzzerTestOneInput")` function that
/// feeds one input to one real component. Built by `Scripts/fuzz` with
/// `-sanitize=fuzzer,address -DFUZZING`, its `main` hands that function to libFuzzer
/// (`LLVMFuzzerRunDriver`); libFuzzer's own `main` cannot be used because SwiftPM renames an
/// executable's entry point and links `main` to it. In the normal build (no `FUZZING`) the same
/// executable replays files instead: `FuzzPolicy crash-1234 corpus/` runs each file once and
/// says how it went, which is how a crash found by the fuzzer is reproduced in a debugger.
import Foundation

/// The signature libFuzzer calls for each input.
public typealias FuzzTestOneInput = @convention(c) (UnsafePointer<UInt8>, Int) -> CInt

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: FuzzTestOneInput) -> CInt
#endif

/// Runs a fuzz target: under libFuzzer when built for fuzzing, else as a replayer of files.
public enum FuzzDriver {
    /// Never returns: exits with libFuzzer's status, or 0 after replaying every file named.
    public static func main(_ testOneInput: FuzzTestOneInput) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
        #else
        let paths = Array(CommandLine.arguments.dropFirst())
        guard !paths.isEmpty else {
            let name = (CommandLine.arguments.first as NSString?)?.lastPathComponent ?? "fuzz target"
            FileHandle.standardError.write(Data("""
                usage: \(name) FILE|FOLDER...
                Runs each file once through the fuzz target (build with Scripts/fuzz to fuzz).\n
                """.utf8))
            exit(64)
        }
        for file in paths.flatMap(files(at:)) {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("\(file): cannot be read\n".utf8))
                exit(1)
            }
            let clock = ContinuousClock()
            let start = clock.now
            _ = data.withUnsafeBytes { raw in
                // libFuzzer never passes NULL; an empty file gets a valid one-byte buffer.
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(raw.count, 1)) { buffer in
                    if let base = raw.baseAddress { buffer.baseAddress?.update(from: base.assumingMemoryBound(to: UInt8.self), count: raw.count) }
                    return buffer.baseAddress.map { testOneInput($0, raw.count) } ?? 0
                }
            }
            print("\(file): \(data.count) bytes, \(clock.now - start)")
        }
        exit(0)
        #endif
    }

    /// A file, or every regular file inside a folder (sorted, not recursive).
    private static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [path]
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { (path as NSString).appendingPathComponent($0) }
    }

    /// The input as `Data` (copied: components keep what they are given).
    public static func data(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Data {
        Data(bytes: bytes, count: count)
    }
}
