import ArgumentParser
import HybridSign
import Tensors

// The model's word-valued options, parsed and listed in `--help` by swift-argument-parser.
extension ModelMode: ExpressibleByArgument {}
extension TokenKind: ExpressibleByArgument {}
extension TextConditioning: ExpressibleByArgument {}
extension FlowSource: ExpressibleByArgument {}
extension FlowBackbone: ExpressibleByArgument {}
extension MatmulPrecision: ExpressibleByArgument {}

/// The model presets (``HybridSign/ModelConfig/preset(_:layout:)``).
enum ModelPreset: String, CaseIterable, ExpressibleByArgument {
    case small, paper

    /// The preset's configuration.
    func config() throws -> ModelConfig { try ModelConfig.preset(rawValue) }
}

/// `--frames auto` or a number of frames.
extension SamplingOptions.FrameLimit: ExpressibleByArgument {
    public init?(argument: String) {
        if argument == "auto" {
            self = .auto
        } else if let frames = Int(argument), frames >= 1 {
            self = .fixed(frames)
        } else {
            return nil
        }
    }

    public var defaultValueDescription: String {
        switch self {
        case .auto: "auto"
        case .fixed(let frames): String(frames)
        }
    }
}
