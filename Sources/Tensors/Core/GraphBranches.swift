#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Recording on several threads at once.
///
/// `concurrently` gives each of its tasks a *branch*: a graph of its own that the task's thread
/// records into, so no two threads ever touch one tape. The branches' tapes join the graph's as one
/// item, and `backward` runs them concurrently again when it gets there. A branch accumulates the
/// gradients of its own nodes as usual; those of nodes it does not own (inputs from before the
/// call, parameters, which several branches may share) are collected and added afterwards on one
/// thread, branch by branch, so the result does not depend on timing.
extension Graph {
    /// Runs `body(0)`, …, `body(tasks − 1)` at the same time, one per core
    /// (``Parallel/concurrently(_:_:)``: OpenBLAS single-threaded inside), each recording its ops on
    /// a branch of this graph. The tasks must be independent: a task may read nodes made before
    /// the call, but not the nodes another task makes. Nodes a task makes stay usable after the
    /// call, like any other node of this graph. Runs the tasks in turn on one core, or when
    /// already inside a branch or a parallel task.
    public func concurrently(_ tasks: Int, _ body: (Int) -> Void) {
        let graph = root
        if tasks < 2 || Parallel.workerCount <= 1 || Parallel.isInsideTask || Graph.activeBranch != nil {
            for i in 0..<tasks { body(i) }
            return
        }
        let branches = (0..<tasks).map { _ in Graph(branchOf: graph) }
        Parallel.concurrently(tasks) { i in Graph.recording(into: branches[i]) { body(i) } }
        graph.branches += branches
        // The branches' ops carry their own times: the wait for them is not the next op's.
        if graph.isProfiling { graph.lastStamp = .now }
        for branch in branches { graph.collectReports(of: branch) }
        if graph.isRecording && branches.contains(where: { !$0.tape.isEmpty }) {
            graph.tape.append(.branches(branches))
        }
    }

    /// The backward pass of one ``concurrently(_:_:)`` call: the branches' tapes at the same time,
    /// then the gradients they owe to nodes outside them, in branch order.
    func runBranchesBackward(_ branches: [Graph]) {
        var owed = [[(Var, Tensor)]](repeating: [], count: branches.count)
        owed.withUnsafeMutableBufferPointer { owed in
            Parallel.concurrently(branches.count) { i in
                Graph.recording(into: branches[i]) {
                    branches[i].runTape(keepingGradientOf: nil, deferred: owed.baseAddress! + i)
                }
            }
        }
        for (branch, grads) in zip(branches, owed) {
            collectReports(of: branch)
            for (node, gradient) in grads { node.accumulateGrad(gradient) }
        }
    }

    /// Takes over what a branch noted since last time: its op times (added to this graph's
    /// profile, cleared there) and its first non-finite value.
    func collectReports(of branch: Graph) {
        for (op, value) in branch.profile { profile[op, default: OpProfile()].add(value) }
        branch.profile = [:]
        if let error = branch.firstNonFinite { noteNonFinite(error) }
    }

    /// The graph a node made on this thread belongs to, given the graph its inputs belong to: the
    /// branch this thread records into when the inputs belong to the same computation, else the
    /// top-level graph (a branch's nodes used after ``concurrently(_:_:)`` record on the graph).
    @inline(__always)
    static func resolve(_ graph: Graph?) -> Graph? {
        guard let graph else { return nil }
        // Cheap when no branch is active (every op of inference passes here).
        if let branch = activeBranch, branch.root === graph.root { return branch }
        return graph.isBranch ? graph.root : graph
    }

    /// The branch the current thread records into, if any.
    static var activeBranch: Graph? {
        pthread_getspecific(branchKey).map { Unmanaged<Graph>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Runs `body` with the current thread recording into `branch`.
    static func recording(into branch: Graph, _ body: () -> Void) {
        let previous = pthread_getspecific(branchKey)
        pthread_setspecific(branchKey, Unmanaged.passUnretained(branch).toOpaque())
        defer { pthread_setspecific(branchKey, previous) }
        body()
    }

    /// The thread-specific slot holding the branch a thread records into.
    static let branchKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
}
