import Platform

/// The full contents of a pose-format `.pose` file
/// (https://github.com/sign-language-processing/pose-format), kept as they are.
///
/// A `.pose` file is a header — version, canvas dimensions and components, each with a name, a
/// point format such as `XYZC`, point names, limbs and colours — and a body: fps, frame count,
/// people, then all point coordinates and all confidences as float32. Reading keeps every field;
/// writing always produces version 0.2. ``sequence(person:)`` and ``init(sequence:)`` convert
/// to and from ``PoseSequence``.
public struct PoseFile: Sendable, Equatable {
    /// A pair of point indices within one component.
    public struct Limb: Sendable, Equatable, Hashable {
        public var from: UInt16
        public var to: UInt16
        public init(_ from: UInt16, _ to: UInt16) { self.from = from; self.to = to }
    }

    /// An RGB colour (pose-format stores each channel as a UInt16, 0–255 in practice).
    public struct Color: Sendable, Equatable, Hashable {
        public var red: UInt16
        public var green: UInt16
        public var blue: UInt16
        public init(_ red: UInt16, _ green: UInt16, _ blue: UInt16) {
            self.red = red; self.green = green; self.blue = blue
        }
    }

    /// A named group of points, such as `POSE_LANDMARKS` or `pose_keypoints_2d`.
    public struct Component: Sendable, Equatable {
        /// The component's name.
        public var name: String
        /// One letter per stored value of a point, confidence last: `XYC`, `XYZC`.
        public var format: String
        /// Point names, in data order.
        public var points: [String]
        /// Limbs between points of this component.
        public var limbs: [Limb]
        /// Colours; pose-format pairs them with limbs by index (some files carry just one).
        public var colors: [Color]

        public init(name: String, format: String, points: [String], limbs: [Limb], colors: [Color]) {
            self.name = name
            self.format = format
            self.points = points
            self.limbs = limbs
            self.colors = colors
        }
    }

    /// The version the file was read with (0.1 or 0.2); files are written as 0.2.
    public var version: Float
    /// Canvas width, height and depth from the header.
    public var width: UInt16
    public var height: UInt16
    public var depth: UInt16
    /// The components, in data order.
    public var components: [Component]
    /// Frames per second.
    public var fps: Float
    /// Number of frames, T.
    public var frameCount: Int
    /// Number of people per frame, P.
    public var peopleCount: Int
    /// Coordinates, flat (T, P, N, D): N = ``pointCount``, D = ``dimensionCount``.
    public var data: [Float]
    /// Confidences, flat (T, P, N).
    public var confidence: [Float]

    /// The version this writer produces.
    public static let writtenVersion: Float = 0.2

    /// Creates a pose file, checking that `data` and `confidence` hold (T, P, N, D) and (T, P, N)
    /// values for the components given.
    public init(version: Float = PoseFile.writtenVersion, width: UInt16, height: UInt16, depth: UInt16 = 0,
                components: [Component], fps: Float, frameCount: Int, peopleCount: Int,
                data: [Float], confidence: [Float]) throws(PoseDataError) {
        self.version = version
        self.width = width
        self.height = height
        self.depth = depth
        self.components = components
        self.fps = fps
        self.frameCount = frameCount
        self.peopleCount = peopleCount
        self.data = data
        self.confidence = confidence
        try validate()
    }

    /// Total points over all components, N.
    public var pointCount: Int { components.reduce(0) { $0 + $1.points.count } }

    /// Values per point besides confidence, D: the longest component format minus its `C`,
    /// as pose-format computes it.
    public var dimensionCount: Int { max(0, (components.map(\.format.count).max() ?? 1) - 1) }

    /// The index of component `name`'s first point among all N points.
    public func pointOffset(ofComponent name: String) -> Int? {
        var offset = 0
        for component in components {
            if component.name == name { return offset }
            offset += component.points.count
        }
        return nil
    }

    /// Checks the header against pose-format's limits and the body against the header.
    public func validate() throws(PoseDataError) {
        guard !components.isEmpty else {
            throw PoseDataError.invalidSequence(".pose data needs at least one component")
        }
        guard components.count <= Int(UInt16.max) else {
            throw PoseDataError.invalidSequence(".pose files hold at most 65535 components, not \(components.count)")
        }
        for component in components {
            for (what, count) in [("points", component.points.count), ("limbs", component.limbs.count),
                                  ("colours", component.colors.count)] where count > Int(UInt16.max) {
                throw PoseDataError.invalidSequence(
                    "component \(QuotedText.quoted(component.name)) has \(count) \(what); .pose files hold at most 65535")
            }
            for string in [component.name, component.format] + component.points where string.utf8.count > Int(UInt16.max) {
                throw PoseDataError.invalidSequence(
                    "component \(QuotedText.quoted(component.name.prefix(40))) has a name longer than the 65535 bytes .pose allows")
            }
            guard component.format.count >= 1 else {
                throw PoseDataError.invalidSequence("component \(QuotedText.quoted(component.name)) has an empty point format")
            }
        }
        guard frameCount >= 0, frameCount <= Int(UInt32.max) else {
            throw PoseDataError.invalidSequence(".pose files hold 0 to 4294967295 frames, not \(frameCount)")
        }
        guard peopleCount >= 0, peopleCount <= Int(UInt16.max) else {
            throw PoseDataError.invalidSequence(".pose files hold 0 to 65535 people, not \(peopleCount)")
        }
        let (framePeople, overflow1) = frameCount.multipliedReportingOverflow(by: peopleCount)
        let (points, overflow2) = framePeople.multipliedReportingOverflow(by: pointCount)
        let (coordinates, overflow3) = points.multipliedReportingOverflow(by: dimensionCount)
        guard !overflow1, !overflow2, !overflow3, confidence.count == points, data.count == coordinates else {
            throw PoseDataError.invalidSequence(
                ".pose data of \(frameCount) frames × \(peopleCount) people × \(pointCount) points × \(dimensionCount) dimensions needs \(coordinates) coordinates and \(points) confidences, not \(data.count) and \(confidence.count)")
        }
        guard fps.isFinite, fps >= 0 else {
            throw PoseDataError.invalidSequence(".pose fps must be a finite number ≥ 0, not \(fps)")
        }
    }
}
