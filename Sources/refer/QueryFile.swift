import Embedding
import Foundation
import Storage
import VectorIO

/// Queries for `refer search` and `refer tune --store`: an `.fbin` of vectors, or a text
/// file with one query per line (blank lines skipped): a draft's text, embedded, or a paper
/// JSON line, which stands for the stored paper's own vector when the store holds its id
/// (`refer export` output searches every stored paper without embedding anything), else
/// for its title and abstract, embedded.
enum QueryFile {
    static func vectors(_ path: String, modelDir: String?, store: StoreSearcher? = nil) throws -> Matrix<Float> {
        if path.hasSuffix(".fbin") { return try VectorFile.readFloats(path) }
        guard let data = FileManager.default.contents(atPath: path) else { throw SearchInputError("\(path): cannot read") }
        let lines = String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated().map { ($0.offset + 1, $0.element.trimmingCharacters(in: .whitespaces)) }.filter { !$0.1.isEmpty }
        guard !lines.isEmpty else { throw SearchInputError("\(path): no queries (one draft per line, or an .fbin)") }
        // Each line: a stored vector, or a text to embed.
        var rows = [[Float]?](repeating: nil, count: lines.count), texts: [(row: Int, text: String)] = []
        for (row, (number, line)) in lines.enumerated() {
            guard line.hasPrefix("{") else { texts.append((row, line)); continue }
            let paper: PaperRecord
            do { paper = try PaperRecord.parse(line, extraFields: false) } catch { throw SearchInputError("\(path):\(number): \(error)") }
            if let v = try store?.vector(ofPaper: paper.id) { rows[row] = v } else { texts.append((row, paper.embeddingText)) }
        }
        if !texts.isEmpty {
            for (t, v) in zip(texts, try (store.map { try Embedder.forStore($0, modelDirectory: modelDir) } ?? Embedder(modelDirectory: modelDir)).embedRows(texts.map(\.text))) { rows[t.row] = v }
        }
        let vectors = rows.map { $0! }
        return Matrix(rows: vectors.count, columns: vectors[0].count, elements: vectors.flatMap { $0 })
    }
}
