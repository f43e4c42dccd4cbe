import AnalyzeKit
import Foundation
import Platform
import Reporting

/// What a batch or a merge did.
public struct BatchResult: Sendable {
    /// How it ended (the exit status).
    public let status: BatchStatus
    /// What the lines said.
    public let summary: BatchSummary
    /// Bundles analysed, and reused unchanged from the index.
    public let analysed: Int
    public let reused: Int
}

/// `loganalyze batch`: analyses many bundles on a few threads and writes one line per bundle,
/// sorted by path whatever order they finish in.
///
/// `jobs` worker threads take bundles from an `OrderedPipeline` whose window (4 × jobs) bounds
/// how far they run ahead of the writer, so memory does not grow with the number of bundles;
/// this thread writes each line as soon as every line before it is written. On SIGINT or SIGTERM
/// it stops taking lines, puts the whole lines written so far into place and returns
/// `.interrupted`; a SIGKILL leaves `OUTPUT.partial` with whole lines only, each of them
/// already in the index. A write that fails (a full disk) deletes every `.partial` file and
/// throws: no output is replaced by half of itself.
public enum BatchRunner {
    /// Runs a batch. Throws `BatchError` when nothing could be written (exit status 1).
    public static func run(_ options: BatchOptions, log: @escaping MessageSink = standardErrorSink) throws -> BatchResult {
        let discovered = options.discovery.discover(in: options.inputs)
        for file in discovered.skipped { log("loganalyze: skipped \(file.path): \(file.reason)") }
        guard !discovered.bundles.isEmpty else {
            let named = options.inputs.joined(separator: ", ")
            throw BatchError("no bundle in \(named.isEmpty ? "the paths read from standard input" : named)"
                             + (discovered.skipped.isEmpty ? "" : " (\(discovered.skipped.count) files skipped, above)"))
        }
        // Past a file-size limit (`ulimit -f`) a write fails with EFBIG, one line and exit 1,
        // instead of the default SIGXFSZ that kills the process and leaves its `.partial` files.
        ProcessProbe.reportFileSizeLimitAsError()
        var inputs = discovered.bundles
        if let shard = options.shard { inputs = inputs.filter { shard.contains($0.path) } }
        let sink = try ResultSink(options.outputs)
        let index: TriageIndex?
        do {
            index = try options.index.map { try TriageIndex(path: $0, log: log) }
        } catch {
            sink.discard()
            throw error
        }

        let job = BundleJob(versions: options.versions, rulesVersion: options.rulesVersion, index: index,
                            signatures: options.signatures)
        let pipeline = OrderedPipeline<BundleJob.Result>(count: inputs.count, window: options.jobs * 4)
        let interruption = Interruption { _ in pipeline.cancel() }
        defer { interruption.uninstall() }
        startWorkers(min(options.jobs, inputs.count), pipeline: pipeline, job: job, inputs: inputs)

        let progress = ProgressLine(total: inputs.count, enabled: options.showProgress)
        var (written, reused, outdated) = (0, 0, 0)
        do {
            while let result = pipeline.take() {
                // The index first: a kill between the two leaves a line the re-run reuses, never a
                // line in OUTPUT.partial that the index lacks.
                let fields = try ResultSink.fields(of: result.line)
                try index?.record(fields, line: result.line, rulesVersion: options.rulesVersion)
                try sink.add(result.line, fields: fields)
                written += 1
                if case .reused = result.source { reused += 1 }
                if case .outdated = result.source { outdated += 1 }
                progress.update(done: written)
            }
            progress.finish()
            try index?.flush()
            try sink.commit()
        } catch {
            pipeline.cancel()
            progress.finish()
            sink.discard()
            throw error
        }

        let summary = sink.summary
        if let signal = interruption.signalReceived {
            log("loganalyze: interrupted by \(signal == SIGINT ? "SIGINT" : "SIGTERM"): the \(written) of \(inputs.count) bundles "
                + "that had finished are in \(options.outputs.output)")
            return BatchResult(status: .interrupted(signal: signal), summary: summary, analysed: written - reused, reused: reused)
        }
        log(summary.text(title: "loganalyze batch"))
        if index != nil {
            log("  index: \(reused) reused, \(written - reused) analysed"
                + (outdated > 0 ? " (\(outdated) of them judged before by other rules)" : ""))
        }
        return BatchResult(status: summary.errors.isEmpty ? .allAnalysed : .someErrors, summary: summary,
                           analysed: written - reused, reused: reused)
    }

    /// Starts `count` threads that analyse bundles until the pipeline has no more to give.
    private static func startWorkers(_ count: Int, pipeline: OrderedPipeline<BundleJob.Result>, job: BundleJob,
                                     inputs: [BatchInput]) {
        for number in 0..<count {
            let thread = Thread {
                while let item = pipeline.claim() {
                    pipeline.deliver(item, job.run(inputs[item]))
                }
            }
            thread.name = "loganalyze batch \(number)"
            thread.stackSize = 8 << 20  // the analysis' parsers recurse; as much as the main thread
            thread.start()
        }
    }
}
