import AnalyzeKit
import BatchKit
import Foundation
import Reporting
import Signatures
import Testing
import TestSupport

/// Signatures through the real `loganalyze` on a fixture client root: a cause raised, a note
/// reported in every format, a bad file refused before the bundle is read.
@Suite(.serialized)
struct SignatureAnalysisTests {
    let tool = BuiltProducts.path("loganalyze")
    static let logFolder = "Users/jdoe/AppData/Local/Bentley/Logs/CONNECTION Client"

    static let site = """
        version: 1
        signatures:
          - id: cc-render-token-stale
            literal: "Render token stale for tenant"
            files: ["CONNECTION Client/*.log"]
            supports: not-signed-in
            weight: 0.6
            title: CONNECTION Client's token went stale and it did not sign in again
            examples:
              match: ["2026-11-20T07:58:19.331+00:00 [6] WARN  Bentley.Connect.Client.Auth - Render token stale for tenant 42"]
              noMatch: ["2026-11-20T07:58:19.331+00:00 [6] INFO  Bentley.Connect.Client.Auth - Render token fresh"]
          - id: gpu-driver-sandbox
            regex: 'GPU sandbox refused licensing IPC \\(code \\d+\\)'
            supports: note:gpu-sandbox
            title: A graphics driver sandbox blocks the licensing IPC
            fix: Update the graphics driver, then restart the application.
            kb: https://kb.example.com/trial-mode/gpu-sandbox
            examples:
              match: ["2026-11-20T07:58:20.331+00:00 [6] ERROR Bentley.Connect.Client.Ipc - GPU sandbox refused licensing IPC (code 5)"]
              noMatch: ["2026-11-20T07:58:20.331+00:00 [6] ERROR Bentley.Connect.Client.Ipc - GPU sandbox refused licensing IPC"]
        """

    /// The healthy fixture with two new lines in CONNECTION Client's log, and the site file.
    func prepared() throws -> (TemporaryDirectory, root: URL, signatures: String) {
        let folder = try TemporaryDirectory("signatures")
        let root = try ClientFixtures.copy("healthy", into: folder)
        let log = root.appendingPathComponent(Self.logFolder).appendingPathComponent("Bentley.Connect.Client.log")
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("""
            2026-11-20T07:58:19.331+00:00 [6] WARN  Bentley.Connect.Client.Auth - Render token stale for tenant 42
            2026-11-20T07:58:20.331+00:00 [6] ERROR Bentley.Connect.Client.Ipc - GPU sandbox refused licensing IPC (code 5)
            2026-11-20T07:58:21.331+00:00 [6] ERROR Bentley.Connect.Client.Ipc - GPU sandbox refused licensing IPC (code 7)

            """.utf8))
        try handle.close()
        let signatures = folder.path("site.yaml")
        try Self.site.write(toFile: signatures, atomically: true, encoding: .utf8)
        return (folder, root, signatures)
    }

    // Runs the built tools by their Linux names: Linux (and macOS) only.
    #if !os(Windows)
    @Test func aSignatureRaisesACauseAndANoteIsReported() throws {
        let (folder, root, signatures) = try prepared()
        defer { folder.remove() }
        let plain = try runTool(tool, [root.path, "--format", "json"])
        let run = try runTool(tool, [root.path, "--format", "json", "--signatures", signatures])
        #expect(run.status == 0, "\(run.output)")
        let before = try Report.decode(from: Data(plain.output.utf8))
        let report = try Report.decode(from: Data(run.output.utf8))
        #expect(!before.findings.contains { $0.cause == "not-signed-in" })
        #expect(before.knownIssues.isEmpty)
        #expect(!plain.output.contains("knownIssues"), "no key while no note matched: reports stay as they were")

        let raised = try #require(report.findings.first { $0.cause == "not-signed-in" })
        #expect(raised.confidence == 0.6)
        #expect(raised.title == "CONNECTION Client's token went stale and it did not sign in again")
        let evidence = try #require(raised.evidence.first)
        #expect(evidence.file.hasSuffix("CONNECTION Client/Bentley.Connect.Client.log"))
        #expect(evidence.line != nil)
        #expect(evidence.excerpt.hasPrefix("[signature cc-render-token-stale] 2026-11-20T07:58:19.331+00:00"))
        #expect(!report.ruledOut.contains { $0.cause == "not-signed-in" })

        let issue = try #require(report.knownIssues.first)
        #expect(issue.id == "note:gpu-sandbox")
        #expect(issue.signature == "gpu-driver-sandbox")
        #expect(issue.kb == "https://kb.example.com/trial-mode/gpu-sandbox")
        #expect(issue.count == 2)
        #expect(issue.evidence.map(\.line) == [evidence.line.map { $0 + 1 }, evidence.line.map { $0 + 2 }])
    }
    #endif

    // Runs the built tools by their Linux names: Linux (and macOS) only.
    #if !os(Windows)
    @Test(arguments: ["text", "markdown", "html"])
    func aNoteShowsInEveryFormat(_ format: String) throws {
        let (folder, root, signatures) = try prepared()
        defer { folder.remove() }
        let run = try runTool(tool, [root.path, "--format", format, "--signatures", signatures])
        #expect(run.status == 0)
        #expect(run.output.contains("Known issues (signatures)"))
        #expect(run.output.contains("note:gpu-sandbox"))
        #expect(run.output.contains("A graphics driver sandbox blocks the licensing IPC"))
        #expect(run.output.contains("https://kb.example.com/trial-mode/gpu-sandbox"))
        #expect(run.output.contains("Update the graphics driver"))
    }
    #endif

    // Runs the built tools by their Linux names: Linux (and macOS) only.
    #if !os(Windows)
    @Test func aBadFileIsExit64WithFileAndLineBeforeTheBundleIsRead() throws {
        let folder = try TemporaryDirectory("signatures")
        defer { folder.remove() }
        let file = folder.path("bad.yaml")
        try Self.site.replacingOccurrences(of: "supports: not-signed-in", with: "supports: signed-out")
            .write(toFile: file, atomically: true, encoding: .utf8)
        // The bundle does not exist: were it read first, the error would be about it (exit 1).
        for arguments in [["/nonexistent/bundle.zip"], ["batch", "/nonexistent/bundle.zip", "--output", folder.path("out.jsonl")]] {
            let run = try runTool(tool, arguments + ["--signatures", file])
            #expect(run.status == 64, "\(run.output)")
            #expect(run.output.contains("\(file):6: unknown cause code `signed-out`"), "\(run.output)")
        }
    }
    #endif

    // Runs the built tools by their Linux names: Linux (and macOS) only.
    #if !os(Windows)
    @Test func signaturesTestRunsTheExamples() throws {
        let (folder, _, signatures) = try prepared()
        defer { folder.remove() }
        let run = try runTool(tool, ["signatures", "test", signatures])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("4 passed, 0 failed"))
        let broken = folder.path("broken.yaml")
        try Self.site.replacingOccurrences(of: "tenant 42\"]", with: "tenant 42\", \"Render token is stale for tenant 1\"]")
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let failing = try runTool(tool, ["signatures", "test", broken])
        #expect(failing.status == 1)
        #expect(failing.output.contains("FAIL cc-render-token-stale"))
        let builtIn = try runTool(tool, ["signatures", "test"])
        #expect(builtIn.status == 0, "\(builtIn.output)")
    }
    #endif

    @Test func theRulesVersionChangesWithTheFile() throws {
        let (folder, _, signatures) = try prepared()
        defer { folder.remove() }
        let site = try SignatureSet.load(path: signatures)
        let withSite = RulesVersion.of(versions: .default, signatures: site)
        #expect(RulesVersion.of(versions: .default, signatures: .builtIn) == RulesVersion.current)
        #expect(withSite != RulesVersion.current)
        try (Self.site + "\n# a comment changes the bytes\n").write(toFile: signatures, atomically: true, encoding: .utf8)
        #expect(RulesVersion.of(versions: .default, signatures: try SignatureSet.load(path: signatures)) != withSite)
        #expect(RulesVersion.of(versions: .default, signatures: try SignatureSet.load(path: signatures))
                == RulesVersion.of(versions: .default, signatures: try SignatureSet.load(path: signatures)))
    }

    // Runs the built tools by their Linux names: Linux (and macOS) only.
    #if !os(Windows)
    @Test func aBatchIndexReanalysesWhenTheFileChanges() throws {
        let (folder, root, signatures) = try prepared()
        defer { folder.remove() }
        let index = folder.path("index.sqlite")
        let bundle = folder.path("bundle.zip")
        let collect = try runTool(BuiltProducts.path("logcollect"), ["--root", root.path, "--now", ClientFixtures.now, "--output", bundle])
        #expect(collect.status == 0, "\(collect.output)")
        func batch() throws -> String {
            let run = try runTool(tool, ["batch", bundle, "--output", folder.path("out.jsonl"), "--index", index,
                                         "--signatures", signatures, "--no-progress"])
            #expect(run.status == 0, "\(run.output)")
            return try String(contentsOfFile: folder.path("out.jsonl"), encoding: .utf8)
        }
        let first = try batch()
        #expect(first.contains("note:gpu-sandbox"))
        try Self.site.replacingOccurrences(of: "note:gpu-sandbox", with: "note:gpu-sandbox-v2")
            .write(toFile: signatures, atomically: true, encoding: .utf8)
        let second = try batch()
        #expect(second.contains("note:gpu-sandbox-v2"), "a changed file must not reuse the stored line")
    }
    #endif
}
