import CCbc
import Synchronization

/// A mixed-integer linear program, column by column, solved by COIN-OR CBC (branch and
/// cut over Clp's simplex; Debian `coinor-libcbc-dev`). The one place the assignment
/// module touches C: the arrays are handed to CBC here and its answer copied out.
struct MixedIntegerProgram {
    struct Column {
        var lower: Double, upper: Double, objective: Double
        var integer: Bool
        /// (row, coefficient) pairs.
        var entries: [(row: Int, value: Double)]
    }

    var columns: [Column] = []
    var rowLower: [Double] = [], rowUpper: [Double] = []
    var maximise = true

    /// CBC's infinity: bounds at or beyond it are none.
    static let infinity = 1e30

    mutating func addRow(lower: Double, upper: Double) -> Int {
        rowLower.append(lower); rowUpper.append(upper)
        return rowLower.count - 1
    }

    struct Result {
        var values: [Double]
        var objective: Double
        /// The best bound CBC proved on the objective.
        var bound: Double
        var optimal: Bool
    }

    /// Solves within `seconds`, starting from `start` (a feasible solution: column values);
    /// nil when CBC found no solution at all.
    func solve(seconds: Double, start: [Double]?) -> Result? {
        var starts: [CoinBigIndex] = [0], index: [Int32] = [], value: [Double] = []
        for c in columns {
            for e in c.entries { index.append(Int32(e.row)); value.append(e.value) }
            starts.append(CoinBigIndex(index.count))
        }
        let sign = maximise ? -1.0 : 1.0
        // CBC keeps process-wide state (message handlers, statics): one solve at a time.
        return MixedIntegerProgram.lock.withLock { _ -> Result? in
            guard let model = Cbc_newModel() else { return nil }
            defer { Cbc_deleteModel(model) }
            Cbc_loadProblem(model, Int32(columns.count), Int32(rowLower.count), starts, index, value,
                            columns.map(\.lower), columns.map(\.upper), columns.map { sign * $0.objective }, rowLower, rowUpper)
            // Always minimised: CBC 2.10's maximisation mis-signs a MIP start's objective as
            // its cutoff and then calls a worse start optimal (seen on negative objectives).
            Cbc_setObjSense(model, 1)
            for (i, c) in columns.enumerated() where c.integer { Cbc_setInteger(model, Int32(i)) }
            Cbc_setLogLevel(model, 0)
            Cbc_setMaximumSeconds(model, seconds)
            if let start {
                let nonzero = start.indices.filter { start[$0] != 0 }
                Cbc_setMIPStartI(model, Int32(nonzero.count), nonzero.map { Int32($0) }, nonzero.map { start[$0] })
            }
            Cbc_solve(model)
            guard let solution = Cbc_bestSolution(model) else { return nil }
            let values = Array(UnsafeBufferPointer(start: solution, count: columns.count))
            return Result(values: values, objective: sign * Cbc_getObjValue(model), bound: sign * Cbc_getBestPossibleObjValue(model),
                          optimal: Cbc_isProvenOptimal(model) != 0)
        }
    }

    private static let lock = Mutex(())
}
