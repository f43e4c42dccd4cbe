import Foundation
import Testing
import TestSupport

/// Every hostile input in `Fixtures/adversarial/cases.json`, run against the real component it
/// names and against `loganalyze`, each inside the case's time and memory bounds.
///
/// The cases run one at a time: time and memory are the point, and thirty bombs at once would
/// measure each other. Memory is `loganalyze`'s own peak (`wait4`), never this process's, which
/// other suites share.
@Suite("Adversarial input: every case of Fixtures/adversarial/cases.json", .serialized)
struct AdversarialCaseTests {
    @Test("the case table is complete: every file exists, every reader and generator is known")
    func table() throws {
        let cases = try AdversarialCase.load()
        #expect(cases.count >= 25)
        #expect(Set(cases.map(\.name)).count == cases.count, "case names are unique")
        let readers: Set = ["archive", "bundle", "xml", "events", "policy", "checkout", "registry", "log", "sqlite"]
        for item in cases {
            #expect(readers.contains(item.reader), "\(item.name): unknown reader \(item.reader)")
            if let generate = item.generate {
                #expect(GeneratedInput.names.contains(generate), "\(item.name): unknown generator \(generate)")
            } else {
                #expect(FileManager.default.fileExists(atPath: RepoPaths.fixture("adversarial/\(item.file)").path),
                        "\(item.name): \(item.file) is missing; run Scripts/make-adversarial")
            }
        }
        let committed = try FileManager.default.subpathsOfDirectory(atPath: RepoPaths.fixture("adversarial").path)
            .filter { !$0.hasSuffix(".json") && !($0 as NSString).lastPathComponent.hasPrefix(".") }
            .filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: RepoPaths.fixture("adversarial/\(path)").path,
                                                      isDirectory: &isDirectory) && !isDirectory.boolValue
            }
        let used = Set(cases.map(\.file))
        #expect(committed.filter { !used.contains($0) }.isEmpty, "every committed fixture has a case")
    }

    // loganalyze is measured through /usr/bin/python3, posix_spawn and wait4 (MeasuredProcess.swift):
    // Linux (and macOS) only.
    #if !os(Windows)
    @Test("each case: the component gives the stated outcome, and loganalyze on a bundle holding the input ends as stated, within bounds",
          arguments: AdversarialCase.all)
    func adversarialCase(_ item: AdversarialCase) throws {
        let dir = try TemporaryDirectory("adversarial")
        defer { dir.remove() }
        let input = try item.input(in: dir)

        // 1. The component itself, in process.
        let clock = ContinuousClock()
        let start = clock.now
        let observation = try CaseRunner.run(item.reader, on: input)
        let elapsed = clock.now - start
        #expect(elapsed < Sanitizer.scaled(item.seconds), "\(item.name): took \(elapsed)")
        check(observation, against: item.expect, name: item.name)

        // 2. The whole tool, in a child process whose peak memory is its own.
        let bundle: String
        if item.bundlePath == "." {
            bundle = input.path
        } else {
            let folder = dir.url.appendingPathComponent("bundle")
            let target = folder.appendingPathComponent(item.bundlePath)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: input, to: target)
            bundle = folder.path
        }
        let run = try runMeasured(BuiltProducts.path("loganalyze"), [bundle, "--format", "json"])
        #expect(run.status == item.analyzeExit, "\(item.name): loganalyze exit \(run.status): \(run.output.prefix(600))")
        #expect(run.elapsed < Sanitizer.scaled(item.seconds + 5), "\(item.name): loganalyze took \(run.elapsed)")
        if Sanitizer.active == nil {
            let peak = run.peakResidentBytes >> 20
            #expect(peak <= item.memoryMB, "\(item.name): loganalyze peaked at \(peak) MiB (bound \(item.memoryMB))")
        }
        Measurements.record(item, component: elapsed, run: run)
        if run.status == 0 || run.status == 3 {
            let report = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
            let notes = report?["notes"] as? [String] ?? []
            #expect(notes.allSatisfy { $0.count < 1_000 }, "\(item.name): notes are one line each, never a dump")
            // Exit status 3 is "analysed, but damaged": the report must say so.
            #expect((report?["damaged"] as? Bool ?? false) == (run.status == 3), "\(item.name): damaged flag and exit \(run.status)")
        } else {
            #expect(run.output.split(separator: "\n").count == 1, "\(item.name): one line says why: \(run.output.prefix(600))")
        }
    }

    private func check(_ observation: Observation, against expect: AdversarialCase.Expectation, name: String) {
        #expect(observation.error == expect.error, "\(name): \(observation)")
        for text in expect.contains ?? [] {
            #expect(observation.texts.contains { $0.contains(text) }, "\(name): no text contains \"\(text)\"; \(observation)")
        }
        for text in expect.lacks ?? [] {
            #expect(!observation.texts.contains { $0.contains(text) }, "\(name): some text contains \"\(text)\"; \(observation)")
        }
        for (key, value) in expect.counts ?? [:] {
            #expect(observation.counts[key, default: 0] == value, "\(name): \(key) is \(observation.counts[key, default: 0]), not \(value); \(observation)")
        }
        for (key, value) in expect.atLeast ?? [:] {
            #expect(observation.counts[key, default: 0] >= value, "\(name): \(key) is \(observation.counts[key, default: 0]), under \(value); \(observation)")
        }
    }
    #endif
}

// dlopen/dlsym and MeasuredRun, for the Linux-only case test above.
#if !os(Windows)
/// The sanitizer this test binary was built with, if any: it slows everything down several
/// times and makes resident memory meaningless (shadow memory), so bounds adapt.
enum Sanitizer {
    static let active: String? = {
        let handle = dlopen(nil, RTLD_NOW)
        defer { if let handle { dlclose(handle) } }
        if dlsym(handle, "__tsan_init") != nil { return "thread" }
        if dlsym(handle, "__asan_init") != nil { return "address" }
        return ProcessInfo.processInfo.environment["TMS_SANITIZER"]
    }()

    /// A time bound stretched for the sanitizer in use (ThreadSanitizer is the slowest).
    static func scaled(_ seconds: Double) -> Duration {
        switch active {
        case "thread": .seconds(seconds * 10)
        case .some: .seconds(seconds * 4)
        case nil: .seconds(seconds)
        }
    }
}

/// With `ADVERSARIAL_MEASUREMENTS=FILE`, each case appends what it measured to FILE (tab-
/// separated: name, component seconds, loganalyze seconds, loganalyze peak MiB, outcome):
/// the figures in docs/security.md.
enum Measurements {
    static func record(_ item: AdversarialCase, component: Duration, run: MeasuredRun) {
        guard let path = ProcessInfo.processInfo.environment["ADVERSARIAL_MEASUREMENTS"] else { return }
        func seconds(_ duration: Duration) -> String {
            String(format: "%.2f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
        let line = [item.name, seconds(component), seconds(run.elapsed), "\(run.peakResidentBytes >> 20)", "exit \(run.status)"]
            .joined(separator: "\t") + "\n"
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { return }
        handle.seekToEndOfFile()
        handle.write(Data(line.utf8))
        try? handle.close()
    }
}
#endif
