import Foundation
import Reporting

/// Where the lines of a batch or a merge go, in order: the JSON Lines file, the CSV, the
/// per-bundle report pages and the summary (counted as lines come, written at the end).
///
/// Every file is opened (as `PATH.partial`) before the first bundle is analysed, so an output
/// that cannot be written fails the batch at once, with nothing analysed for nothing.
final class ResultSink {
    private let outputs: BatchOutputs
    private let lines: LineFileWriter
    private let csv: CSVExport?
    private let page: LineFileWriter?
    /// What has been counted so far.
    private(set) var summary = BatchSummary()

    /// Opens every output; throws `BatchError` naming the first one that cannot be written.
    init(_ outputs: BatchOutputs) throws {
        self.outputs = outputs
        lines = try LineFileWriter(path: outputs.output)
        var csv: CSVExport?
        var page: LineFileWriter?
        do {
            csv = try outputs.csv.map(CSVExport.init)
            page = try outputs.summary.map { try LineFileWriter(path: $0) }
            if let folder = outputs.reports {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    let reason = ((error as? CocoaError)?.underlying as? POSIXError).map { BundleDiscovery.text($0.code.rawValue) }
                    throw BatchError("cannot create the reports folder \(folder): \(reason ?? "it cannot be made here")")
                }
            }
        } catch {
            lines.discard()
            csv?.discard()
            page?.discard()
            throw error
        }
        self.csv = csv
        self.page = page
    }

    /// The fields of a batch line; throws `BatchError` when it is not one.
    static func fields(of line: Data) throws -> LineFields {
        do {
            return try LineFields(line: line)
        } catch {
            throw BatchError("not a batch line (\(error)): \(String(decoding: line.prefix(120), as: UTF8.self))")
        }
    }

    /// Writes one line (it must end with `\n`) and counts it; returns its fields.
    @discardableResult
    func add(_ line: Data) throws -> LineFields {
        let fields = try Self.fields(of: line)
        try add(line, fields: fields)
        return fields
    }

    /// Writes one line whose fields are known, and counts it.
    func add(_ line: Data, fields: LineFields) throws {
        try lines.append(line)
        try csv?.add(fields)
        summary.add(fields, reportLink: try reportPage(for: line, fields: fields))
    }

    /// Puts every output into place: the JSON Lines, the CSV, the summary page. Every file is
    /// written and flushed before the first is renamed, so a full disk (or any failure before
    /// the renames) leaves every earlier output as it was.
    func commit() throws {
        if let page { try page.append(Data(SummaryPage.render(summary).utf8)) }
        let files = [lines] + [csv?.file, page].compactMap { $0 }
        for file in files { try file.finish() }
        for file in files { try file.place() }
    }

    /// Deletes every `.partial` file not yet put in place.
    func discard() {
        lines.discard()
        csv?.discard()
        page?.discard()
    }

    /// A report page's file name: the bundle's own name (letters, digits, `.`, `_`, `-`; the
    /// rest as `_`) and a hash of its whole path, since bundles in different folders may share
    /// a name: `country-mismatch.zip-1f2e3d4c.html`.
    static func pageName(forBundle path: String) -> String {
        let base = (path as NSString).lastPathComponent
        let safe = String(base.unicodeScalars.prefix(60).map {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0) ? Character($0) : "_"
        })
        return (safe.isEmpty || safe.hasPrefix(".") ? "bundle" + safe : safe)
            + String(format: "-%08llx.html", Shard.stableHash(path) & 0xFFFF_FFFF)
    }

    /// Writes the bundle's own report page, when asked to; returns its link from the summary.
    private func reportPage(for line: Data, fields: LineFields) throws -> String? {
        guard let folder = outputs.reports else { return nil }
        let file = (folder as NSString).appendingPathComponent(Self.pageName(forBundle: fields.path))
        let report = try BatchLine.report(from: line)
        var renderer = HTMLRenderer()
        if let summaryPage = outputs.summary {
            renderer.backLink = HTMLRenderer.BackLink(href: PageLink.relative(from: folder, to: summaryPage), label: "Batch summary")
        }
        // Aside and renamed, as the other outputs: a full disk or a kill never leaves half a page.
        let page = try LineFileWriter(path: file, syncing: false)
        do {
            try page.append(Data(renderer.render(report).utf8))
            try page.commit()
        } catch {
            page.discard()
            throw error
        }
        let base = outputs.summary.map { ($0 as NSString).deletingLastPathComponent } ?? "."
        return PageLink.relative(from: base.isEmpty ? "." : base, to: file)
    }
}
