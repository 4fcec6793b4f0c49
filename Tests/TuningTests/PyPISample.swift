import HNSW
import VectorIO

/// The first `baseRows` vectors of the shared PyPI set indexed (M 16, efc 200), and the
/// first `learnRows` of its learn set: a small real index for the tuner's tests.
func pypiSample(baseRows: Int, learnRows: Int) throws -> (index: HNSWIndex, base: Matrix<Float>, learn: Matrix<Float>) {
    let base = try VectorFile.readFloats("../shared/datasets/pypi-minilm-100k/base.fbin").prefix(rows: baseRows)
    let learn = try VectorFile.readFloats("../shared/datasets/pypi-minilm-100k/learn.fbin").prefix(rows: learnRows)
    let index = try HNSWIndex(HNSWConfiguration(dimension: 384, metric: .ip))
    try index.add(base.elements, threads: 2)
    return (index, base, learn)
}
