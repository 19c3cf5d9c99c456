import Evaluation
import Foundation
import Platform
import PoseData
import Render

/// Runs statements: keeps the variables, evaluates expressions, checks verb arguments against
/// their signatures and calls the verbs.
///
/// Variables live in one scope, as in a notebook: a `for` loop's variable and the `let`s in its
/// body stay visible after the loop.
public final class Interpreter {
    /// The verbs this interpreter knows.
    public private(set) var registry: VerbRegistry
    /// The words the parser needs, kept in step with ``registry``.
    public private(set) var vocabulary: Vocabulary
    /// The variables, by name (including the results `_` and `_3`).
    public private(set) var variables: [String: Value] = [:]
    /// What verbs run with: output, interrupt flag, artifacts.
    public let context: VerbContext
    /// Seconds from a monotonic clock; loops that run longer than ``loopProgressDelay`` show progress.
    public var clock: () -> Double = ProgressReporter.monotonicSeconds
    /// How long a top-level loop runs silently before it shows a progress line.
    public var loopProgressDelay = 1.0
    private var loopDepth = 0
    /// Names given from outside (`hybridsign run --set name=value`): a top-level `let` of such a
    /// name keeps the given value, so scripts write their defaults as plain `let out = "out"`.
    public private(set) var settings: Set<String> = []

    /// Creates an interpreter with the given verbs, printing to `output` and polling `interrupt`.
    public init(registry: VerbRegistry = VerbRegistry(), output: NotebookOutput, interrupt: InterruptFlag = .process) {
        self.registry = registry
        self.vocabulary = registry.vocabulary
        self.context = VerbContext(output: output, interrupt: interrupt)
    }

    /// Adds a verb (for example from a module loaded later, or a test).
    public func register(_ verb: any Verb) {
        registry.register(verb)
        vocabulary = registry.vocabulary
    }

    /// Sets a variable (the session sets `_` and `_N`; scripts set `--set` values).
    public func setVariable(_ name: String, _ value: Value) {
        variables[name] = value
    }

    /// Sets a variable from outside the program (`--set`); see ``settings``.
    public func setSetting(_ name: String, _ value: Value) {
        variables[name] = value
        settings.insert(name)
    }

    /// Parses `source` with this interpreter's vocabulary.
    public func parse(_ source: SourceText) throws(NotebookError) -> [Statement] {
        try Parser.parse(source, vocabulary: vocabulary)
    }

    /// Runs `statements` in order. `echo` receives the value of each top-level command that is
    /// not `none`, as soon as it is made. Errors carry `source`; an interrupt pending at the end
    /// is an interruption.
    public func run(_ statements: [Statement], source: SourceText, echo: (Value) -> Void) throws(NotebookError) {
        do throws(NotebookError) {
            for statement in statements {
                if let value = try execute(statement), !value.isNone { echo(value) }
            }
            // A verb Ctrl-C stopped early that kept its result (a sample's frames so far) leaves
            // the interrupt set: its value stands, and the cell still ends as interrupted.
            if context.interrupt.isSet { throw NotebookError.interrupted(at: statements.last?.range) }
        } catch {
            throw error.attaching(source)
        }
    }

    /// Runs one statement; returns the value of a command statement, nil for `let` and `for`.
    public func execute(_ statement: Statement) throws(NotebookError) -> Value? {
        if context.interrupt.isSet { throw NotebookError.interrupted(at: statement.range) }
        switch statement.kind {
        case .assignment(let name, _, let expression):
            // A script's defaults are ordinary top-level lets; a `--set` value takes their place.
            if loopDepth == 0, settings.contains(name), variables[name] != nil { return nil }
            variables[name] = try evaluate(expression)
            return nil
        case .loop(let name, _, let sequenceExpression, let body):
            let sequence = try evaluate(sequenceExpression)
            guard let count = sequence.count, sequence.typeName != "string" else {
                throw NotebookError("for needs a list, range, dataset or table to walk, got \(withArticle(sequence.typeName))",
                                    at: sequenceExpression.range, hint: "for example: for i in range 10 { … }")
            }
            // A long top-level loop shows progress: never a silent wait.
            let start = loopDepth == 0 ? clock() : .infinity
            var progress: ProgressReporter?
            loopDepth += 1
            defer {
                loopDepth -= 1
                if progress != nil { context.output.clearStatus() }
            }
            for index in 0..<count {
                if context.interrupt.isSet { throw NotebookError.interrupted(at: statement.range) }
                if index & 4095 == 4095, start.isFinite {
                    if progress == nil, clock() - start >= loopProgressDelay {
                        progress = ProgressReporter(title: "for \(name)", total: count, output: context.output,
                                                    startedAt: start, clock: clock)
                    }
                    progress?.update(index)
                }
                variables[name] = try sequence.element(at: index)
                for inner in body { _ = try execute(inner) }
            }
            return nil
        case .command(let expression):
            return try evaluate(expression)
        }
    }

    /// Evaluates an expression.
    public func evaluate(_ expression: Expression) throws(NotebookError) -> Value {
        switch expression.kind {
        case .number(let value): return .number(value)
        case .string(let value): return .string(value)
        case .bool(let value): return .bool(value)
        case .none: return .none
        case .variable(let name):
            guard let value = variables[name] else { throw unknownVariable(name, at: expression.range) }
            return value
        case .list(let elements):
            var values: [Value] = []
            values.reserveCapacity(elements.count)
            for element in elements { values.append(try evaluate(element)) }
            return .list(values)
        case .member(let baseExpression, let name, let nameRange):
            let base = try evaluate(baseExpression)
            guard let value = base.member(name) else {
                let names = base.memberNames
                let suggestion = Suggestions.didYouMean(name, among: names)
                throw NotebookError("\(withArticle(base.typeName)) has no member '\(name)'\(suggestion)", at: nameRange,
                                    hint: names.isEmpty ? "\(base.typeName) values have no members"
                                        : "members of \(withArticle(base.typeName)): " + names.joined(separator: ", "))
            }
            return value
        case .index(let baseExpression, let indexExpression):
            let base = try evaluate(baseExpression)
            let index = try evaluate(indexExpression)
            guard case .number(let number) = index, number == number.rounded(), abs(number) < 9e15 else {
                throw NotebookError("an index must be a whole number, got \(index.typeName == "number" ? index.inlineText : withArticle(index.typeName))",
                                    at: indexExpression.range, hint: "for example xs[0], or xs[-1] for the last element")
            }
            do {
                return try base.element(at: Int(number))
            } catch {
                throw error.located(at: expression.range)
            }
        case .slice(let baseExpression, let startExpression, let endExpression):
            let base = try evaluate(baseExpression)
            let start = try startExpression.map { expression throws(NotebookError) in try sliceBound(expression) }
            let end = try endExpression.map { expression throws(NotebookError) in try sliceBound(expression) }
            do {
                return try base.slice(from: start, to: end)
            } catch {
                throw error.located(at: expression.range)
            }
        case .negate(let operandExpression):
            let operand = try evaluate(operandExpression)
            guard case .number(let value) = operand else {
                throw NotebookError("cannot negate \(withArticle(operand.typeName))", at: expression.range)
            }
            return .number(-value)
        case .binary(let op, let leftExpression, let rightExpression):
            let left = try evaluate(leftExpression)
            let right = try evaluate(rightExpression)
            return try Self.apply(op, left, right, at: expression.range, rightRange: rightExpression.range)
        case .call(let call):
            return try invoke(call, range: expression.range)
        }
    }

    /// A bound of a slice: a whole number (negative counts from the end).
    private func sliceBound(_ expression: Expression) throws(NotebookError) -> Int {
        let value = try evaluate(expression)
        guard case .number(let number) = value, number == number.rounded(), abs(number) < 9e15 else {
            throw NotebookError("a slice's bounds must be whole numbers, got \(value.typeName == "number" ? value.inlineText : withArticle(value.typeName))",
                                at: expression.range, hint: "for example d[0:3], xs[-2:] for the last two, xs[:5] for the first five")
        }
        return Int(number)
    }

    private func unknownVariable(_ name: String, at range: SourceRange) -> NotebookError {
        if name == "_" || (name.first == "_" && Int(name.dropFirst()) != nil) {
            return NotebookError("there is no result '\(name)' yet", at: range,
                                 hint: "_ is the last value shown, _N the value of cell N")
        }
        let visible = variables.keys.filter { $0.first != "_" }
        let suggestion = Suggestions.didYouMean(name, among: visible)
        // A misspelt verb typed alone (`smaple`) reads as a variable: name the verb it resembles.
        if suggestion.isEmpty, let verb = Suggestions.closest(to: name, among: registry.names, limit: 1).first {
            return NotebookError("unknown variable '\(name)' — did you mean the verb '\(verb)'?", at: range,
                                 hint: "usage: \(registry.verb(named: verb)!.signature.usage)")
        }
        return NotebookError("unknown variable '\(name)'\(suggestion)", at: range,
                             hint: suggestion.isEmpty ? "define it first: let \(name) = …  (`:vars` lists the variables)" : nil)
    }

    /// Arithmetic: numbers with numbers; `+` also joins strings (with any value as text) and lists.
    static func apply(_ op: Expression.Operator, _ left: Value, _ right: Value, at range: SourceRange,
                      rightRange: SourceRange) throws(NotebookError) -> Value {
        switch (op, left, right) {
        case (.add, .number(let a), .number(let b)): return .number(a + b)
        case (.subtract, .number(let a), .number(let b)): return .number(a - b)
        case (.multiply, .number(let a), .number(let b)): return .number(a * b)
        case (.divide, .number(let a), .number(let b)), (.remainder, .number(let a), .number(let b)):
            guard b != 0 else { throw NotebookError("division by zero", at: rightRange) }
            return .number(op == .divide ? a / b : a.truncatingRemainder(dividingBy: b))
        case (.add, .string(let a), _): return .string(a + right.plainText)
        case (.add, _, .string(let b)): return .string(left.plainText + b)
        case (.add, .list(let a), .list(let b)): return .list(a + b)
        case (.add, .dataset(let a), .dataset(let b)):
            guard a.layout == b.layout else {
                throw NotebookError("cannot join a '\(a.layout.name)' dataset and a '\(b.layout.name)' dataset: their layouts differ",
                                    at: range, hint: "load one of them with layout: to convert it first")
            }
            var joined = a
            joined.samples += b.samples
            return .dataset(joined)
        default:
            let verb: String
            switch op {
            case .add: verb = "add"
            case .subtract: verb = "subtract"
            case .multiply: verb = "multiply"
            case .divide: verb = "divide"
            case .remainder: verb = "take the remainder of"
            }
            throw NotebookError("cannot \(verb) \(withArticle(left.typeName)) and \(withArticle(right.typeName))", at: range,
                                hint: "+ - * / % work on numbers; + also joins strings, lists and datasets")
        }
    }

    private func invoke(_ call: VerbCall, range: SourceRange) throws(NotebookError) -> Value {
        guard let verb = registry.verb(named: call.name) else {
            throw NotebookError("unknown verb '\(call.name)'\(Suggestions.didYouMean(call.name, among: registry.names))",
                                at: call.nameRange)
        }
        let signature = verb.signature
        let plan = try ArgumentBinder.plan(call, signature: signature)
        var values: [Value] = []
        for assignment in plan.assignments {
            if let word = ArgumentBinder.choiceWord(assignment.argument, parameter: assignment.parameter) {
                values.append(word)
            } else if !assignment.parameter.choices.isEmpty, case .variable(let name) = assignment.argument.value.kind,
                      variables[name] == nil {
                // A misspelt word (`model hybird`) says what the words are, not "unknown variable".
                let parameter = assignment.parameter
                throw NotebookError("\(signature.name)'s \(parameter.name) must be \(ArgumentBinder.listing(parameter.choices)), got '\(name)'"
                                    + Suggestions.didYouMean(name, among: parameter.choices),
                                    at: assignment.argument.value.range, hint: "\(parameter.name): \(parameter.help)")
            } else {
                values.append(try evaluate(assignment.argument.value))
            }
        }
        let arguments = try ArgumentBinder.bind(plan, values: values, call: call, callRange: range, signature: signature)
        if context.interrupt.isSet { throw NotebookError.interrupted(at: range) }
        do {
            return try verb.run(arguments, context: context)
        } catch let error as NotebookError {
            throw error.located(at: range)
        } catch let error as PoseDataError {
            throw NotebookError(error.description, at: range)
        } catch RenderError.cancelled {
            throw NotebookError.interrupted(at: range)
        } catch let error as RenderError {
            throw NotebookError(error.description, at: range)
        } catch let error as EvaluationError {
            throw NotebookError(error.description, at: range)
        } catch {
            throw NotebookError("\(call.name) failed: \(error.localizedDescription)", at: range)
        }
    }
}
