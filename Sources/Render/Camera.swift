import PoseData

/// A rectangle in canvas pixels.
public struct Viewport: Sendable, Hashable {
    /// Left edge, in pixels.
    public var x: Double
    /// Top edge, in pixels.
    public var y: Double
    /// Width in pixels.
    public var width: Double
    /// Height in pixels.
    public var height: Double

    /// Creates a rectangle from its top-left corner and size.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// Maps pose coordinates to canvas pixels: `pixel = (x·scale + offsetX, y·scale + offsetY)`.
///
/// Pose data already has y pointing down (image coordinates), so the camera only scales and
/// shifts, keeping the aspect ratio. One camera serves a whole sequence (or several sequences side
/// by side), so the skeleton never jitters from frame to frame.
public struct Camera: Sendable, Hashable {
    /// Canvas pixels per pose unit.
    public var scale: Double
    /// Added to `x · scale`.
    public var offsetX: Double
    /// Added to `y · scale`.
    public var offsetY: Double

    /// Creates a camera from its scale and offsets.
    public init(scale: Double, offsetX: Double, offsetY: Double) {
        self.scale = scale
        self.offsetX = offsetX
        self.offsetY = offsetY
    }

    /// The canvas position of pose point (x, y).
    @inlinable
    public func project(x: Float, y: Float) -> Point {
        Point(Double(x) * scale + offsetX, Double(y) * scale + offsetY)
    }

    /// The bounding box `(minX, minY, maxX, maxY)` of every present joint (confidence above
    /// `threshold`, finite x and y) over all frames of `sequences`, restricted to the parts named in
    /// `parts` (nil: all). Nil when no joint is present.
    public static func bounds(of sequences: [PoseSequence], parts: Set<String>? = nil, threshold: Float = 0)
        -> (minX: Double, minY: Double, maxX: Double, maxY: Double)?
    {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for sequence in sequences {
            let layout = sequence.layout
            let joints: [Int]
            if let parts {
                joints = layout.parts.filter { parts.contains($0.name) }.flatMap(\.joints)
            } else {
                joints = Array(0..<layout.jointCount)
            }
            let jointCount = layout.jointCount
            sequence.values.withUnsafeBufferPointer { values in
                for frame in 0..<sequence.frameCount {
                    for joint in joints {
                        let i = (frame * jointCount + joint) * 3
                        let x = values[i], y = values[i + 1], confidence = values[i + 2]
                        guard confidence > threshold, x.isFinite, y.isFinite else { continue }
                        minX = min(minX, Double(x)); maxX = max(maxX, Double(x))
                        minY = min(minY, Double(y)); maxY = max(maxY, Double(y))
                    }
                }
            }
        }
        return minX <= maxX ? (minX, minY, maxX, maxY) : nil
    }

    /// The camera that fits every present joint of `sequences` (over all frames; confidence above
    /// `threshold`) into `viewport`, centred, keeping the aspect ratio, with `margin` (a fraction of
    /// the viewport's shorter side) left free on every side.
    ///
    /// With no joint present the camera is centred on the pose origin at scale 1; a single point
    /// is centred at a scale that maps 1 unit to 1 pixel.
    public static func fit(sequences: [PoseSequence], viewport: Viewport, margin: Double = 0.06,
                           parts: Set<String>? = nil, threshold: Float = 0) -> Camera {
        let centreX = viewport.x + viewport.width / 2, centreY = viewport.y + viewport.height / 2
        guard let box = bounds(of: sequences, parts: parts, threshold: threshold) else {
            return Camera(scale: 1, offsetX: centreX, offsetY: centreY)
        }
        let inset = max(0, min(margin.isFinite ? margin : 0, 0.45)) * min(viewport.width, viewport.height)
        let usableWidth = max(viewport.width - 2 * inset, 1), usableHeight = max(viewport.height - 2 * inset, 1)
        // Half-sums and half-differences avoid overflow to infinity for coordinates near Double's limits.
        let boxWidth = box.maxX / 2 - box.minX / 2, boxHeight = box.maxY / 2 - box.minY / 2
        let midX = box.minX / 2 + box.maxX / 2, midY = box.minY / 2 + box.maxY / 2
        var scale = min(usableWidth / (2 * boxWidth), usableHeight / (2 * boxHeight))
        if !scale.isFinite || scale <= 0 {
            let extent = max(2 * boxWidth, 2 * boxHeight)
            scale = extent > 0 && extent.isFinite ? min(usableWidth, usableHeight) / extent : 1
            if !scale.isFinite || scale <= 0 { scale = 1 }
        }
        return Camera(scale: scale, offsetX: centreX - midX * scale, offsetY: centreY - midY * scale)
    }
}
