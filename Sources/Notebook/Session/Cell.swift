/// One numbered cell of a session: what was typed, what it showed, its value and the files it made.
public struct Cell {
    /// The cell's number, as in the prompt `[3]>`.
    public var number: Int
    /// The statements as typed (or as read from a script by `:load`).
    public var source: String
    /// What the cell showed, in order: printed text, values, figures and its error if it failed.
    public var outputs: [CellOutput]
    /// The last value the cell showed, if any (also `_N`).
    public var value: Value?
    /// Files the cell's verbs wrote (exports link them).
    public var artifacts: [FileResult]
    /// Whether it ran without error.
    public var succeeded: Bool
    /// Whether Ctrl-C (or SIGTERM) stopped it: not an error — what it did so far stands (a
    /// stopped `train` keeps its steps), so `:save` keeps it and `:export` marks it as stopped.
    public var interrupted: Bool = false

    /// Whether `:save` writes the cell: it ran, to the end or until stopped.
    public var isKept: Bool { succeeded || interrupted }

    /// Everything the cell printed, as a terminal showed it, including its error message if it failed.
    public var output: String { outputs.map(\.text).joined() }

    /// The images the cell made, as they were when it made them.
    public var figures: [Figure] {
        outputs.compactMap { if case .figure(let figure) = $0 { return figure } else { return nil } }
    }
}
