import Foundation
import LicensingModel
import XMLKit

/// Reads `wevtutil qe <log> /f:xml` output: `<Event>` elements one after another with no root
/// element (CLIENT-MODEL §7).
public enum EventExportParser {
    /// The events of an export held in memory. `log` names the log ("Application", "System");
    /// when nil, each event's `Channel` is used. A damaged tail ends the list with a warning.
    public static func parse(_ data: Data, file: String, log: String? = nil) throws -> Parsed<[SystemEvent]> {
        let reader: XMLPullReader
        do {
            reader = try XMLPullReader(data: data, name: file, options: XMLReaderOptions(allowMultipleRoots: true))
        } catch let error as XMLError {
            throw ParseError(.xml, file: file, line: error.line, error.message)
        }
        return try read(reader, file: file, log: log)
    }

    /// The events of an export file, streamed one element at a time.
    public static func parse(path: String, file: String, log: String? = nil) throws -> Parsed<[SystemEvent]> {
        let reader: XMLPullReader
        do {
            reader = try XMLPullReader(path: path, options: XMLReaderOptions(allowMultipleRoots: true))
        } catch let error as XMLError {
            throw ParseError(.io, file: file, line: error.line, error.message)
        }
        return try read(reader, file: file, log: log)
    }

    private static func read(_ reader: XMLPullReader, file: String, log: String?) throws -> Parsed<[SystemEvent]> {
        var events: [SystemEvent] = []
        var warnings: [ParseError] = []
        do {
            while let element = try reader.readElement() {
                guard element.name == "Event" else { continue }
                if let event = event(element, file: file, log: log) {
                    events.append(event)
                } else {
                    warnings.append(ParseError(.missingField, file: file, line: element.line,
                                               "an <Event> without System/EventID; skipped"))
                }
            }
        } catch let error as XMLError {
            let problem = ParseError(.xml, file: file, line: error.line,
                                     "the export is damaged after \(events.count) events: \(error.message)")
            if events.isEmpty { throw problem }
            warnings.append(problem)
        }
        return Parsed(value: events, warnings: warnings)
    }

    private static func event(_ element: XMLElement, file: String, log: String?) -> SystemEvent? {
        guard let system = element.child("System"),
              let eventId = system.child("EventID").flatMap({ Int(trimmed($0.text)) })
        else { return nil }
        let data = element.child("EventData").map { $0.children("Data").map { trimmed($0.text) } }
            ?? element.child("UserData").map { flattenedText($0) } ?? []
        return SystemEvent(
            log: log ?? system.child("Channel").map { trimmed($0.text) } ?? "",
            provider: system.child("Provider")?["Name"] ?? "",
            eventId: eventId,
            level: system.child("Level").flatMap { Int(trimmed($0.text)) },
            timeCreated: system.child("TimeCreated")?["SystemTime"].flatMap(LicensingDate.parse),
            computer: system.child("Computer").map { trimmed($0.text) },
            data: data, source: SourceRef(file: file, line: element.line))
    }

    private static func flattenedText(_ element: XMLElement) -> [String] {
        let own = trimmed(element.text)
        return (own.isEmpty ? [] : [own]) + element.children.flatMap(flattenedText)
    }

    private static func trimmed(_ text: String) -> String { text.trimmed(.whitespacesAndNewlines) }
}
