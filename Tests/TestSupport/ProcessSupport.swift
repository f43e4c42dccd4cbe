import Foundation

// getrusage: Linux (and macOS) only, as are the memory tests that call it.
#if !os(Windows)
/// The peak resident memory of this process so far, in bytes.
public func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024  // kilobytes on Linux
}
#endif

/// Runs a program to completion; returns its exit status and its merged stdout and stderr.
public func runTool(_ tool: String, _ arguments: [String], environment: [String: String]? = nil,
                    currentDirectory: URL? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}
