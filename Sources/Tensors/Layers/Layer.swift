/// A differentiable building block with named parameters, composed into a tree.
///
/// Conformers list their own parameters and their sub-layers; ``namedParameters(prefix:)`` walks
/// the tree, so names such as `experts.body.attn.q.weight` come out of the structure.
public protocol Layer: AnyObject {
    /// This layer's own parameters, by local name (e.g. `"weight"`).
    var ownParameters: [(String, Parameter)] { get }
    /// Sub-layers, by local name (e.g. `"attn"`, or `"0"`, `"1"` for lists).
    var children: [(String, any Layer)] { get }
}

extension Layer {
    public var ownParameters: [(String, Parameter)] { [] }
    public var children: [(String, any Layer)] { [] }

    /// Every parameter in this layer and below, with dotted names, in a stable order
    /// (own parameters first, then children in their listed order).
    public func namedParameters(prefix: String = "") -> [(name: String, parameter: Parameter)] {
        let dot = prefix.isEmpty ? "" : prefix + "."
        var result = ownParameters.map { (name: dot + $0.0, parameter: $0.1) }
        for (name, child) in children { result += child.namedParameters(prefix: dot + name) }
        return result
    }

    /// Every parameter in this layer and below.
    public var parameters: [Parameter] { namedParameters().map(\.parameter) }

    /// Total number of scalars in all parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Clears the gradients of all parameters.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    /// The parameters' values by name (for ``SafeTensors/write(_:metadata:to:)``).
    public func stateDict() -> [String: Tensor] {
        Dictionary(namedParameters().map { ($0.name, $0.parameter.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// Loads values by name; every parameter must be present with its shape (extra names are an error
    /// only when `strict`).
    public func load(_ state: [String: Tensor], strict: Bool = true) throws {
        let named = namedParameters()
        for (name, p) in named {
            guard let t = state[name] else { throw LayerError.missingParameter(name) }
            guard t.shape == p.value.shape else { throw LayerError.shapeMismatch(name, expected: p.value.shape, found: t.shape) }
        }
        if strict {
            let known = Set(named.map(\.name))
            if let extra = state.keys.sorted().first(where: { !known.contains($0) }) { throw LayerError.unexpectedParameter(extra) }
        }
        for (name, p) in named { p.assign(state[name]!) }
    }
}

/// Errors from loading parameters into a ``Layer``.
public enum LayerError: Error, CustomStringConvertible, Equatable {
    case missingParameter(String)
    case unexpectedParameter(String)
    case shapeMismatch(String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .missingParameter(let n): return "parameter '\(n)' is missing from the loaded weights"
        case .unexpectedParameter(let n): return "loaded weights contain '\(n)', which the model does not have (load with strict: false to ignore)"
        case let .shapeMismatch(n, e, f): return "parameter '\(n)' has shape \(f) in the loaded weights but \(e) in the model"
        }
    }
}

/// An ordered list of layers, named `0`, `1`, ... in parameter names.
public final class LayerList<Element: Layer>: Layer {
    /// The layers, in order.
    public var layers: [Element]
    /// A list of the given layers.
    public init(_ layers: [Element]) { self.layers = layers }
    public var children: [(String, any Layer)] { layers.enumerated().map { (String($0.offset), $0.element) } }
    /// The `i`-th layer.
    public subscript(i: Int) -> Element { layers[i] }
    /// Number of layers.
    public var count: Int { layers.count }
}
