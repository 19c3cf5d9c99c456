/// Scales all gradients so their global L2 norm is at most `maxNorm`; returns the norm before clipping.
/// Parameters without a gradient are ignored.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var total = 0.0
    for p in parameters {
        guard let g = p.grad else { continue }
        total += g.withUnsafeBufferPointer { b in b.baseAddress.map { Double(Vec.dot($0, $0, b.count)) } ?? 0 }
    }
    let norm = Float(total.squareRoot())
    if norm > maxNorm && norm.isFinite {
        let s = maxNorm / (norm + 1e-6)
        for p in parameters { if let g = p.grad { p.setGrad(g * s) } }
    }
    return norm
}

