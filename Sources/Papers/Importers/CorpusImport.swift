import Embedding
import Foundation
import Storage

/// The open corpora refer reads, streamed in constant memory (`.gz` read as it is):
/// `refer import --format F FILE` writes paper JSONL, `refer ingest FILE --format F`
/// stores it. A record that cannot be read is reported as FILE:LINE: reason and skipped.
public enum CorpusFormat: String, CaseIterable, Sendable {
    /// OpenAlex works snapshot (JSON Lines).
    case openalex
    /// Semantic Scholar `papers` (JSON Lines), with `abstracts` joined by corpusid.
    case s2
    /// arXiv metadata snapshot (JSON Lines).
    case arxiv
    /// DBLP XML dump.
    case dblp
}

public enum CorpusImport {
    /// What one streamed import did.
    public struct Report: Sendable, Equatable {
        public var papers = 0
        public var skipped = 0
    }

    /// Streams the papers of `file`: `paper(record, line)` for each, `problem("FILE:LINE: reason")`
    /// for each record skipped, `progress(lines)` every 100,000 lines. `abstracts`: the
    /// Semantic Scholar abstracts file (only for `.s2`).
    public static func stream(_ format: CorpusFormat, file: String, abstracts: String? = nil,
                              paper: (PaperRecord, _ line: Int) throws -> Void,
                              problem: (String) -> Void, progress: ((Int) -> Void)? = nil) throws -> Report {
        guard abstracts == nil || format == .s2 else { throw ImportError("--abstracts goes with --format s2") }
        let reader = try LineReader(path: file)
        var report = Report()
        func skip(_ line: Int, _ reason: String) { report.skipped += 1; problem("\(file):\(line): \(reason)") }
        if format == .dblp {
            try DBLPXML.records(reader, paper: { p, line in report.papers += 1; try paper(p, line) }, problem: skip)
            return report
        }
        let index = try abstracts.map { path in
            let index = try AbstractIndex(file: path, progress: progress)
            for p in index.problems { problem("\(path):\(p.line): \(p.reason)") }
            return index
        }
        while let line = try reader.next() {
            if reader.lineNumber % 100_000 == 0 { progress?(reader.lineNumber) }
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                let record: PaperRecord
                switch format {
                case .openalex: record = try OpenAlexWork.paper(line)
                case .s2: record = try SemanticScholar.paper(line, abstracts: index)
                case .arxiv: record = try ArxivMetadata.paper(line)
                case .dblp: preconditionFailure("read above")
                }
                report.papers += 1
                try paper(record, reader.lineNumber)
            } catch let e as ImportError {
                skip(reader.lineNumber, e.reason)
            }
        }
        return report
    }
}
