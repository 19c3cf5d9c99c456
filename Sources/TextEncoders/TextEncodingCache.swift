import Foundation

/// Encoded texts kept by their exact text (compared by Unicode scalars, as the tokenizer sees
/// them), so training, sampling and evaluation encode each sentence once. Bounded by the number
/// of hidden values held: when a new encoding would pass the bound, the oldest are dropped first.
final class TextEncodingCache: @unchecked Sendable {
    // Sendable: every access to the stored state holds `lock`.
    private let lock = NSLock()
    private var entries: [[UInt8]: TextEncoding] = [:]
    private var order: [[UInt8]] = []
    private var oldest = 0
    private var heldValues = 0
    let maxValues: Int

    init(maxValues: Int) {
        self.maxValues = maxValues
    }

    var count: Int { lock.withLock { entries.count } }

    func value(for text: String) -> TextEncoding? {
        let key = Array(text.utf8)
        return lock.withLock { entries[key] }
    }

    func store(_ encoding: TextEncoding, for text: String) {
        let key = Array(text.utf8)
        lock.withLock {
            guard entries[key] == nil, encoding.hidden.count <= maxValues else { return }
            while heldValues + encoding.hidden.count > maxValues && oldest < order.count {
                if let dropped = entries.removeValue(forKey: order[oldest]) { heldValues -= dropped.hidden.count }
                oldest += 1
            }
            if oldest > 1024 && oldest * 2 > order.count { order.removeFirst(oldest); oldest = 0 }
            entries[key] = encoding
            order.append(key)
            heldValues += encoding.hidden.count
        }
    }
}
