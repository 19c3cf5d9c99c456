/// A rectangle of pixels: its top-left corner and its size.
public struct PixelBox: Equatable, Sendable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)×\(height) at (\(x), \(y))" }

    /// The smallest box holding every pixel where `current` differs from `previous` (both
    /// `width × height` indices, one per pixel, rows top to bottom); one pixel at the origin when
    /// none does (a GIF frame must hold at least one).
    public static func changed(from previous: [UInt8], to current: [UInt8], width: Int, height: Int) -> PixelBox {
        guard width >= 1, height >= 1, previous.count >= width * height, current.count >= width * height else {
            fatalError("changed box of \(width)×\(height) pixels over frames of \(previous.count) and \(current.count) indices")
        }
        var top = height, bottom = -1, left = width, right = -1
        current.withUnsafeBufferPointer { now in
            previous.withUnsafeBufferPointer { before in
                for row in 0..<height {
                    let start = row * width
                    var first = -1
                    for column in 0..<width where now[start + column] != before[start + column] {
                        first = column
                        break
                    }
                    guard first >= 0 else { continue }
                    var last = width - 1
                    while now[start + last] == before[start + last] { last -= 1 }
                    top = min(top, row)
                    bottom = row
                    left = min(left, first)
                    right = max(right, last)
                }
            }
        }
        guard bottom >= 0 else { return PixelBox(x: 0, y: 0, width: 1, height: 1) }
        return PixelBox(x: left, y: top, width: right - left + 1, height: bottom - top + 1)
    }
}
