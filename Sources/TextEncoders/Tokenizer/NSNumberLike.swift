import Foundation

/// A JSON number from `JSONSerialization`, read as an exact integer or a double.
protocol NSNumberLike {
    var integerValue: Int? { get }
    var realValue: Double { get }
}

extension NSNumber: NSNumberLike {
    var integerValue: Int? {
        let d = doubleValue
        guard d == d.rounded(), Swift.abs(d) < 9e15 else { return nil }
        return Int(d)
    }
    /// Foundation parses JSON numbers with many digits as `NSDecimalNumber`, whose `doubleValue`
    /// can be off by an ulp (Unigram scores tie-break on such differences); its decimal text,
    /// read by `Double(_:)`, is correctly rounded.
    var realValue: Double { Double(description) ?? doubleValue }
}
