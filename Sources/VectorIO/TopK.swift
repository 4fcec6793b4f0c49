/// The k smallest (distance, id) pairs seen so far: a bounded max-heap whose root is
/// the worst kept pair, so a new pair is rejected with one comparison.
struct TopK {
    let k: Int
    private(set) var distances: [Float] = []
    private(set) var ids: [Int32] = []

    init(k: Int) {
        self.k = k
        distances.reserveCapacity(k); ids.reserveCapacity(k)
    }

    /// The distance a new pair must beat once the heap is full.
    var bound: Float { distances.count < k ? .infinity : distances[0] }

    private func worse(_ i: Int, _ j: Int) -> Bool {
        distances[i] > distances[j] || (distances[i] == distances[j] && ids[i] > ids[j])
    }

    mutating func offer(_ distance: Float, _ id: Int32) {
        if distances.count < k {
            distances.append(distance); ids.append(id)
            var i = distances.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                guard worse(i, p) else { break }
                distances.swapAt(i, p); ids.swapAt(i, p); i = p
            }
        } else if distance < distances[0] || (distance == distances[0] && id < ids[0]) {
            distances[0] = distance; ids[0] = id
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < k && worse(l, m) { m = l }
                if r < k && worse(r, m) { m = r }
                if m == i { break }
                distances.swapAt(i, m); ids.swapAt(i, m); i = m
            }
        }
    }

    /// The kept pairs, nearest first (ties by id).
    func sorted() -> [(distance: Float, id: Int32)] {
        zip(distances, ids).map { (distance: $0, id: $1) }.sorted { ($0.distance, $0.id) < ($1.distance, $1.id) }
    }
}
