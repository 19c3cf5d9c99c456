import Platform

/// Moving a sequence from one layout to another.
extension PoseSequence {
    /// The sequence in `layout`, by the first rule that applies:
    /// 1. the same layout: unchanged;
    /// 2. `layout` is ``Layout/openPose137`` and this layout has MediaPipe Holistic's parts (a
    ///    MediaPipe `.pose` file): ``MediaPipeHolistic/openPose137(from:)``;
    /// 3. every joint name of `layout` is a joint name here: those joints, picked by name;
    /// 4. the same number of joints: the values as they are, relabelled with `layout` (for data
    ///    that carries no joint names, such as pickles);
    /// otherwise an error that names the first joint that cannot be found.
    public func converted(to layout: Layout) throws(PoseDataError) -> PoseSequence {
        if layout == self.layout { return self }
        try layout.validate()
        if layout == .openPose137, MediaPipeHolistic.canConvert(self.layout) {
            return try MediaPipeHolistic.openPose137(from: self)
        }
        var positions: [String: Int] = [:]
        for (index, joint) in self.layout.joints.enumerated() where positions[joint] == nil { positions[joint] = index }
        let picked = layout.joints.map { positions[$0] }
        if picked.allSatisfy({ $0 != nil }) {
            let source = picked.map { $0! }
            var values = [Float](repeating: 0, count: frameCount * layout.jointCount * 3)
            let from = jointCount, to = layout.jointCount
            for frame in 0..<frameCount {
                for (joint, origin) in source.enumerated() {
                    let i = (frame * from + origin) * 3, o = (frame * to + joint) * 3
                    values[o] = self.values[i]
                    values[o + 1] = self.values[i + 1]
                    values[o + 2] = self.values[i + 2]
                }
            }
            var copy = self
            copy.layout = layout
            copy.values = values
            return copy
        }
        if layout.jointCount == jointCount {
            var copy = self
            copy.layout = layout
            return copy
        }
        let missing = layout.joints.first { positions[$0] == nil } ?? "?"
        throw PoseDataError.unsupported(
            "cannot convert from layout \(QuotedText.quoted(self.layout.name)) (\(jointCount) joints) to \(QuotedText.quoted(layout.name)) (\(layout.jointCount) joints): joint \(QuotedText.quoted(missing)) has no counterpart, and the joint counts differ")
    }
}

extension PoseDataset {
    /// Every sample in `layout` (see ``PoseSequence/converted(to:)``).
    public func converted(to layout: Layout) throws(PoseDataError) -> PoseDataset {
        if layout == self.layout { return self }
        var converted: [PoseSequence] = []
        converted.reserveCapacity(count)
        for sample in samples { converted.append(try sample.converted(to: layout)) }
        return try PoseDataset(layout: layout, samples: converted)
    }
}
