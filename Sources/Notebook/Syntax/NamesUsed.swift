/// The names a program binds (`let`, `for`) and reads, found without running it: a `--set`
/// name the script never mentions is a typo to report, not a value to ignore.
struct NamesUsed {
    private(set) var bound: Set<String> = []
    private(set) var read: Set<String> = []

    /// Every name `statements` bind or read, at any depth.
    init(_ statements: [Statement]) {
        for statement in statements { visit(statement) }
    }

    /// Names bound or read.
    var all: Set<String> { bound.union(read) }

    /// The verbs `expression` calls, at any depth.
    static func verbs(in expression: Expression) -> Set<String> {
        var names = NamesUsed([])
        names.visit(expression)
        return names.called
    }

    private var called: Set<String> = []

    private mutating func visit(_ statement: Statement) {
        switch statement.kind {
        case .assignment(let name, _, let value):
            bound.insert(name)
            visit(value)
        case .loop(let name, _, let sequence, let body):
            bound.insert(name)
            visit(sequence)
            for inner in body { visit(inner) }
        case .command(let expression):
            visit(expression)
        }
    }

    private mutating func visit(_ expression: Expression) {
        switch expression.kind {
        case .number, .string, .bool, .none: break
        case .variable(let name): read.insert(name)
        case .list(let elements): for element in elements { visit(element) }
        case .member(let base, _, _): visit(base)
        case .index(let base, let index):
            visit(base)
            visit(index)
        case .slice(let base, let start, let end):
            visit(base)
            if let start { visit(start) }
            if let end { visit(end) }
        case .negate(let operand): visit(operand)
        case .binary(_, let left, let right):
            visit(left)
            visit(right)
        case .call(let call):
            // A bare word among a parameter's choices (`model hybrid`) parses as a variable too;
            // counting it as read only makes the check more lenient.
            called.insert(call.name)
            for argument in call.arguments { visit(argument.value) }
        }
    }
}
