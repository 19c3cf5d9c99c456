/// A point in canvas pixel coordinates (pixel (i, j) covers [i, i+1) × [j, j+1); its centre is i + 0.5).
public struct Point: Sendable, Hashable {
    /// Horizontal position, growing to the right.
    public var x: Double
    /// Vertical position, growing downwards.
    public var y: Double

    /// Creates a point at (x, y).
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }

    /// Whether both coordinates are finite numbers.
    public var isFinite: Bool { x.isFinite && y.isFinite }
}

extension Canvas {
    /// Fills the axis-aligned rectangle of whole pixels `[x, x+width) × [y, y+height)`, clipped.
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, color: Color) {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(width, x.addingReportingOverflow(w).partialValue), y1 = min(height, y.addingReportingOverflow(h).partialValue)
        guard x0 < x1, y0 < y1, color.a > 0 else { return }
        let alpha = Float(color.a) / 255
        let stride = width
        pixels.withUnsafeMutableBufferPointer { buffer in
            for row in y0..<y1 {
                let base = buffer.baseAddress! + row * stride * 4
                for column in x0..<x1 { Canvas.composite(base + column * 4, color, alpha) }
            }
        }
    }

    /// Draws the one-pixel outline of a rectangle of whole pixels.
    public mutating func strokeRect(x: Int, y: Int, width w: Int, height h: Int, color: Color) {
        guard w > 0, h > 0 else { return }
        fillRect(x: x, y: y, width: w, height: 1, color: color)
        if h > 1 { fillRect(x: x, y: y + h - 1, width: w, height: 1, color: color) }
        if h > 2 {
            fillRect(x: x, y: y + 1, width: 1, height: h - 2, color: color)
            if w > 1 { fillRect(x: x + w - 1, y: y + 1, width: 1, height: h - 2, color: color) }
        }
    }

    /// Draws an anti-aliased line of the given width with round caps (a capsule) from `a` to `b`.
    ///
    /// Coverage of a pixel is `clamp(w/2 + 0.5 − d, 0, 1)` where `d` is the distance from the pixel
    /// centre to the segment; only pixels near the segment are visited (per row, the span of the
    /// capsule). Lines thinner than one pixel are drawn one pixel wide with proportionally less
    /// alpha. Non-finite points draw nothing.
    public mutating func strokeLine(from a: Point, to b: Point, width lineWidth: Double, color: Color) {
        guard a.isFinite, b.isFinite, lineWidth.isFinite, lineWidth > 0, color.a > 0 else { return }
        let radius = max(lineWidth, 1) / 2
        let alpha = Float(color.a) / 255 * Float(min(lineWidth, 1))
        capsule(a, b, radius: radius, color: color, alpha: alpha)
    }

    /// Fills an anti-aliased disc of `radius` pixels around `center`.
    public mutating func fillDisc(center: Point, radius: Double, color: Color) {
        guard center.isFinite, radius.isFinite, radius > 0, color.a > 0 else { return }
        let r = max(radius, 0.5)
        let alpha = Float(color.a) / 255 * Float(min(radius / 0.5, 1))
        capsule(center, center, radius: r, color: color, alpha: alpha)
    }

    /// Draws a polyline with round joins; non-finite points break the line into pieces.
    public mutating func strokePolyline(_ points: [Point], width lineWidth: Double, color: Color) {
        guard points.count > 1 else {
            if let only = points.first { fillDisc(center: only, radius: lineWidth / 2, color: color) }
            return
        }
        for (p, q) in zip(points.dropLast(), points.dropFirst()) where p.isFinite && q.isFinite {
            strokeLine(from: p, to: q, width: lineWidth, color: color)
        }
    }

    /// The signed-distance capsule rasteriser behind lines and discs.
    private mutating func capsule(_ a: Point, _ b: Point, radius: Double, color: Color, alpha: Float) {
        let reach = radius + 1
        // Clip the bounding box in Double first so huge coordinates never overflow Int.
        let minY = max(0, min(a.y, b.y) - reach), maxY = min(Double(height), max(a.y, b.y) + reach)
        let minX = max(0, min(a.x, b.x) - reach), maxX = min(Double(width), max(a.x, b.x) + reach)
        guard minY < maxY, minX < maxX else { return }
        let rowStart = Int(minY), rowEnd = min(height, Int(maxY.rounded(.up)))
        let columnLimitLow = Int(minX), columnLimitHigh = min(width, Int(maxX.rounded(.up)))

        // Distances in Double: points may lie far outside the canvas (huge coordinates) without overflow.
        let ax = a.x, ay = a.y
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let inverseLength = lengthSquared > 1e-12 ? 1 / lengthSquared : 0
        let r = radius
        let outer = (r + 0.5) * (r + 0.5)
        let inner = max(r - 0.5, 0) * max(r - 0.5, 0)
        let stride = width

        pixels.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            for row in rowStart..<rowEnd {
                let cy = Double(row) + 0.5
                // The capsule's span on this row: segment points within `reach` in y, widened by reach in x.
                var spanLow = Double(columnLimitLow), spanHigh = Double(columnLimitHigh)
                if abs(dy) > 1e-9 {
                    let t0 = min(max((cy - reach - ay) / dy, 0), 1), t1 = min(max((cy + reach - ay) / dy, 0), 1)
                    let x0 = ax + dx * t0, x1 = ax + dx * t1
                    spanLow = max(spanLow, min(x0, x1) - reach)
                    spanHigh = min(spanHigh, max(x0, x1) + reach)
                }
                guard spanLow < spanHigh else { continue }
                let columnStart = max(columnLimitLow, Int(spanLow)), columnEnd = min(columnLimitHigh, Int(spanHigh.rounded(.up)))
                let py = cy - ay
                let rowBase = base + row * stride * 4
                var column = columnStart
                while column < columnEnd {
                    let px = Double(column) + 0.5 - ax
                    var h = (px * dx + py * dy) * inverseLength
                    h = min(max(h, 0), 1)
                    let ex = px - dx * h, ey = py - dy * h
                    let distanceSquared = ex * ex + ey * ey
                    if distanceSquared < outer {
                        let coverage = distanceSquared <= inner ? 1 : Float(min(max(r + 0.5 - distanceSquared.squareRoot(), 0), 1))
                        Canvas.composite(rowBase + column * 4, color, alpha * coverage)
                    }
                    column += 1
                }
            }
        }
    }
}
