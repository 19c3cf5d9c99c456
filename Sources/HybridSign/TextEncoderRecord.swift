import Foundation
import TextEncoders

/// Which pretrained text encoder a model was trained with, as its checkpoint records it: the
/// model's name (from `config.json`), the ``TextEncoders/WeightsHash`` of its weights, and the
/// folder it was read from. Loading finds the folder again (``resolve(given:)``) and refuses
/// weights whose hash differs: a different encoder would give wrong poses, not an error.
public struct TextEncoderRecord: Codable, Sendable, Equatable {
    public var name: String
    public var hash: String
    public var family: String
    public var width: Int
    /// The folder at training time (absolute).
    public var folder: String

    public init(_ encoder: PretrainedTextEncoder) {
        name = encoder.name
        hash = encoder.weightsHash
        family = encoder.family.rawValue
        width = encoder.width
        folder = encoder.folder.standardizedFileURL.path
    }

    /// The directory searched for encoder folders when neither a path is given nor the recorded
    /// folder exists: `$HYBRIDSIGN_TEXT_ENCODERS`, else `~/.cache/hybridsign/text-encoders`.
    public static var defaultDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["HYBRIDSIGN_TEXT_ENCODERS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/hybridsign/text-encoders")
    }

    /// The folders tried, in order: `given`, the recorded folder, then in ``defaultDirectory`` the
    /// last part of the name (`t5-base` for `google/t5-base`) and of the recorded folder.
    public func candidates(given: URL?) -> [URL] {
        if let given { return [given] }
        let base = Self.defaultDirectory
        var out = [URL(fileURLWithPath: folder)]
        for leaf in [name.split(separator: "/").last.map(String.init), URL(fileURLWithPath: folder).lastPathComponent].compactMap({ $0 }) where !leaf.isEmpty {
            let url = base.appendingPathComponent(leaf)
            if !out.contains(url) { out.append(url) }
        }
        return out
    }

    /// Loads the encoder this record names: from `given` when set (an error if it is not the
    /// same encoder), else from the first candidate folder that exists.
    public func resolve(given: URL?) throws(HybridSignError) -> PretrainedTextEncoder {
        let tried = candidates(given: given)
        guard let folder = tried.first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent("config.json").path) }) else {
            throw HybridSignError.invalidCheckpoint(
                "the model was trained with text encoder '\(name)' (weights hash \(hash)), which is not at \(tried.map(\.path).joined(separator: ", ")); give its folder (load … encoder: \"DIR\", --encoder DIR) or put it in \(Self.defaultDirectory.path) (see Docs/text-encoders.md)")
        }
        let encoder: PretrainedTextEncoder
        do { encoder = try PretrainedTextEncoder.shared(folder: folder) } catch {
            throw HybridSignError.invalidCheckpoint("the model's text encoder at \(folder.path) cannot be read: \(error)")
        }
        guard encoder.weightsHash == hash else {
            throw HybridSignError.invalidCheckpoint(
                "the text encoder at \(folder.path) ('\(encoder.name)', weights hash \(encoder.weightsHash)) is not the one the model was trained with ('\(name)', weights hash \(hash)); give the folder of the original encoder")
        }
        guard encoder.width == width else {
            throw HybridSignError.invalidCheckpoint("the text encoder at \(folder.path) gives rows of \(encoder.width) values; the model reads \(width)")
        }
        return encoder
    }
}
