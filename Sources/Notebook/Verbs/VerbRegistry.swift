/// The verbs a session knows, by name.
public struct VerbRegistry: Sendable {
    /// The verbs that ship with the notebook. A new verb is one file plus one line here.
    public static let builtIn: [any Verb] = [
        ShowVerb(),
        PrintVerb(),
        RangeVerb(),
        LenVerb(),
        HeadVerb(),
        ReadLinesVerb(),
        LoadVerb(),
        FindVerb(),
        FilterVerb(),
        SplitVerb(),
        ResampleVerb(),
        CropVerb(),
        KeypointsVerb(),
        RenderVerb(),
        ExportVerb(),
        CompareVerb(),
        MeanPoseVerb(),
        PlotVerb(),
        ModelVerb(),
        TrainVerb(),
        SaveVerb(),
        SampleVerb(),
        StreamVerb(),
        EvalVerb(),
        TextEncodeVerb(),
    ]

    /// Connecting words every verb may use; reserved even when no verb uses them yet, so scripts
    /// do not break when verbs that use them arrive.
    public static let standardConnectors: Set<String> = ["to", "on", "vs"]

    private var verbsByName: [String: any Verb] = [:]

    /// A registry of the given verbs.
    public init(_ verbs: [any Verb] = VerbRegistry.builtIn) {
        for verb in verbs { register(verb) }
    }

    /// Adds (or replaces) a verb.
    public mutating func register(_ verb: any Verb) {
        verbsByName[verb.signature.name] = verb
    }

    /// The verb called `name`.
    public func verb(named name: String) -> (any Verb)? { verbsByName[name] }

    /// Verb names, sorted.
    public var names: [String] { verbsByName.keys.sorted() }

    /// Signatures, sorted by name.
    public var signatures: [VerbSignature] { names.compactMap { verbsByName[$0]?.signature } }

    /// The words the parser needs: verb names and connecting words.
    public var vocabulary: Vocabulary {
        var connectors = Self.standardConnectors
        for signature in signatures { connectors.formUnion(signature.connectors.map(\.word)) }
        return Vocabulary(verbs: Set(verbsByName.keys), connectors: connectors)
    }
}
