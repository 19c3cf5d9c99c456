import Foundation
import PoseData

/// Reads any dataset file the CLI accepts (`.pkl`, `.pkl.gz`, `.pose`, a directory of `.pose`,
/// `.json`) through PoseData's dispatcher.
func loadDatasetForCLI(_ path: String) throws -> PoseDataset {
    try PoseIO.load(contentsOf: URL(fileURLWithPath: path))
}
