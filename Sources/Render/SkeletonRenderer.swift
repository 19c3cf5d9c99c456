import Foundation
import PoseData

/// Draws skeleton frames of pose sequences onto canvases: bones as anti-aliased lines, joints as
/// dots, one colour family per part, faded by confidence; missing joints (confidence 0 or at most
/// ``RenderOptions/confidenceThreshold``, or non-finite coordinates) and the bones touching them are
/// not drawn.
///
/// Widths scale with the canvas: at 512 px the body's bones are 4.5 px wide, the hands' 2.6 px and
/// the face's 1.3 px (times ``RenderOptions/lineScale``), never thinner than 1.6, 1.3 and 0.7 px.
public struct SkeletonRenderer: Sendable {
    /// The drawing options.
    public var options: RenderOptions

    /// Creates a renderer.
    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// The caption band's height in pixels (0 without a caption).
    public var captionHeight: Int {
        guard options.caption else { return 0 }
        let scale = options.textScale
        return BitmapFont.standard.lineHeight * scale + 4 * scale
    }

    /// The part of the canvas the skeleton is fitted into (the canvas minus the caption band).
    public var viewport: Viewport {
        Viewport(x: 0, y: 0, width: Double(options.width), height: Double(max(options.height - captionHeight, 1)))
    }

    /// One camera fitted to every present joint of `sequences` over all their frames.
    public func camera(for sequences: [PoseSequence]) -> Camera {
        Camera.fit(sequences: sequences, viewport: viewport, margin: options.margin, parts: options.parts,
                   threshold: options.confidenceThreshold)
    }

    /// Renders frame `frame` of `sequence` on a new canvas, with the caption when enabled.
    ///
    /// Pass the same `camera` (from ``camera(for:)``) for every frame of a sequence.
    public func render(frame: Int, of sequence: PoseSequence, camera: Camera) throws(RenderError) -> Canvas {
        var canvas = try Canvas(width: options.width, height: options.height, background: options.background)
        try draw(frame: frame, of: sequence, camera: camera, into: &canvas)
        return canvas
    }

    /// Draws frame `frame` of `sequence` (and the caption when enabled) onto `canvas`.
    public func draw(frame: Int, of sequence: PoseSequence, camera: Camera, into canvas: inout Canvas) throws(RenderError) {
        guard frame >= 0, frame < sequence.frameCount else {
            throw RenderError.invalidArgument(
                "frame \(frame) is out of range: the sequence\(sequence.name.map { " '\($0)'" } ?? "") has \(sequence.frameCount) frames")
        }
        let plan = SkeletonPlan(layout: sequence.layout, options: options, canvasSide: min(canvas.width, canvas.height))
        plan.draw(frame: frame, of: sequence, camera: camera, into: &canvas)
        if options.caption {
            drawCaption(frame: frame, of: sequence, into: &canvas)
        }
    }

    /// Draws the caption band: the text on the left, `frame i/T  t.tt s` on the right.
    public func drawCaption(frame: Int, of sequence: PoseSequence, into canvas: inout Canvas, note: String? = nil) {
        let scale = options.textScale
        let font = BitmapFont.standard
        let band = captionHeight
        let top = canvas.height - band
        let tint = options.background.a > 0 ? options.background.mixed(with: options.textColor, amount: 0.08) : Color(hex: 0x000000, alpha: 160)
        canvas.fillRect(x: 0, y: top, width: canvas.width, height: band, color: tint)
        let seconds = Double(frame) / sequence.fps
        var right = "\(frame + 1)/\(sequence.frameCount)  " + SheetText.seconds(seconds)
        if let note { right += " " + note }
        let padding = 3 * scale
        let rightWidth = font.size(of: right, scale: scale).width
        let textY = top + 2 * scale - font.ascent * scale / 2
        canvas.drawText(right, x: canvas.width - padding - rightWidth, y: textY, scale: scale, color: options.textColor)
        let text = options.captionText ?? sequence.text ?? sequence.name ?? ""
        let room = canvas.width - rightWidth - 3 * padding
        if room > 0, !text.isEmpty {
            let shown = font.truncated(text.replacingOccurrences(of: "\n", with: " "), toWidth: room, scale: scale)
            canvas.drawText(shown, x: padding, y: textY, scale: scale, color: options.textColor)
        }
    }
}

/// The precomputed drawing order, colours and widths of a layout's bones and joints.
struct SkeletonPlan {
    struct Stroke {
        var from: Int
        var to: Int
        var color: Color
        var width: Double
    }
    struct Dot {
        var joint: Int
        var color: Color
        var radius: Double
    }
    /// Per part, in drawing order: its bones, then its joints.
    var groups: [(strokes: [Stroke], dots: [Dot])] = []
    var fade: Bool
    var minimumOpacity: Double
    var threshold: Float

    init(layout: Layout, options: RenderOptions, canvasSide: Int) {
        fade = options.fadeByConfidence
        threshold = options.confidenceThreshold
        minimumOpacity = min(max(options.minimumOpacity, 0), 1)
        let palette = options.palette ?? SkeletonPalette.standard(on: options.background)
        let unit = Double(canvasSide) / 512 * (options.lineScale.isFinite ? max(options.lineScale, 0) : 1)

        var partOfJoint = [Int](repeating: -1, count: layout.jointCount)
        for (index, part) in layout.parts.enumerated() {
            for joint in part.joints where joint >= 0 && joint < layout.jointCount { partOfJoint[joint] = index }
        }
        let drawn = layout.parts.map { options.parts?.contains($0.name) ?? true }
        var bonesOfPart = [[Layout.Bone]](repeating: [], count: layout.parts.count)
        for bone in layout.bones {
            guard bone.from >= 0, bone.to >= 0, bone.from < layout.jointCount, bone.to < layout.jointCount else { continue }
            let p = partOfJoint[bone.from], q = partOfJoint[bone.to]
            guard p >= 0, q >= 0, drawn[p], drawn[q] else { continue }
            bonesOfPart[p].append(bone)
        }
        // Body and other parts first, then the face over them, then the hands on top.
        let kinds = layout.parts.map { PartKind(partName: $0.name) }
        func rank(_ kind: PartKind) -> Int {
            switch kind {
            case .body, .other: return 0
            case .face: return 1
            case .leftHand, .rightHand: return 2
            }
        }
        // When the face is drawn, the body's own head bones (nose, eyes, ears) would cover it at body
        // width: they are drawn as thin as the face's contours instead.
        let faceDrawn = layout.parts.indices.contains { kinds[$0] == .face && drawn[$0] }
        let headJoints = Set(layout.joints.indices.filter { index in
            layout.joints[index].lowercased().split(separator: "_").contains { ["nose", "eye", "ear"].contains($0) }
        })
        let order = layout.parts.indices.filter { drawn[$0] }.sorted { (rank(kinds[$0]), $0) < (rank(kinds[$1]), $1) }
        var otherIndex = 0
        for partIndex in order {
            let kind = kinds[partIndex]
            let family = palette.family(for: kind, index: kind == .other ? otherIndex : 0)
            if kind == .other { otherIndex += 1 }
            // Widths at 512 px, and floors (in pixels) that keep small tiles legible.
            let (lineWidth, dotRadius, lineFloor, dotFloor): (Double, Double, Double, Double)
            switch kind {
            case .body: (lineWidth, dotRadius, lineFloor, dotFloor) = (4.5, 3.6, 1.6, 1.2)
            case .face: (lineWidth, dotRadius, lineFloor, dotFloor) = (1.3, 1.1, 0.7, 0.5)
            case .leftHand, .rightHand: (lineWidth, dotRadius, lineFloor, dotFloor) = (2.6, 2.2, 1.3, 1.0)
            case .other: (lineWidth, dotRadius, lineFloor, dotFloor) = (3, 2.6, 1.4, 1.1)
            }
            let bones = bonesOfPart[partIndex]
            var jointColor: [Int: Color] = [:]
            var strokes: [Stroke] = []
            for (k, bone) in bones.enumerated() {
                let color = family.color(at: bones.count > 1 ? Double(k) / Double(bones.count - 1) : 0)
                let isHeadBone = faceDrawn && kind != .face && headJoints.contains(bone.from) && headJoints.contains(bone.to)
                strokes.append(Stroke(from: bone.from, to: bone.to, color: color, width: max((isHeadBone ? 1.5 : lineWidth) * unit, isHeadBone ? 0.7 : lineFloor)))
                // A joint takes the colour of the bone that ends in it (fingertips the finger's colour).
                if jointColor[bone.to] == nil { jointColor[bone.to] = color }
            }
            var dots: [Dot] = []
            if options.drawJoints {
                for joint in layout.parts[partIndex].joints where joint >= 0 && joint < layout.jointCount {
                    let isHead = faceDrawn && kind != .face && headJoints.contains(joint)
                    dots.append(Dot(joint: joint, color: jointColor[joint] ?? family.color(at: 0),
                                    radius: max((isHead ? 1.6 : dotRadius) * unit, isHead ? 0.5 : dotFloor)))
                }
            }
            groups.append((strokes, dots))
        }
    }

    /// Opacity factor for confidence `c` (> 0).
    @inline(__always)
    func opacity(_ c: Float) -> Double {
        fade ? minimumOpacity + (1 - minimumOpacity) * Double(min(c, 1)) : 1
    }

    func draw(frame: Int, of sequence: PoseSequence, camera: Camera, into canvas: inout Canvas) {
        let jointCount = sequence.layout.jointCount
        let base = frame * jointCount * 3
        sequence.values.withUnsafeBufferPointer { values in
            @inline(__always) func joint(_ j: Int) -> (Point, Float)? {
                let i = base + j * 3
                let c = values[i + 2]
                guard c > threshold, values[i].isFinite, values[i + 1].isFinite else { return nil }
                return (camera.project(x: values[i], y: values[i + 1]), c)
            }
            for group in groups {
                for stroke in group.strokes {
                    guard let (a, ca) = joint(stroke.from), let (b, cb) = joint(stroke.to) else { continue }
                    canvas.strokeLine(from: a, to: b, width: stroke.width, color: stroke.color.faded(by: opacity(min(ca, cb))))
                }
                for dot in group.dots {
                    guard let (p, c) = joint(dot.joint) else { continue }
                    canvas.fillDisc(center: p, radius: dot.radius, color: dot.color.faded(by: opacity(c)))
                }
            }
        }
    }
}
