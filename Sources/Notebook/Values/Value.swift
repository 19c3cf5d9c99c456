import PoseData

/// A value of the notebook language.
///
/// Domain modules add their own kinds of value through ``NotebookObject`` (a model, for example),
/// so this enum does not change when they arrive.
public enum Value {
    case number(Double)
    case string(String)
    case bool(Bool)
    case none
    case list([Value])
    /// Integers from `start` up to (not including) `end`; never materialised, so
    /// `range 100000000` costs nothing until it is iterated.
    case range(NumberRange)
    case dataset(PoseDataset)
    case sample(PoseSequence)
    case table(Table)
    /// A file or directory a verb wrote (an image, a contact sheet, a JSON file, …).
    case file(FileResult)
    /// A value from a domain module: a model, a training run, ….
    case object(any NotebookObject)

    /// The type's name as the language calls it: `number`, `string`, `sample`, `model`, ….
    public var typeName: String {
        switch self {
        case .number: return "number"
        case .string: return "string"
        case .bool: return "bool"
        case .none: return "none"
        case .list: return "list"
        case .range: return "range"
        case .dataset: return "dataset"
        case .sample: return "sample"
        case .table: return "table"
        case .file: return "file"
        case .object(let object): return object.typeName
        }
    }

    /// Whether this is ``none``.
    public var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    /// The number of elements when the value is a collection (list, range, dataset, table rows,
    /// string characters), nil otherwise.
    public var count: Int? {
        switch self {
        case .list(let items): return items.count
        case .range(let range): return range.count
        case .dataset(let dataset): return dataset.count
        case .table(let table): return table.rows.count
        case .string(let string): return string.count
        default: return nil
        }
    }
}

/// A half-open range of integers with a step, as made by `range`.
public struct NumberRange: Sendable, Equatable {
    /// The first number.
    public var start: Int
    /// The bound, not included.
    public var end: Int
    /// The distance between neighbours; never 0.
    public var step: Int

    /// Creates a range; `step` must not be 0.
    public init(start: Int, end: Int, step: Int = 1) {
        precondition(step != 0, "a range's step must not be 0")
        self.start = start
        self.end = end
        self.step = step
    }

    /// How many numbers the range holds.
    public var count: Int {
        if step > 0 { return end > start ? (end - start + step - 1) / step : 0 }
        return start > end ? (start - end - step - 1) / -step : 0
    }

    /// The `index`-th number (0-based).
    public func element(at index: Int) -> Int { start + index * step }
}

/// A file or directory that a verb wrote; session notebooks link to it.
public struct FileResult: Sendable, Equatable {
    /// What the file holds, which decides how a notebook shows it.
    public enum Kind: String, Sendable, Equatable {
        /// A PNG or other picture: embedded in exported notebooks.
        case image
        /// A directory of files (for example rendered frames).
        case directory
        /// Any other file (JSON, .pose, a checkpoint, text).
        case data
    }

    /// The path as the user gave it (relative paths stay relative).
    public var path: String
    /// What the file holds.
    public var kind: Kind
    /// A short caption for notebooks, for example "contact sheet of 'Baum'".
    public var caption: String?

    /// Creates a file result.
    public init(path: String, kind: Kind, caption: String? = nil) {
        self.path = path
        self.kind = kind
        self.caption = caption
    }
}

/// A value from a domain module (a model, a training run, …): it names its type, shows itself and
/// answers member access. Wrap one in ``Value/object(_:)``.
public protocol NotebookObject: AnyObject {
    /// The type's name in the language, for example `model`; used in error messages and `:vars`.
    var typeName: String { get }
    /// One line describing the object, shown when a statement's value is the object.
    var summary: String { get }
    /// The detailed, readable view that `show` prints (tables of configuration, parameters, …).
    func show() -> String
    /// The names ``member(_:)`` answers, for completion and error messages.
    var memberNames: [String] { get }
    /// The member `name` (`m.steps`), or nil when there is no such member.
    func member(_ name: String) -> Value?
}

extension NotebookObject {
    public var memberNames: [String] { [] }
    public func member(_ name: String) -> Value? { nil }
    public func show() -> String { summary }
}
