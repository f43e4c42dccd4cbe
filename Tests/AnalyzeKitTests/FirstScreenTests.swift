import Foundation
import Testing
import TestSupport

// Runs the built tools with PATH=/usr/bin:/bin only, /usr/bin/script and /proc, and reads their printed lines: Linux (and macOS) tests.
#if !os(Windows)

/// Runs a tool with standard output and standard error apart (`runTool` merges them).
private func runSplit(_ tool: String, _ arguments: [String], currentDirectory: URL? = nil)
    throws -> (status: Int32, stdout: String, stderr: String)
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.environment = ["NO_COLOR": "1", "PATH": "/usr/bin:/bin"]
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    // Standard error goes to a file, so neither stream can fill a pipe and block the tool.
    let errorPath = NSTemporaryDirectory() + "stderr-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errorPath) }
    let errorHandle = try #require(FileHandle(forWritingAtPath: errorPath))
    let out = Pipe()
    process.standardOutput = out
    process.standardError = errorHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outputData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try errorHandle.close()
    let errorData = try Data(contentsOf: URL(fileURLWithPath: errorPath))
    return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
}

/// What a support engineer sees first: the report's first screen, damaged and non-bundles,
/// and every error as one plain line.
@Suite("The first screen")
struct FirstScreenTests {
    let tool = BuiltProducts.path("loganalyze")

    @Test("verdict, top cause and its whole fix within the first 15 lines at 80 columns",
          arguments: ClientFixtures.names)
    func firstScreen(fixture: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let bundle = try collectFixture(fixture, into: dir)
        let run = try runSplit(tool, [bundle])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(fixture): \(lines.filter { $0.count > 80 })")
        #expect(["TRIAL — ", "LICENSED — ", "UNKNOWN — "].contains { lines[0].hasPrefix($0) }, "\(fixture): \(lines[0])")
        #expect(!run.stdout.contains("product 1000"), "\(fixture): products by name")
        let expected = try #require(try ClientFixtures.expected()[fixture])
        guard let top = expected.topCause else {
            return
        }
        let first = try #require(lines.firstIndex { $0.hasPrefix("  1. ") }, "\(fixture): no cause")
        let fix = try #require(lines[first...].firstIndex { $0.hasPrefix("     Fix: ") }, "\(fixture): no fix")
        #expect(lines[first..<fix].joined().contains("[\(top)]"), "\(fixture): top cause \(top)")
        var end = fix
        while end + 1 < lines.count, lines[end + 1].hasPrefix("          ") { end += 1 }
        #expect(end < 15, "\(fixture): the fix ends on line \(end + 1):\n\(lines.prefix(end + 1).joined(separator: "\n"))")
    }

    @Test("a damaged bundle says so under the verdict, exits 3, and no cause reaches 0.5 on what was not read",
          arguments: ["archives/truncated.zip", "archives/encrypted.zip", "archives/bomb.zip",
                      "adversarial/archives/wrong-crc.zip", "adversarial/archives/truncated-mid-entry.zip",
                      "adversarial/archives/encrypted.zip"])
    func damaged(path: String) throws {
        let bundle = RepoPaths.fixture(path).path
        let text = try runSplit(tool, [bundle])
        #expect(text.status == 3, "\(path): \(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count > 2 && lines[1].hasPrefix("DAMAGED BUNDLE: "), "\(path): \(lines.prefix(3))")
        let json = try runSplit(tool, [bundle, "--format", "json"])
        #expect(json.status == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["damaged"] as? Bool == true)
        #expect((object["damage"] as? [String])?.isEmpty == false)
        if path.contains("truncated") {
            let confidences = (object["findings"] as? [[String: Any]] ?? []).compactMap { $0["confidence"] as? Double }
            #expect(confidences.allSatisfy { $0 < 0.5 }, "\(path): \(confidences)")
        }
    }

    @Test("a folder or archive with nothing of a client in it: exit 1, one line")
    func notABundle() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let empty = dir.url.appendingPathComponent("empty")
        let notes = dir.url.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        try Data("meeting notes\n".utf8).write(to: notes.appendingPathComponent("README.txt"))
        try Data("1,2,3\n".utf8).write(to: notes.appendingPathComponent("numbers.csv"))
        for (folder, words) in [(empty, "it holds no files"), (notes, "none of its 2 files is")] {
            let run = try runSplit(tool, [folder.path])
            #expect(run.status == 1)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr == "loganalyze: \(folder.path): not a support bundle: \(words)"
                    + run.stderr.dropFirst("loganalyze: \(folder.path): not a support bundle: \(words)".count))
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        }
    }

    @Test("every error is one plain line on standard error, never a Cocoa error dump")
    func errorLines() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let healthy = ClientFixtures.root("healthy").path
        try Data("{not json".utf8).write(to: dir.url.appendingPathComponent("bad-versions.json"))
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("no-bundles"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: dir.url.appendingPathComponent("no-bundles/archive.rar"))
        let collect = BuiltProducts.path("logcollect")
        // (tool, arguments, exit status, words the line must hold)
        let cases: [(String, [String], Int32, String)] = [
            (tool, [dir.path("missing.zip")], 1, "no such file"),
            (tool, [RepoPaths.fixture("archives/not-an-archive.zip").path], 1, "not a ZIP"),
            (tool, [healthy, "--output", dir.path("no-such-folder/report.txt")], 1, "does not exist"),
            (tool, [healthy, "--versions", dir.path("no-versions.json")], 64, "--versions"),
            (tool, [healthy, "--versions", dir.path("bad-versions.json")], 64, "--versions"),
            (tool, ["timeline", dir.path("missing.zip")], 1, "no such file"),
            (tool, ["query", "--index", dir.path("missing.sqlite")], 1, "missing.sqlite"),
            (tool, ["query", "--index", dir.path("x.sqlite"), "--cause", "country-mismach"], 64, "country-mismatch"),
            (tool, ["explain", "not-signed"], 64, "not-signed-in"),
            (tool, ["batch", dir.path("no-bundles"), "--output", dir.path("out.jsonl")], 1, "no bundle"),
            (tool, ["batch", RepoPaths.fixture("archives/bundle.tar.gz").path, "--output", dir.path("no-such-folder/out.jsonl")],
             1, "no-such-folder"),
            (tool, ["batch", RepoPaths.fixture("archives/bundle.tar.gz").path, "--output", dir.path("out.jsonl"),
                    "--summary", dir.path("no-such-folder/summary.html")], 1, "cannot write \(dir.path("no-such-folder/summary.html")): "),
            (tool, ["batch", RepoPaths.fixture("archives/bundle.tar.gz").path, "--output", dir.path("out.jsonl"),
                    "--reports", "/proc/no-reports"], 1, "cannot create the reports folder /proc/no-reports: "),
            (tool, ["merge", dir.path("missing.jsonl"), "--output", dir.path("merged.jsonl")], 1, "missing.jsonl"),
            (collect, ["--root", dir.path("no-bundles"), "--output", dir.path("b.zip")], 1, "not a client root"),
            (collect, ["--root", dir.path("nowhere"), "--output", dir.path("b.zip")], 1, "nowhere"),
            (collect, ["--root", healthy, "--output", dir.path("no-such-folder/b.zip")], 1, "does not exist"),
        ]
        for (program, arguments, status, words) in cases {
            let run = try runSplit(program, arguments)
            let name = "\((program as NSString).lastPathComponent) \(arguments.joined(separator: " "))"
            #expect(run.status == status, "\(name): exit \(run.status): \(run.stderr)")
            #expect(!run.stderr.contains("Error Domain") && !run.stderr.contains("NSCocoaErrorDomain")
                    && !run.stderr.contains("NSUnderlyingError"), "\(name): \(run.stderr)")
            let lines = run.stderr.split(separator: "\n").map(String.init)
            if status == 64 {
                // A usage error: the line, then the usage.
                #expect(lines.first?.contains(words) == true, "\(name): \(run.stderr)")
            } else if arguments.first == "batch" {
                // batch first names the files it skipped, a line each; the error is the last line.
                #expect(lines.last?.contains(words) == true, "\(name): \(run.stderr)")
                #expect(lines.allSatisfy { $0.hasPrefix("loganalyze: ") }, "\(name): \(run.stderr)")
            } else {
                #expect(lines.count == 1 && lines[0].contains(words), "\(name): \(run.stderr)")
            }
        }
    }

    @Test("batch names every file it skipped, reads .7z, and marks damaged bundles")
    func batchSkips() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = dir.url.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for (fixture, name) in [("archives/bundle.7z", "a.7z"), ("archives/truncated.zip", "b.zip")] {
            try FileManager.default.copyItem(at: RepoPaths.fixture(fixture), to: input.appendingPathComponent(name))
        }
        try Data("notes".utf8).write(to: input.appendingPathComponent("c.rar"))
        let run = try runSplit(tool, ["batch", input.path, "--output", dir.path("out.jsonl"), "--no-progress"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("skipped \(input.path)/c.rar: not named like a bundle"), "\(run.stderr)")
        let lines = try String(contentsOfFile: dir.path("out.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let damaged = try #require(lines.first { $0.contains("b.zip") })
        #expect(damaged.contains("\"damaged\":true"))
        #expect(run.stderr.contains("1 bundle is damaged"), "the closing summary counts it: \(run.stderr)")
        #expect(lines.first { $0.contains("a.7z") }?.contains("\"error\"") == false)
    }

    @Test("help: the main form and examples first, every subcommand with examples and exit codes, nothing internal")
    func help() throws {
        let main = try runSplit(tool, ["--help"])
        #expect(main.status == 0)
        #expect(main.stdout.contains("USAGE: loganalyze BUNDLE [--format text|json|markdown|html]"))
        #expect(main.stdout.components(separatedBy: "\n  loganalyze ").count - 1 >= 2, "two examples: \(main.stdout)")
        for subcommand in ["analyze", "rules", "explain", "timeline", "batch", "merge", "query"] {
            let help = try runSplit(tool, [subcommand, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Examples:") && help.stdout.contains("Exit status"), "\(subcommand): \(help.stdout)")
            for reference in ["§", "CLIENT-MODEL"] {
                #expect(!help.stdout.contains(reference), "\(subcommand) mentions \(reference)")
            }
            // A default is said once: by the option's own words or by the parser, not both.
            for line in help.stdout.split(separator: "\n") {
                #expect(line.components(separatedBy: "default").count <= 2, "\(subcommand): \(line)")
            }
            #expect(!(help.stdout.contains("(default: all") && help.stdout.contains("(default: \(ProcessInfo.processInfo.activeProcessorCount))")))
        }
        let query = try runSplit(tool, ["query", "--help"])
        #expect(query.stdout.contains("--cc-version") && !query.stdout.contains("--version <"), "\(query.stdout)")
        let collect = try runSplit(BuiltProducts.path("logcollect"), ["--help"])
        #expect(collect.stdout.contains("Examples:") && collect.stdout.contains("Exit status"))
        #expect(!collect.stdout.contains("CLIENT-MODEL") && !collect.stdout.contains("§"))
    }

    @Test("completions offer the report formats")
    func completions() throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try runSplit(tool, ["--generate-completion-script", shell])
            #expect(script.status == 0)
            for format in ["text", "json", "markdown", "html"] {
                #expect(script.stdout.contains(format), "\(shell): \(format)")
            }
        }
        let bash = try runSplit(tool, ["--generate-completion-script", "bash"]).stdout
        #expect(bash.contains("'text'$'\\n''json'$'\\n''markdown'$'\\n''html'"), "--format completes its four values")
    }

    @Test("logcollect on a terminal: progress lines fit 80 columns; the last names the file, its size, the next step",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func collectOnATerminal() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let output = dir.path("bundle.zip")
        // `script` gives the tool a terminal for its stderr, as a user's shell would.
        let command = "\(BuiltProducts.path("logcollect")) --root \(ClientFixtures.root("checkout-wrong-machine").path)"
            + " --now \(ClientFixtures.now) --output \(output)"
        let run = try runSplit("/usr/bin/script", ["-qec", command, "/dev/null"])
        let lines = run.stdout.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
        #expect(lines.count > 5, "a line per source: \(run.stdout)")
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
        let start = try #require(lines.lastIndex { $0.hasPrefix("wrote ") }, "\(lines)")
        let last = lines[start...].map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(lines.last?.hasSuffix("`loganalyze \(output)`") == true, "the command in one piece: \(lines)")
        #expect(last.hasPrefix("wrote \(output) ("), "\(last)")
        #expect(last.contains(" KB, ") && last.contains("send this file to Bentley support, or run"), "\(last)")
    }
}
#endif
