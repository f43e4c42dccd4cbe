import Foundation

// The comparison's JSON (`docs/comparison.schema.json`): what `compare --format json`
// prints. Unknown values are `null`, as in a report; the causes are three lists, so a script
// reads `causes.resolved` without filtering.

extension Comparison: Encodable {
    enum CodingKeys: String, CodingKey { case schemaVersion, tool, old, new, verdict, causes, machine, warnings }

    private struct SideJSON: Encodable {
        let side: Comparison.Side
        enum CodingKeys: String, CodingKey { case bundle, verdict, collectedAtSource, damaged, damage }
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(side.report.bundle, forKey: .bundle)
            try container.encode(side.report.verdict, forKey: .verdict)
            try container.encode(side.report.collectedAtSource, forKey: .collectedAtSource)
            if side.report.damaged {
                try container.encode(true, forKey: .damaged)
                try container.encode(side.report.damage, forKey: .damage)
            }
        }
    }

    private struct BeforeAfter<Value: Encodable>: Encodable {
        let before: Value?
        let after: Value?
        enum CodingKeys: String, CodingKey { case before, after }
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(before, forKey: .before)
            try container.encode(after, forKey: .after)
        }
    }

    private struct CauseJSON: Encodable {
        let change: Comparison.CauseChange
        enum CodingKeys: String, CodingKey { case cause, title, fix, before, after, why }
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(change.cause, forKey: .cause)
            try container.encode(change.title, forKey: .title)
            try container.encode(change.fix, forKey: .fix)
            try container.encode(change.before, forKey: .before)
            try container.encode(change.after, forKey: .after)
            try container.encodeIfPresent(change.why, forKey: .why)
        }
    }

    private struct MachineJSON: Encodable {
        let change: Comparison.MachineChange
        enum CodingKeys: String, CodingKey { case field, label, before, after, changed }
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(change.field, forKey: .field)
            try container.encode(change.label, forKey: .label)
            try container.encode(change.before, forKey: .before)
            try container.encode(change.after, forKey: .after)
            try container.encode(change.changed, forKey: .changed)
        }
    }

    /// Encodes the comparison as its schema describes.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.currentSchemaVersion, forKey: .schemaVersion)
        try container.encode(new.report.tool, forKey: .tool)
        try container.encode(SideJSON(side: old), forKey: .old)
        try container.encode(SideJSON(side: new), forKey: .new)
        try container.encode(BeforeAfter(before: old.report.verdict, after: new.report.verdict), forKey: .verdict)
        var grouped: [String: [CauseJSON]] = [:]
        for status in CauseStatus.allCases { grouped[status.rawValue] = causes(status).map(CauseJSON.init) }
        try container.encode(grouped, forKey: .causes)
        try container.encode(machine.map(MachineJSON.init), forKey: .machine)
        try container.encode(warnings, forKey: .warnings)
    }

    /// The comparison as pretty JSON (sorted keys, `/` unescaped), ending with a newline.
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        // Encoding cannot fail for these values (confidences are finite, keys are strings).
        return ((try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
    }
}
