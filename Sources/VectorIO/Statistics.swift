/// The sample standard deviation of `values` over the square root of their count (0 for fewer than two).
public func standardErrorOfMean(_ values: [Double]) -> Double {
    guard values.count > 1 else { return 0 }
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    return (variance / Double(values.count)).squareRoot()
}

/// The 99th percentile as every refer benchmark takes it (p99 latency, p99 evaluations):
/// the entry at index ⌊0.99 n⌋ of the values sorted ascending (the largest for fewer
/// than 100 values); nil for none.
public func percentile99<T: Comparable>(_ values: [T]) -> T? {
    let sorted = values.sorted()
    return sorted.isEmpty ? nil : sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
}
