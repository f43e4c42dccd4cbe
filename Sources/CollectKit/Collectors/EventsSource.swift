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
            var kept: [String] = []
            var total = 0
            do {
                let reader = try XMLPullReader(path: file.url.path, options: .init(maxDepth: 64, allowMultipleRoots: true))
                while let event = try reader.readElement() {
                    total += 1
                    if Self.isRelevant(event, now: context.now) {
                        kept.append(event.xmlString(extraAttributes: [("xmlns", Self.namespace)]))
                    }
                }
            } catch {
                result.problems.append("\(log) events: stopped reading at \(error); kept what came before")
            }
            result.entries.append(PlannedEntry(
                path: "system/events/\(log).xml", content: .data(Data(kept.joined(separator: "\r\n").utf8)),
                format: .text, source: name,
                note: "\(kept.count) of \(total) events kept (Bentley, service control and TLS, last 30 days)"))
        }
        if foundAny || !result.problems.isEmpty || !result.timedOut.isEmpty { return result }
        var missing = SourceResult.missing("no event log exports")
        missing.unavailable = result.unavailable
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
