import Foundation
import LicensingParsers

/// The Bentley processes from the process list (`tasklist /v /fo csv`): the header and every
/// row that names Bentley, written as UTF-8 CSV. Other processes are none of support's business.
public struct ProcessesSource: CollectorSource {
    public let name = "processes"

    public init() {}

    public func collect(_ context: CollectionContext) throws -> SourceResult {
        let answer = try context.machine.ask(.processList)
        var result = SourceResult()
        result.notes = answer.notes
        if let failure = answer.failure { result.record(failure) }
        guard let file = answer.file else { return answer.failure == nil ? .missing("no process list") : result }
        guard file.size <= 64 << 20 else {
            result.problems.append("\(file.path): \(file.size) bytes is not a process list; left out")
            return result
        }
        let text = TextDecoding.string(from: try file.contents())
        let lines = LineSplitter.lines(of: text).filter { !$0.isEmpty }
        guard let header = lines.first else { return .missing("\(file.path) is empty") }
        let bentley = lines.dropFirst().filter { $0.localizedCaseInsensitiveContains("bentley") }
        result.entries = [PlannedEntry(
            path: "system/tasklist.csv", content: .data(Data(([header] + bentley).joined(separator: "\r\n").utf8 + [0x0D, 0x0A])),
            format: .text, source: name, note: "\(bentley.count) of \(lines.count - 1) processes kept (those naming Bentley)")]
        return result
    }
}
