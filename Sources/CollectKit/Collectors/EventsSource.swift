import Foundation
import LicensingParsers
import XMLKit

/// Bentley and service-control events of the last 30 days from the Application and System
/// logs, written back in the export's own form (concatenated `<Event>` elements, no root).
///
/// Kept: crashes and hangs naming a Bentley program, Service Control Manager events naming a
/// Bentley service, Schannel (TLS) errors, and anything from a Bentley provider.
public struct EventsSource: CollectorSource {
    public let name = "events"
    static let window: TimeInterval = 30 * 86_400
    static let namespace = "http://schemas.microsoft.com/win/2004/08/events/event"

    public init() {}

    public func collect(_ context: CollectionContext) throws -> SourceResult {
        var result = SourceResult()
        var foundAny = false
        for log in ["Application", "System"] {
            let answer = try context.machine.ask(.eventLog(log))
            result.notes += answer.notes
            if let failure = answer.failure { result.record(failure) }
            guard let file = answer.file else {
                if answer.failure == nil { result.notes.append("no \(log) event log export") }
                continue
            }
            foundAny = true
            // Kept events go to a scratch file as they are read: an export of any size costs no memory.
            let keptURL = context.scratch.appendingPathComponent("events-\(log).xml")
            var kept = 0
            var total = 0
            do {
                let output = try KeptEvents(keptURL)
                defer { output.close() }
                do {
                    try file.withOpenedPath { path in
                        let reader = try XMLPullReader(path: path, options: .init(maxDepth: 64, allowMultipleRoots: true))
                        while let event = try reader.readElement() {
                            total += 1
                            if Self.isRelevant(event, now: context.now) {
                                try output.add(event.xmlString(extraAttributes: [("xmlns", Self.namespace)]))
                                kept += 1
                            }
                        }
                    }
                } catch let error as KeptEvents.WriteError {
                    throw error
                } catch {
                    result.problems.append("\(log) events: stopped reading at \(error); kept what came before")
                }
                try output.flush()
            } catch {
                result.problems.append("\(log) events: \(error); left out")
                continue
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: keptURL.path)[.size] as? NSNumber)??.int64Value ?? 0
            result.entries.append(PlannedEntry(
                path: "system/events/\(log).xml",
                content: .file(MachineFile(path: file.path, url: keptURL, size: size, modified: context.now), keepNewest: nil),
                format: .text, source: name,
                note: "\(kept) of \(total) events kept (Bentley, service control and TLS, last 30 days)"))
        }
        if foundAny || !result.problems.isEmpty || !result.timedOut.isEmpty { return result }
        var missing = SourceResult.missing("no event log exports")
        missing.missingParts = result.missingParts
        return missing
    }

    static func isRelevant(_ event: XMLElement, now: Date) -> Bool {
        guard let system = event.child("System") else { return false }
        if let stamp = system.child("TimeCreated")?["SystemTime"], let time = LicensingDate.parse(stamp) {
            guard time <= now.addingTimeInterval(86_400), now.timeIntervalSince(time) <= window else { return false }
        }
        let provider = system.child("Provider")?["Name"] ?? ""
        if provider.localizedCaseInsensitiveContains("Schannel") || provider.localizedCaseInsensitiveContains("Bentley") {
            return true
        }
        let data = event.child("EventData")?.children.map(\.text).joined(separator: " ") ?? ""
        return data.localizedCaseInsensitiveContains("Bentley")
    }
}

/// The kept events of one log, written to a scratch file as they come, separated by CRLF as
/// the export separates them.
private final class KeptEvents {
    struct WriteError: Error, CustomStringConvertible {
        let description: String
    }

    private let handle: FileHandle
    private var buffer = Data()
    private var first = true

    init(_ url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw WriteError(description: "cannot write \(url.path)")
        }
        handle = try FileHandle(forWritingTo: url)
    }

    func add(_ event: String) throws {
        if !first { buffer.append(contentsOf: [0x0D, 0x0A]) }
        first = false
        buffer.append(contentsOf: event.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        do { try handle.write(contentsOf: buffer) } catch { throw WriteError(description: "cannot write the kept events (\(error))") }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() { try? handle.close() }
}
