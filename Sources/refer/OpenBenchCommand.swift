import ArgumentParser
import Dispatch
import Foundation
import Storage
import VectorIO

struct OpenBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-open",
        abstract: "Open a store read-only and answer one query: how long after process start the answer is ready.",
        discussion: """
        Prints JSON with the time from process start (as the kernel recorded it) to the opened \
        store and to the first answer. Benchmarks/store/open-time runs it next to loading \
        hnswlib's saved index of the same vectors.

        Example:
          refer bench-open --store refer-store --queries query.fbin
        """
    )
    @OptionGroup var storeOption: StoreOption
    @Option(help: "Query vectors; the first row is asked.") var queries: String
    @Option(help: "Neighbours.") var k = 10

    func run() throws {
        let store = try PaperStore(path: storeOption.store, readOnly: true)
        let searcher = try store.searcher()
        let opened = secondsSinceProcessStart()
        let query = try VectorFile.readFloats(queries).row(0)
        let hits = try searcher.similar(to: query, k: k)
        let answered = secondsSinceProcessStart()
        print(String(format: #"{"papers": %d, "open_ms": %.1f, "first_answer_ms": %.1f, "top": "%@"}"#,
                     searcher.paperCount, opened * 1000, answered * 1000, hits.first?.paperID ?? ""))
    }
}

/// Seconds since the kernel started this process (from /proc/self/stat, in clock ticks;
/// the fractional part comes from /proc/uptime, so the resolution is the tick, 10 ms).
func secondsSinceProcessStart() -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
          let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // Field 22 (starttime) is the 20th after the command name.
    guard fields.count > 19, let ticks = Double(fields[19]), let up = Double(uptime.split(separator: " ")[0]) else { return 0 }
    return up - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
}

