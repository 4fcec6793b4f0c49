import Foundation

/// Progress of a long job on standard error: a bar redrawn in place with count, rate
/// and ETA when stderr is a terminal, otherwise a plain line every few seconds (for
/// logs and CI).
final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let interactive = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()

    init(_ label: String) { self.label = label }

    func update(_ done: Int, _ total: Int) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        let interval = interactive ? 0.1 : 5
        guard now.timeIntervalSince(lastDraw) >= interval || done == total else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(start), 1e-9)
        let rate = Double(done) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let numbers = String(format: "%d/%d  %.0f/s  ETA %@", done, total, rate, Self.clock(eta))
        if interactive {
            let width = 30, filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write("\r\(label) \(bar) \(numbers)\u{1B}[K".data(using: .utf8)!)
            if done == total { FileHandle.standardError.write("\n".data(using: .utf8)!) }
        } else {
            FileHandle.standardError.write("\(label): \(numbers)\n".data(using: .utf8)!)
        }
    }

    /// Progress of a stream whose size is not known: a count and a rate.
    func count(_ done: Int, unit: String = "lines") {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= (interactive ? 0.1 : 5) else { return }
        lastDraw = now
        let rate = Double(done) / max(now.timeIntervalSince(start), 1e-9)
        let text = String(format: "%@: %d %@  %.0f/s", label, done, unit, rate)
        FileHandle.standardError.write((interactive ? "\r\(text)\u{1B}[K" : text + "\n").data(using: .utf8)!)
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
