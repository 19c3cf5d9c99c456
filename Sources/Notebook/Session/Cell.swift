/// One numbered cell of a session: what was typed, what it printed, its value and the files it made.
public struct Cell {
    /// The cell's number, as in the prompt `[3]>`.
    public var number: Int
    /// The statements as typed (or as read from a script by `:load`).
    public var source: String
    /// Everything the cell printed, including its error message if it failed.
    public var output: String
    /// The last value the cell showed, if any (also `_N`).
    public var value: Value?
    /// Files the cell's verbs wrote (images are embedded by `:export`).
    public var artifacts: [FileResult]
    /// Whether it ran without error.
    public var succeeded: Bool
    /// Whether Ctrl-C (or SIGTERM) stopped it: not an error — what it did so far stands (a
    /// stopped `train` keeps its steps), so `:save` keeps it and `:export` marks it as stopped.
    public var interrupted: Bool = false

    /// Whether `:save` writes the cell: it ran, to the end or until stopped.
    public var isKept: Bool { succeeded || interrupted }
}
