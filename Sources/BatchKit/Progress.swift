import Foundation

/// The progress line on standard error while a batch runs: done/total, rate, time left.
/// Redrawn at most a few times a second, and only when standard error is a terminal.
final class ProgressLine {
    private let total: Int
    private let enabled: Bool
    private let started = Date()
    private var lastDrawn = Date.distantPast

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && total > 0
    }

    /// Shows that `done` bundles are finished.
    func update(done: Int) {
        guard enabled else { return }
        let now = Date()
        guard done == total || now.timeIntervalSince(lastDrawn) >= 0.25 else { return }
        lastDrawn = now
        FileHandle.standardError.write(Data(("\r" + Self.line(done: done, total: total, elapsed: now.timeIntervalSince(started)) + "\u{1B}[K").utf8))
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// `  120/1000 bundles  35.2/s  0:25 left`.
    static func line(done: Int, total: Int, elapsed: TimeInterval) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var text = "  \(done)/\(total) bundles"
        guard done > 0, rate > 0 else { return text }
        text += String(format: "  %.1f/s", rate)
        let left = Int((Double(total - done) / rate).rounded())
        text += left >= 3600 ? String(format: "  %d:%02d:%02d left", left / 3600, left / 60 % 60, left % 60)
            : String(format: "  %d:%02d left", left / 60, left % 60)
        return text
    }
}
