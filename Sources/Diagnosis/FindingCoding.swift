import Foundation

// Findings and their evidence as JSON: the shape of the report contract (CAUSES.md, "The JSON
// contract"; docs/report.schema.json), since `Report` holds these very values. A report rounds
// each confidence to two decimals before it holds a finding; decoding takes values as written
// (neither clamped nor rounded, an excerpt not shortened).

extension Finding: Codable {
    enum CodingKeys: String, CodingKey { case cause, confidence, title, fix, evidence, productIds, explainedBy, explains }

    /// Encodes a finding; `explainedBy` and `explains` only when another finding is involved.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cause, forKey: .cause)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(title, forKey: .title)
        try container.encode(fix, forKey: .fix)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(productIds, forKey: .productIds)
        try container.encodeIfPresent(explainedBy, forKey: .explainedBy)
        if !explains.isEmpty { try container.encode(explains, forKey: .explains) }
    }

    /// Decodes a finding; `productIds`, `explainedBy` and `explains` may be absent.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cause = try container.decode(String.self, forKey: .cause)
        confidence = try container.decode(Double.self, forKey: .confidence)
        title = try container.decode(String.self, forKey: .title)
        fix = try container.decode(String.self, forKey: .fix)
        evidence = try container.decode([Evidence].self, forKey: .evidence)
        productIds = try container.decodeIfPresent([Int].self, forKey: .productIds) ?? []
        explainedBy = try container.decodeIfPresent(String.self, forKey: .explainedBy)
        explains = try container.decodeIfPresent([String].self, forKey: .explains) ?? []
    }
}

extension Evidence: Codable {
    enum CodingKeys: String, CodingKey { case file, line, excerpt, row }

    /// Encodes the evidence; `line` is `null` when the evidence is not a line; `row` only for a
    /// database row.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(excerpt, forKey: .excerpt)
        try container.encodeIfPresent(row, forKey: .row)
    }

    /// Decodes evidence; `line` and `row` may be absent.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        file = try container.decode(String.self, forKey: .file)
        line = try container.decodeIfPresent(Int.self, forKey: .line)
        excerpt = try container.decode(String.self, forKey: .excerpt)
        row = try container.decodeIfPresent(String.self, forKey: .row)
    }
}
