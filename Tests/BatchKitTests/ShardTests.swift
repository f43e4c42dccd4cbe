@testable import BatchKit
import Foundation
import Testing
import TestSupport

/// Scale-out: `--shard K/N` splits the inputs, `merge` puts them back together exactly.
@Suite("batch shards and merge")
struct ShardTests {
    @Test("N shards merged give the bytes of one run: JSON Lines, CSV and summary page", arguments: [2, 3, 5])
    func shardsMergeToOneRun(count: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for (offset, name) in ClientFixtures.names.enumerated() {
            try FixtureBundles.copy(name, to: dir.path("in/\(offset % 3)/\(name).zip"))
        }
        try Data("junk".utf8).write(to: dir.url.appendingPathComponent("in/junk.zip"))
        func outputs(_ name: String) -> BatchOutputs {
            BatchOutputs(output: dir.path("\(name).jsonl"), summary: dir.path("\(name).html"), csv: dir.path("\(name).csv"))
        }
        var whole = batchOptions([dir.path("in")], output: "")
        whole.outputs = outputs("whole")
        _ = try BatchRunner.run(whole, log: Messages().sink)

        var shardFiles: [String] = []
        var shardLines = 0
        for index in 0..<count {
            var options = batchOptions([dir.path("in")], output: dir.path("shard\(index).jsonl"), jobs: 1)
            options.shard = Shard(index: index, count: count)
            _ = try BatchRunner.run(options, log: Messages().sink)
            shardFiles.append(dir.path("shard\(index).jsonl"))
            shardLines += try jsonLines(dir.path("shard\(index).jsonl")).count
        }
        #expect(shardLines == ClientFixtures.names.count + 1, "every bundle in exactly one shard")
        let merged = try ShardMerger.merge(shardFiles.reversed(), outputs: outputs("merged"), log: Messages().sink)
        #expect(merged.status == .someErrors)
        for suffix in ["jsonl", "csv", "html"] {
            let one = try Data(contentsOf: URL(fileURLWithPath: dir.path("whole.\(suffix)")))
            let two = try Data(contentsOf: URL(fileURLWithPath: dir.path("merged.\(suffix)")))
            #expect(one == two, "\(suffix) differs")
        }
    }

    @Test("K/N: parsed from 0, checked; the hash of a path never changes")
    func shardArgument() {
        #expect(Shard(argument: "0/4") == Shard(index: 0, count: 4))
        #expect(Shard(argument: "3/4")?.index == 3)
        for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/2/3", ""] { #expect(Shard(argument: bad) == nil, "\(bad)") }
        #expect(Shard.stableHash("") == 0xcbf2_9ce4_8422_2325)
        #expect(Shard.stableHash("a") == 0xaf63_dc4c_8601_ec8c)
        let paths = (0..<1000).map { "/bundles/\($0).zip" }
        let shares = (0..<4).map { index in paths.filter { Shard(index: index, count: 4)?.contains($0) == true }.count }
        #expect(shares.reduce(0, +) == 1000)
        #expect(shares.allSatisfy { $0 > 200 && $0 < 300 }, "\(shares)")
    }

    @Test("merge refuses a file that is not a batch's sorted output, and writes nothing")
    func mergeRefusesUnsorted() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let lines = ["/b.zip", "/a.zip"].map { #"{"bundle":{"path":"\#($0)","sha256":null,"collectedAt":null},"error":{"code":"not-found","message":"x"},"schemaVersion":1}"# }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: dir.url.appendingPathComponent("unsorted.jsonl"))
        try Data("not json\n".utf8).write(to: dir.url.appendingPathComponent("garbage.jsonl"))
        for input in ["unsorted.jsonl", "garbage.jsonl", "missing.jsonl"] {
            let error = try #require(throws: BatchError.self) {
                try ShardMerger.merge([dir.path(input)], outputs: BatchOutputs(output: dir.path("out.jsonl")), log: Messages().sink)
            }
            #expect(error.message.contains(dir.path(input)), "\(error.message)")
            #expect(!FileManager.default.fileExists(atPath: dir.path("out.jsonl")))
            #expect(!FileManager.default.fileExists(atPath: dir.path("out.jsonl.partial")))
        }
    }

    @Test("a path in two shards is written once")
    func duplicateAcrossShards() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let line = #"{"bundle":{"path":"/a.zip","sha256":null,"collectedAt":null},"error":{"code":"not-found","message":"x"},"schemaVersion":1}"# + "\n"
        for name in ["one", "two"] { try Data(line.utf8).write(to: dir.url.appendingPathComponent("\(name).jsonl")) }
        let messages = Messages()
        _ = try ShardMerger.merge([dir.path("one.jsonl"), dir.path("two.jsonl")], outputs: BatchOutputs(output: dir.path("out.jsonl")),
                                  log: messages.sink)
        #expect(try jsonLines(dir.path("out.jsonl")).count == 1)
        #expect(messages.text.contains("in more than one shard"))
    }
}
